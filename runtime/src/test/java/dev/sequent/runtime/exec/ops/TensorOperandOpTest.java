package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.TensorOperand;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The held-tensor op's two paths agree: every TensorOperand of the exported held_tensors programs
 * (whose plain-Java results {@code ExportedProgramTest} checks against PyTorch at batch 8 and 1),
 * bound so that every batch goes through ND4J's row-vector operations, gives the Java path's values
 * on a batch of 64.
 */
class TensorOperandOpTest {
  @ParameterizedTest
  @ValueSource(strings = {"held_tensors.pt2", "held_tensors_core.pt2"})
  void nd4jViewGivesTheJavaCopy(String file) {
    Network net = Network.load(root().resolve("export").resolve(file));
    OpContext context = new OpContext(c -> {
      throw new AssertionError("no custom layer here");
    });
    int checked = 0;
    for (InferredModel.Layer layer : net.model().nodes()) {
      if (!(layer.spec() instanceof TensorOperand s)) {
        continue;
      }
      BoundLayer java = new TensorOperandOp(Long.MAX_VALUE).bind(s, layer, List.of(net.stateDict().get(layer.name() + "." + s.name())), context);
      BoundLayer nd4j = new TensorOperandOp(0).bind(s, layer, List.of(net.stateDict().get(layer.name() + "." + s.name())), context);
      assertThat(nd4j.javaMaxBatch()).isZero();
      INDArray x = Nd4j.rand(DataType.FLOAT, layer.inputShapes().get(0).withBatch(64));
      float[] expected = java.java().apply(List.of(x.dup('c').data().asFloat()), 64);
      INDArray actual = nd4j.nd4j().apply(List.of(x));
      assertThat(actual.shape()).as(layer.name()).isEqualTo(layer.outputShape().withBatch(64));
      assertThat(actual.dup('c').data().asFloat()).as(file + " " + layer.name()).containsExactly(expected);
      checked++;
    }
    assertThat(checked).isPositive();
  }
}
