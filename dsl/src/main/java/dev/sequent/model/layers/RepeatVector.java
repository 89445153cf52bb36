package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Keras {@code RepeatVector(n)}: a vector {@code [features]} repeated into the sequence
 * {@code [n, features]} (an encoder's summary fed to every step of a decoder).
 */
public record RepeatVector(Framework framework, int n) implements LayerSpec {

  public RepeatVector {
    LayerSpec.positive("n", n, "the number of repetitions");
  }

  @Override
  public String typeName() {
    return RepeatVectorKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != 1) {
      throw new ShapeException("expected a vector [features] but input is " + in);
    }
    return Shape.of(n, in.dim(0));
  }
}
