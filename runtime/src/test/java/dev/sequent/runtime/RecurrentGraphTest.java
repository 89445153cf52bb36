package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Recurrent layers in Keras Functional graphs, saved by real Keras 3 ({@code .keras}) and tf_keras
 * ({@code .h5}) by fixtures/make_recurrent_graph_fixtures.py: {@code return_state} outputs read by
 * later layers, initial states, and masks from {@code Embedding(mask_zero=True)} and {@code Masking}
 * through the layers that pass, read or drop them as Keras does, and {@code TimeDistributed}. Each
 * file runs at batch 8 and one sample at a time against Keras' outputs.
 */
class RecurrentGraphTest {
  static final Path DIR = root().resolve("recurrent_graphs");

  @ParameterizedTest
  @ValueSource(strings = {"keras_seq2seq.keras", "keras_seq2seq.h5", "keras_gru_states.keras", "keras_gru_states.h5",
      "keras_embedding_mask.keras", "keras_embedding_mask.h5", "keras_masking.keras", "keras_masking.h5",
      "keras_masking_backwards.keras", "keras_masking_backwards.h5", "keras_bidirectional_mask.keras",
      "keras_bidirectional_mask.h5", "keras_mask_max_pool.keras", "keras_mask_max_pool.h5",
      "keras_time_distributed_tagger.keras", "keras_time_distributed_tagger.h5", "keras_time_distributed_video.keras",
      "keras_time_distributed_video.h5"})
  void everyOutputIsKeras(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    List<INDArray> xs = arrays(stem, "input");
    List<INDArray> expected = arrays(stem, "output");
    Network net = Network.load(DIR.resolve(file));
    List<INDArray> ys = net.forward(xs);
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), ys.get(o), file + " output " + o + " batch of 8");
    }
    for (int i = 0; i < 8; i++) {
      int s = i;
      List<INDArray> one = xs.stream().map(x -> x.get(NDArrayIndex.interval(s, s + 1)).dup('c')).toList();
      List<INDArray> got = net.forward(one);
      for (int o = 0; o < expected.size(); o++) {
        assertClose(expected.get(o).get(NDArrayIndex.interval(s, s + 1)), got.get(o),
            file + " output " + o + " sample " + i);
      }
    }
  }

  /**
   * The other Keras file's weights (tf_keras' .h5 into the network read from the .keras, and back)
   * pair with the state-output and mask nodes, which hold none of their own.
   */
  @ParameterizedTest
  @ValueSource(strings = {"keras_seq2seq", "keras_gru_states", "keras_embedding_mask", "keras_bidirectional_mask",
      "keras_time_distributed_tagger", "keras_time_distributed_video"})
  void theOtherFilesWeightsLoad(String stem) {
    Network net = Network.load(DIR.resolve(stem + ".keras"));
    net.setWeights(net.getWeights().stream().map(w -> w.mul(0)).toList());
    net.loadWeights(DIR.resolve(stem + ".h5"));
    List<INDArray> expected = arrays(stem, "output");
    List<INDArray> ys = net.forward(arrays(stem, "input"));
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), ys.get(o), stem + " with the .h5's weights, output " + o);
    }
  }

  /** Sequent writes no Keras config of such calls yet: saving a whole model says so, naming the layer. */
  @ParameterizedTest
  @CsvSource({"keras_seq2seq,layer encoder (LSTM): Sequent does not write Keras configs of calls with return_state",
      "keras_embedding_mask,embedding:mask (StepMask): the mask Keras computes beside Embedding(mask_zero=True)"})
  void writingTheirKerasConfigIsRefused(String stem, String message, @TempDir Path tmp) {
    Network net = Network.load(DIR.resolve(stem + ".keras"));
    assertThatThrownBy(() -> net.saveWeights(tmp.resolve("out.keras"))).hasMessageContaining(message);
  }

  /**
   * The last run of fixtures/check_recurrent_graph_writes.py: real Keras 3 and tf_keras load what
   * {@code ./sequent convert} writes of the TimeDistributed model, with Keras' outputs.
   */
  @Test
  void theFrameworksReadWhatConvertWrites() {
    JsonNode results = Fixtures.json(DIR.resolve("sequent_writes_check.json")).get("results");
    assertThat(results.size()).isEqualTo(2);
    results.fields().forEachRemaining(r -> assertThat(r.getValue().get("pass").asBoolean()).as(r.getKey()).isTrue());
  }

  /** {@code <stem>_<kind>_<i>.npy} for several, else {@code <stem>_<kind>.npy}. */
  static List<INDArray> arrays(String stem, String kind) {
    List<INDArray> out = new ArrayList<>();
    while (Files.exists(DIR.resolve(stem + "_" + kind + "_" + out.size() + ".npy"))) {
      out.add(npy(stem + "_" + kind + "_" + out.size() + ".npy"));
    }
    if (out.isEmpty()) {
      out.add(npy(stem + "_" + kind + ".npy"));
    }
    return out;
  }

  static INDArray npy(String name) {
    INDArray a = Nd4j.createFromNpyFile(DIR.resolve(name).toFile());
    return a.dataType().isFPType() ? a.castTo(DataType.FLOAT) : a;
  }
}
