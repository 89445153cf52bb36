package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.OpContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent op's two ways of computing its products agree: every recurrent layer of the
 * Keras fixtures (whose plain-Java results {@code RecurrentTest} and {@code RecurrentGraphTest} check against
 * Keras; initial states, state outputs and masks among them), bound with
 * limits that send every input projection and every step's recurrent product through ND4J's gemm,
 * gives the Java-bound op's result on the same batch of 64.
 */
class RecurrentOpTest {
  @ParameterizedTest
  @ValueSource(strings = {"recurrent/keras_lstm.keras", "recurrent/keras_gru.keras", "recurrent/keras_simple_rnn.keras",
      "recurrent/keras_bidirectional.keras", "recurrent/keras_bidirectional_modes.keras",
      "recurrent/keras_lstm_activations.keras", "recurrent/keras_lstm_no_bias.keras",
      "recurrent_graphs/keras_seq2seq.keras", "recurrent_graphs/keras_gru_states.keras",
      "recurrent_graphs/keras_embedding_mask.keras", "recurrent_graphs/keras_masking_backwards.keras",
      "recurrent_graphs/keras_bidirectional_mask.keras"})
  void nd4jProductsGiveTheJavaProducts(String file) {
    Network net = Network.load(root().resolve(file));
    List<INDArray> weights = net.getWeights(); // a Keras model's stored form, in layer order
    Map<String, List<INDArray>> byLayer = new HashMap<>();
    int next = 0;
    int checked = 0;
    Random random = new Random(3);
    for (InferredModel.Layer layer : net.model().nodes()) {
      List<INDArray> own = new ArrayList<>(weights.subList(next, next + layer.params().size()));
      next += layer.params().size();
      byLayer.put(layer.name(), own);
      if (!(layer.spec() instanceof Recurrent r)) {
        continue;
      }
      // A node giving a state output of another's call is bound to that node's tensors.
      List<INDArray> bound = layer.node().sharesWeights() ? byLayer.get(layer.node().sharesWeightsOf()) : own;
      OpContext context = new OpContext(c -> {
        throw new AssertionError("no custom layer here");
      });
      BoundLayer java = new RecurrentOp(Long.MAX_VALUE, Long.MAX_VALUE).bind(r, layer, bound, context);
      BoundLayer nd4j = new RecurrentOp(0, 0).bind(r, layer, bound, context);
      assertThat(nd4j.javaMaxBatch()).isZero();
      List<INDArray> xs = new ArrayList<>();
      for (int i = 0; i < layer.inputShapes().size(); i++) {
        INDArray x = Nd4j.rand(DataType.FLOAT, layer.inputShapes().get(i).withBatch(64)).subi(0.5).muli(4);
        if (r.masked() && i == layer.inputShapes().size() - 1) {
          x.assign(Nd4j.create(nextMask(random, (int) x.length()), x.shape()));
        }
        xs.add(x);
      }
      float[] expected = java.java().apply(xs.stream().map(x -> x.dup('c').data().asFloat()).toList(), 64);
      float[] actual = nd4j.nd4j().apply(xs).dup('c').data().asFloat();
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) Math.abs(actual[i] - expected[i])).as("%s layer %s value %d", file, layer.name(), i)
            .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(expected[i])));
      }
      checked++;
    }
    assertThat(checked).isPositive();
  }

  /** A mask with about one step in three masked. */
  private static float[] nextMask(Random random, int n) {
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = random.nextInt(3) == 0 ? 0 : 1;
    }
    return m;
  }
}
