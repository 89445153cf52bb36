package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.examples.keras.TwoOutputHeadsNet;
import dev.sequent.model.Shape;
import dev.sequent.runtime.InputShapeException;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java-declared two-input, two-output {@link dev.sequent.examples.keras.TwoOutputHeads}: its
 * shapes, and with the weights real Keras 3 and tf_keras saved for the same graph
 * (fixtures/graphs/two_inputs) its first output is Keras' for both inputs, by list and by name.
 */
class GraphExamplesTest {
  private static final Path DIR = root().resolve("graphs");

  @Test
  void twoInputsAndTwoOutputsFromJava() {
    Network net = Network.create(TwoOutputHeadsNet.model(), 7);
    assertThat(net.inputNames()).containsExactly("a", "b");
    assertThat(net.inputShapes()).containsExactly(Shape.of(6), Shape.of(4));
    assertThat(net.outputNames()).containsExactly("head", "side");
    assertThat(net.outputShapes()).containsExactly(Shape.of(3), Shape.of(2));
    INDArray a = npy("two_inputs_input_0.npy");
    INDArray b = npy("two_inputs_input_1.npy");
    INDArray expected = npy("two_inputs_output.npy");
    for (String file : List.of("two_inputs.keras", "two_inputs.h5")) {
      // The file's graph is this one without "side": its weights in Keras order, then side's own.
      List<INDArray> weights = new java.util.ArrayList<>(Network.load(DIR.resolve(file)).getWeights());
      List<INDArray> own = net.getWeights();
      weights.addAll(own.subList(own.size() - 2, own.size()));
      net.setWeights(weights);
      List<INDArray> out = net.forward(List.of(a, b));
      assertClose(expected, out.get(0), file + " head");
      assertThat(out.get(1).shape()).containsExactly(8, 2);
      Map<String, INDArray> byName = net.forward(Map.of("b", b, "a", a));
      assertThat(byName.keySet()).containsExactly("head", "side");
      assertClose(expected, byName.get("head"), file + " inputs by name");
      assertClose(out.get(1), byName.get("side"), file + " side by name");
    }
    assertThatThrownBy(() -> net.forward(a)).isInstanceOf(InputShapeException.class)
        .hasMessageContaining("takes 2 input(s) and returns 2 output(s)");
    assertThatThrownBy(() -> net.forward(List.of(b, a))).isInstanceOf(InputShapeException.class)
        .hasMessageContaining("input a: expected input [N,6]");
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }
}
