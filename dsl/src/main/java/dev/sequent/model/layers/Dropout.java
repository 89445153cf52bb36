package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/** Dropout: Keras {@code Dropout(rate)}, PyTorch {@code Dropout(p)}. The identity at inference. */
public record Dropout(Framework framework, double rate) implements LayerSpec {

  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new ShapeException(framework == Framework.KERAS ? "rate" : "p",
          "dropout probability must be in [0, 1). Received: " + rate);
    }
  }

  @Override
  public String typeName() {
    return DropoutKind.CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    return LayerSpec.only(inputs, this);
  }
}
