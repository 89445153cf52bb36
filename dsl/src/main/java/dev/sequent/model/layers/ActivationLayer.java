package dev.sequent.model.layers;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import java.util.List;

/**
 * A layer that only applies an activation: PyTorch {@code ReLU()}, {@code Softmax(dim)}, ...;
 * Keras {@code Activation("relu")}, {@code ReLU()}, {@code Softmax(axis)}, {@code LeakyReLU}, {@code ELU}.
 *
 * @param typeName the class name as declared ({@code Activation}, {@code ReLU}, {@code Softmax})
 */
public record ActivationLayer(Framework framework, String typeName, Activation activation) implements LayerSpec {

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    activation.checkAxis(in);
    return in;
  }
}
