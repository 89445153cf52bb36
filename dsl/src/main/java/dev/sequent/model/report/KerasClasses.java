package dev.sequent.model.report;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Pool2D;

/** The Keras class equivalent to each layer record, whichever vocabulary declared it. */
public final class KerasClasses {
  private KerasClasses() {}

  public static String of(LayerSpec spec) {
    if (spec.framework() == Framework.KERAS) {
      return spec.typeName();
    }
    if (spec instanceof Dense) {
      return "Dense";
    } else if (spec instanceof Conv2D) {
      return "Conv2D";
    } else if (spec instanceof BatchNorm) {
      return "BatchNormalization";
    } else if (spec instanceof Pool2D p) {
      return p.kind() == Pool2D.Kind.MAX ? "MaxPooling2D" : "AveragePooling2D";
    } else if (spec instanceof ActivationLayer a) {
      return switch (a.activation().kind()) {
        case RELU -> "ReLU";
        case SOFTMAX -> "Softmax";
        case LEAKY_RELU -> "LeakyReLU";
        case ELU -> "ELU";
        default -> "Activation";
      };
    }
    return spec.typeName();
  }
}
