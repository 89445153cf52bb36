package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import org.junit.jupiter.api.Test;

/**
 * A Keras 3 model that applies operations in its code ({@code ReLU(6.0)(x + 3.0) * (1.0 / 6.0)}, as
 * keras.applications' MobileNetV3 does), saved by real Keras (fixtures/make_keras_ops_fixtures.py):
 * the {@code Add} and {@code Multiply} nodes of module {@code keras.src.ops.numpy} hold their
 * constants as call arguments. Read as the Add and Multiply layers they ran, with the constants
 * dropped, 1e-4 off on MobileNetV3; now the model is refused, naming the operation.
 */
class KerasOperationsTest {

  @Test
  void aModelWithAKerasOperationIsRefusedNamingIt() {
    assertThatThrownBy(() -> Network.load(root().resolve("keras_ops").resolve("keras_scalar_ops.keras")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("layer add (Add from keras.src.ops.numpy) is a Keras operation applied in the "
            + "model's code (such as x + 3.0), not a layer");
  }
}
