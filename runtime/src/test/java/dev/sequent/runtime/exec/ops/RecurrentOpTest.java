package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.OpContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent op's two ways of computing its products agree: every recurrent layer of the
 * Keras fixtures (whose plain-Java results {@code RecurrentTest} checks against Keras), bound with
 * limits that send every input projection and every step's recurrent product through ND4J's gemm,
 * gives the Java-bound op's result on the same batch of 64.
 */
class RecurrentOpTest {
  @ParameterizedTest
  @ValueSource(strings = {"keras_lstm.keras", "keras_gru.keras", "keras_simple_rnn.keras", "keras_bidirectional.keras",
      "keras_bidirectional_modes.keras", "keras_lstm_activations.keras", "keras_lstm_no_bias.keras"})
  void nd4jProductsGiveTheJavaProducts(String file) {
    Network net = Network.load(root().resolve("recurrent").resolve(file));
    List<INDArray> weights = net.getWeights(); // a Keras model's stored form, in layer order
    int next = 0;
    int checked = 0;
    for (InferredModel.Layer layer : net.model().nodes()) {
      List<INDArray> own = new ArrayList<>(weights.subList(next, next + layer.params().size()));
      next += layer.params().size();
      if (!(layer.spec() instanceof Recurrent r)) {
        continue;
      }
      OpContext context = new OpContext(c -> {
        throw new AssertionError("no custom layer here");
      });
      BoundLayer java = new RecurrentOp(Long.MAX_VALUE, Long.MAX_VALUE).bind(r, layer, own, context);
      BoundLayer nd4j = new RecurrentOp(0, 0).bind(r, layer, own, context);
      assertThat(nd4j.javaMaxBatch()).isZero();
      INDArray x = Nd4j.rand(DataType.FLOAT, layer.inputShapes().get(0).withBatch(64)).subi(0.5).muli(4);
      float[] expected = java.java().apply(List.of(x.dup('c').data().asFloat()), 64);
      float[] actual = nd4j.nd4j().apply(List.of(x)).dup('c').data().asFloat();
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) Math.abs(actual[i] - expected[i])).as("%s layer %s value %d", file, layer.name(), i)
            .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(expected[i])));
      }
      checked++;
    }
    assertThat(checked).isPositive();
  }
}
