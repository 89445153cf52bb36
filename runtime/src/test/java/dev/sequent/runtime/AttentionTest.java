package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.layers.MultiHeadAttention;
import dev.sequent.model.layers.MultiHeadAttention.Role;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Attention models saved whole by real Keras 3 ({@code .keras}) and tf_keras ({@code .h5})
 * (fixtures/make_attention_fixtures.py): self-attention, cross-attention on two inputs with
 * key_dim != d_model / heads and an output_shape, a causal mask, an attention_mask with a separate
 * key (four inputs), no biases, and the Transformer encoder reference models. Read with no Java
 * source, each runs at batch 8, one sample at a time (the plain-Java path) and tiled past the
 * Java limit (the ND4J path), and must give Keras' output.
 */
class AttentionTest {
  static final Path DIR = root().resolve("attention");

  @ParameterizedTest
  @ValueSource(strings = {
      "keras_self.keras", "keras_self.h5", "keras_cross.keras", "keras_cross.h5", "keras_causal.keras",
      "keras_causal.h5", "keras_mask.keras", "keras_mask.h5", "keras_no_bias.keras", "keras_no_bias.h5",
      "keras_encoder.keras", "keras_encoder.h5", "keras_encoder_causal.keras", "keras_encoder_causal.h5"})
  void kerasFilesGiveKerasOutput(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    List<INDArray> x = inputs(stem);
    INDArray expected = npy(stem + "_output.npy");
    Network net = Network.load(DIR.resolve(file));
    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isGreaterThanOrEqualTo(1);
    assertClose(expected, forward(net, x), file + " batch of 8");
    for (int i = 0; i < x.get(0).size(0); i++) {
      int at = i;
      List<INDArray> one = x.stream().map(a -> a.get(NDArrayIndex.interval(at, at + 1)).dup('c')).toList();
      assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), forward(net, one), file + " sample " + i);
    }
    int copies = Math.max(50, javaLimit / (int) x.get(0).size(0) + 1);
    List<INDArray> big = x.stream().map(a -> Nd4j.concat(0, Collections.nCopies(copies, a).toArray(INDArray[]::new)))
        .toList();
    assertThat(big.get(0).size(0)).as("past the Java limit").isGreaterThan(javaLimit);
    assertClose(Nd4j.concat(0, Collections.nCopies(copies, expected).toArray(INDArray[]::new)), forward(net, big),
        file + " batch of " + big.get(0).size(0) + " (ND4J path)");
  }

  /** The call's tensors and keywords become the record's roles and causal flag, in both dialects. */
  @ParameterizedTest
  @ValueSource(strings = {".keras", ".h5"})
  void theCallIsReadFromTheInboundNodes(String ext) {
    MultiHeadAttention mask = attention(Network.load(DIR.resolve("keras_mask" + ext)));
    assertThat(mask.inputs()).containsExactly(Role.QUERY, Role.VALUE, Role.KEY, Role.ATTENTION_MASK);
    assertThat(mask.causal()).isFalse();
    MultiHeadAttention causal = attention(Network.load(DIR.resolve("keras_causal" + ext)));
    assertThat(causal.inputs()).containsExactly(Role.QUERY, Role.VALUE);
    assertThat(causal.causal()).isTrue();
    MultiHeadAttention cross = attention(Network.load(DIR.resolve("keras_cross" + ext)));
    assertThat(List.of(cross.heads(), cross.keyDim(), cross.valueDim(), cross.outputDim())).containsExactly(2, 3, 5, 4);
  }

  private static MultiHeadAttention attention(Network net) {
    return net.model().nodes().stream().map(l -> l.spec()).filter(MultiHeadAttention.class::isInstance)
        .map(MultiHeadAttention.class::cast).findFirst().orElseThrow();
  }

  static INDArray forward(Network net, List<INDArray> x) {
    return x.size() == 1 ? net.forward(x.get(0)) : net.forward(x).get(0);
  }

  /** {@code <stem>_input_<i>.npy} for a model of several inputs, else {@code <stem>_input.npy}. */
  static List<INDArray> inputs(String stem) {
    List<INDArray> out = new ArrayList<>();
    while (Files.exists(DIR.resolve(stem + "_input_" + out.size() + ".npy"))) {
      out.add(npy(stem + "_input_" + out.size() + ".npy"));
    }
    if (out.isEmpty()) {
      out.add(npy(stem + "_input.npy"));
    }
    return out;
  }

  static INDArray npy(String file) {
    return Fixtures.npy(DIR.resolve(file));
  }
}
