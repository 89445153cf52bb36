package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.MultiHeadAttention;
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
 * The attention op's two ways of computing its projections agree: every attention layer of the
 * Keras fixtures (whose plain-Java results {@code AttentionTest} checks against Keras), bound with
 * limits that send every projection through ND4J's gemm, gives the Java-bound op's result on the
 * same batch of 64 (masks drawn as 0/1, as Keras' are).
 */
class MultiHeadAttentionOpTest {
  @ParameterizedTest
  @ValueSource(strings = {"keras_self.keras", "keras_cross.keras", "keras_causal.keras", "keras_mask.keras",
      "keras_no_bias.keras", "keras_encoder_causal.keras"})
  void nd4jProductsGiveTheJavaProducts(String file) {
    Network net = Network.load(root().resolve("attention").resolve(file));
    List<INDArray> weights = net.getWeights();
    int next = 0;
    int checked = 0;
    for (InferredModel.Layer layer : net.model().nodes()) {
      List<INDArray> own = new ArrayList<>(weights.subList(next, next + layer.params().size()));
      next += layer.params().size();
      if (!(layer.spec() instanceof MultiHeadAttention a)) {
        continue;
      }
      OpContext context = new OpContext(c -> {
        throw new AssertionError("no custom layer here");
      });
      BoundLayer java = new MultiHeadAttentionOp(Long.MAX_VALUE, Long.MAX_VALUE).bind(a, layer, own, context);
      BoundLayer nd4j = new MultiHeadAttentionOp(0, 0).bind(a, layer, own, context);
      assertThat(nd4j.javaMaxBatch()).isZero();
      List<INDArray> x = new ArrayList<>();
      for (int i = 0; i < layer.inputShapes().size(); i++) {
        Shape s = layer.inputShapes().get(i);
        INDArray r = Nd4j.rand(DataType.FLOAT, s.withBatch(64));
        x.add(a.inputs().get(i) == MultiHeadAttention.Role.ATTENTION_MASK ? r.gt(0.3).castTo(DataType.FLOAT)
            : r.subi(0.5).muli(4));
      }
      float[] expected = java.java().apply(x.stream().map(t -> t.dup('c').data().asFloat()).toList(), 64);
      float[] actual = nd4j.nd4j().apply(x).dup('c').data().asFloat();
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
