package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Keras {@code Masking(mask_value=0.0)}: a step whose features all equal {@code maskValue} is
 * masked for the layers after it that read masks ({@link StepMask}), and its features become 0; the
 * others pass unchanged. Input and output {@code (T, F)}.
 */
public record Masking(Framework framework, double maskValue) implements LayerSpec {

  @Override
  public String typeName() {
    return MaskingKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != 2) {
      throw new ShapeException("input is " + in + "; Masking takes (time, features) samples");
    }
    return in;
  }
}
