package dev.sequent.runtime.exec;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import java.util.Optional;

/**
 * What the execution plan folded into a layer's output, per value: {@code y = act(scale[c] * x +
 * shift[c])} with {@code c} the index along the sample axis {@code axis}. A layer whose op
 * {@linkplain LayerOpFactory#absorbs absorbs} an epilogue applies it inside its own kernel (an
 * affine map folds into a convolution's or dense layer's weights and bias; the activation runs on
 * the buffer the layer just wrote), so the layers it came from (inference BatchNorm, a standalone
 * activation) run as no-ops instead of one more pass over the whole tensor each.
 *
 * <p>Last, optionally, a {@link Pooling} of the result: the one part that changes the shape, taken
 * only by a layer whose kernel computes its output in bands of whole rows (a direct convolution),
 * which then pools each band while it is in the cache instead of writing the full-size output and
 * reading it back.
 *
 * @param scale per-feature factor, or null for none (then {@code shift} is null too)
 * @param shift per-feature offset, or null
 * @param axis the feature axis in the sample shape (non-negative), or -1 without an affine part
 * @param activation applied after the affine map; linear for none
 * @param pooling applied after the activation, or null for none
 */
public record Epilogue(float[] scale, float[] shift, int axis, Activation activation, Pooling pooling) {
  /** Nothing folded. */
  public static final Epilogue NONE = new Epilogue(null, null, -1, Activation.LINEAR, null);

  public Epilogue {
    if ((scale == null) != (shift == null) || (scale != null && scale.length != shift.length)) {
      throw new IllegalArgumentException("scale and shift go together, one per feature");
    }
  }

  /**
   * Pooling over windows that neither overlap nor pad: each output the maximum or the mean of one
   * {@code height x width} block of an image's plane (stride equal to the window), the rows and
   * columns past the last whole block dropped, as PyTorch's {@code MaxPool2d}/{@code AvgPool2d}
   * and Keras' {@code "valid"} poolings do with these settings. The mean divides by the window's
   * size, which every divisor rule agrees on when nothing is padded.
   *
   * @param format the layout the pooling layer reads its input in: the absorbing layer's must match
   */
  public record Pooling(boolean max, int height, int width, DataFormat format) {
    public Pooling {
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("a pooling window of at least one value: " + height + "x" + width);
      }
    }

    /** Pooled size of {@code size} input rows or columns along a window of {@code window}. */
    public static int pooled(int size, int window) {
      return size / window;
    }
  }

  public Epilogue(float[] scale, float[] shift, int axis, Activation activation) {
    this(scale, shift, axis, activation, null);
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

  /** A pooling alone. */
  public static Epilogue pooling(Pooling pooling) {
    return new Epilogue(null, null, -1, Activation.LINEAR, pooling);
  }

  public boolean hasActivation() {
    return activation.kind() != Activation.Kind.LINEAR;
  }

  public boolean hasPooling() {
    return pooling != null;
  }

  public boolean isNone() {
    return !hasAffine() && !hasActivation() && !hasPooling();
  }

  /** The per-value part alone: what a layer applies before it pools. */
  public Epilogue withoutPooling() {
    return pooling == null ? this : new Epilogue(scale, shift, axis, activation, null);
  }

  /**
   * This epilogue followed by {@code next}, if that is again one epilogue: an affine map composes
   * with an earlier affine map on the same axis, an activation follows an affine map, a pooling
   * follows any of them; after a non-linear activation only a pooling, after a pooling nothing.
   */
  public Optional<Epilogue> then(Epilogue next) {
    if (hasPooling() && !next.isNone()) {
      return Optional.empty();
    }
    if (next.hasPooling()) {
      return next.withoutPooling().isNone()
          ? Optional.of(new Epilogue(scale, shift, axis, activation, next.pooling())) : Optional.empty();
    }
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
