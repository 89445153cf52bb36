package dev.sequent.runtime.graph;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras models that apply arithmetic with a number in their code ({@code ReLU(6.0)(x + 3.0) * (1.0 / 6.0)},
 * as keras.applications' MobileNetV3 does; and each operator with the number on either side), saved
 * by real Keras 3 as operation nodes ({@code keras.src.ops.numpy.Add}, constants among the call's
 * arguments) and by real tf_keras as {@code TFOpLambda} layers (fixtures/make_keras_ops_fixtures.py).
 * Read as the Add and Multiply layers they ran, with the constants dropped, 1e-4 off on MobileNetV3;
 * now they run, and an operation Sequent does not run is refused by name.
 */
class KerasOperationsTest {
  static final Path DIR = root().resolve("keras_ops");

  @ParameterizedTest
  @ValueSource(strings = {"keras_scalar_ops.keras", "keras_scalar_ops.h5", "keras_scalar_forms.keras",
      "keras_scalar_forms.h5"})
  void arithmeticWithANumberIsKeras(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    INDArray x = Fixtures.arrays(DIR, stem, "input").get(0);
    List<INDArray> expected = Fixtures.arrays(DIR, stem, "output");
    Network net = Network.load(DIR.resolve(file));
    assertThat(net.outputNames()).hasSize(expected.size());
    List<INDArray> batch = net.forward(List.of(x));
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), batch.get(o), file + " output " + o + " batch of 8");
    }
    for (int i = 0; i < x.size(0); i++) {
      List<INDArray> one = net.forward(List.of(x.get(NDArrayIndex.interval(i, i + 1)).dup('c')));
      for (int o = 0; o < expected.size(); o++) {
        assertClose(expected.get(o).get(NDArrayIndex.interval(i, i + 1)), one.get(o),
            file + " output " + o + " sample " + i);
      }
    }
  }

  @Test
  void aKeras3OperationSequentDoesNotRunIsRefusedNamingIt() {
    assertThatThrownBy(() -> Network.load(DIR.resolve("keras_sine.keras")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("layer sin (Sin from keras.src.ops.numpy) is a Keras operation applied in the "
            + "model's code (such as x + 3.0), not a layer");
  }

  @Test
  void aTensorFlowFunctionSequentDoesNotRunIsRefusedNamingIt() {
    assertThatThrownBy(() -> Network.load(DIR.resolve("keras_sine.h5")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("TFOpLambda of tf.math.sin (a TensorFlow function in the model's code) is not "
            + "supported");
  }
}
