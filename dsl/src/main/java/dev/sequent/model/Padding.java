package dev.sequent.model;

/**
 * Spatial padding of a convolution or pooling layer: Keras' {@code "valid"}/{@code "same"} or
 * PyTorch's explicit {@code padding=(ph, pw)} (zeros on both sides).
 *
 * <p>Keras "same" pads {@code total = max((ceil(in/s) - 1) * s + k_eff - in, 0)} with the smaller
 * half before and the larger after, so odd totals are asymmetric; {@link #before} and
 * {@link #after} give the exact amounts for one axis.
 */
public record Padding(Mode mode, int height, int width) {

  public enum Mode { VALID, SAME, EXPLICIT }

  public static final Padding VALID = new Padding(Mode.VALID, 0, 0);
  public static final Padding SAME = new Padding(Mode.SAME, 0, 0);

  public static Padding explicit(int height, int width) {
    if (height < 0 || width < 0) {
      throw new ShapeException("padding", "padding must be >= 0. Received: padding=(" + height + ", " + width + ")");
    }
    return height == 0 && width == 0 ? VALID : new Padding(Mode.EXPLICIT, height, width);
  }

  /** Parses Keras' padding string. */
  public static Padding fromKeras(String padding) {
    return switch (padding) {
      case "valid" -> VALID;
      case "same" -> SAME;
      default -> throw new ShapeException("padding",
          "padding must be \"valid\" or \"same\". Received: padding=\"" + padding + "\"");
    };
  }

  /** Output length along one axis for input length {@code in}, kernel {@code k}, stride, dilation. */
  public int outputLength(int in, int k, int stride, int dilation, int axisPad, boolean ceilMode) {
    int effective = dilation * (k - 1) + 1;
    return switch (mode) {
      case SAME -> (in + stride - 1) / stride;
      case VALID, EXPLICIT -> {
        // PyTorch's pooling_output_shape: in ceil mode a last window may start in the input and run
        // past its end, even when the kernel is longer than the padded input. Non-positive: no window.
        int span = in + 2 * axisPad - effective;
        yield Math.floorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
      }
    };
  }

  /** Padding added before the data along one axis. */
  public int before(int in, int k, int stride, int dilation, int axisPad) {
    return switch (mode) {
      case VALID -> 0;
      case EXPLICIT -> axisPad;
      case SAME -> sameTotal(in, k, stride, dilation) / 2;
    };
  }

  /** Padding added after the data along one axis. */
  public int after(int in, int k, int stride, int dilation, int axisPad) {
    return switch (mode) {
      case VALID -> 0;
      case EXPLICIT -> axisPad;
      case SAME -> sameTotal(in, k, stride, dilation) - sameTotal(in, k, stride, dilation) / 2;
    };
  }

  private static int sameTotal(int in, int k, int stride, int dilation) {
    int out = (in + stride - 1) / stride;
    int effective = dilation * (k - 1) + 1;
    return Math.max((out - 1) * stride + effective - in, 0);
  }

  /** The Keras string, or null when the padding is explicit (Keras has no such argument). */
  public String kerasName() {
    return switch (mode) {
      case VALID -> "valid";
      case SAME -> "same";
      case EXPLICIT -> null;
    };
  }

  @Override
  public String toString() {
    return switch (mode) {
      case VALID -> "valid";
      case SAME -> "same";
      case EXPLICIT -> "(" + height + ", " + width + ")";
    };
  }
}
