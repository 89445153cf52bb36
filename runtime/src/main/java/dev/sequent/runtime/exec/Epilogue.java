package dev.sequent.runtime.exec;

import dev.sequent.model.Activation;
import java.util.Optional;

/**
 * What the execution plan folded into a layer's output, per value: {@code y = act(scale[c] * x +
 * shift[c])} with {@code c} the index along the sample axis {@code axis}. A layer whose op
 * {@linkplain LayerOpFactory#absorbs absorbs} an epilogue applies it inside its own kernel (an
 * affine map folds into a convolution's or dense layer's weights and bias; the activation runs on
 * the buffer the layer just wrote), so the layers it came from (inference BatchNorm, a standalone
 * activation) run as no-ops instead of one more pass over the whole tensor each.
 *
 * @param scale per-feature factor, or null for none (then {@code shift} is null too)
 * @param shift per-feature offset, or null
 * @param axis the feature axis in the sample shape (non-negative), or -1 without an affine part
 * @param activation applied after the affine map; linear for none
 */
public record Epilogue(float[] scale, float[] shift, int axis, Activation activation) {
  /** Nothing folded. */
  public static final Epilogue NONE = new Epilogue(null, null, -1, Activation.LINEAR);

  public Epilogue {
    if ((scale == null) != (shift == null) || (scale != null && scale.length != shift.length)) {
      throw new IllegalArgumentException("scale and shift go together, one per feature");
    }
  }

  /** An affine map per feature along sample axis {@code axis}. */
  public static Epilogue affine(float[] scale, float[] shift, int axis) {
    return new Epilogue(scale, shift, axis, Activation.LINEAR);
  }

  /** An activation alone. */
  public static Epilogue activation(Activation act) {
    return new Epilogue(null, null, -1, act);
  }

  public boolean hasAffine() {
    return scale != null;
  }

  public boolean hasActivation() {
    return activation.kind() != Activation.Kind.LINEAR;
  }

  public boolean isNone() {
    return !hasAffine() && !hasActivation();
  }

  /**
   * This epilogue followed by {@code next}, if that is again one epilogue: an affine map composes
   * with an earlier affine map on the same axis, an activation follows an affine map; nothing
   * follows a non-linear activation.
   */
  public Optional<Epilogue> then(Epilogue next) {
    if (hasActivation() && !next.isNone()) {
      return Optional.empty();
    }
    if (!next.hasAffine()) {
      return Optional.of(new Epilogue(scale, shift, axis, next.activation()));
    }
    if (!hasAffine()) {
      return Optional.of(next);
    }
    if (axis != next.axis() || scale.length != next.scale().length) {
      return Optional.empty();
    }
    float[] s = new float[scale.length];
    float[] t = new float[scale.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) ((double) scale[i] * next.scale()[i]);
      t[i] = (float) ((double) shift[i] * next.scale()[i] + next.shift()[i]);
    }
    return Optional.of(new Epilogue(s, t, axis, next.activation()));
  }

  /**
   * The activation a layer with its own activation {@code own} applies after this epilogue's affine
   * part: at most one of them is non-linear (see {@link LayerOpFactory#absorbs}).
   */
  public Activation activationAfter(Activation own) {
    return hasActivation() ? activation : own;
  }
}
