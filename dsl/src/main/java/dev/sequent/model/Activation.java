package dev.sequent.model;

import java.util.Locale;

/**
 * An element-wise (or, for softmax, per-axis) activation function with its parameters.
 *
 * @param kind which function
 * @param alpha the negative slope of leaky relu, alpha of elu, beta of softplus; unused otherwise
 * @param threshold softplus' linear threshold (PyTorch); {@code +inf} for Keras' exact softplus
 * @param axis softmax axis over the full tensor including the batch axis; negative counts from the
 *     end (Keras axis=-1 and PyTorch dim=1 both mean the feature axis of a 2-D batch)
 * @param approximate gelu's tanh approximation
 * @param maxValue the upper clip of Keras' {@code ReLU(max_value)} and PyTorch's {@code Hardtanh(max_val)};
 *     {@code +inf} for none. Keras' ReLU keeps its {@code threshold} in {@code threshold} and its
 *     {@code negative_slope} in {@code alpha}; Hardtanh its {@code min_val} in {@code alpha}.
 */
public record Activation(Kind kind, double alpha, double threshold, int axis, boolean approximate, double maxValue) {

  /**
   * The functions. {@code HARD_SIGMOID} is Keras 3's and PyTorch's {@code relu6(x + 3) / 6};
   * {@code HARD_SIGMOID_TF} is tf_keras' {@code clip(0.2 x + 0.5, 0, 1)}, which tf_keras files mean by
   * the same name {@code "hard_sigmoid"}. {@code HARD_SILU} is {@code x * relu6(x + 3) / 6}.
   * {@code KERAS_RELU} is Keras' {@code ReLU(max_value, negative_slope, threshold)} with any argument set.
   */
  public enum Kind {
    LINEAR, RELU, TANH, SIGMOID, SOFTMAX, LEAKY_RELU, ELU, SELU, GELU, SILU, SOFTPLUS,
    RELU6, HARD_SIGMOID, HARD_SIGMOID_TF, HARD_SILU, HARDTANH, KERAS_RELU,
    /** {@code x * tanh(softplus(x))}. */
    MISH,
    /** {@code exp(x)} (Keras' {@code exponential}; no torch.nn module). */
    EXPONENTIAL,
    /** {@code x / (1 + |x|)}. */
    SOFTSIGN,
    /** {@code max(0, x) + min(0, alpha * (exp(x / alpha) - 1))}; alpha in {@code alpha}. */
    CELU,
    /** {@code log(softmax(x))} along {@code axis}. */
    LOG_SOFTMAX,
    /** {@code -softplus(-x)}. */
    LOG_SIGMOID,
    /** {@code x - t} above {@code t}, {@code x + t} below {@code -t}, else 0; {@code t} in {@code alpha}. */
    SOFT_SHRINK,
    /** {@code x} where {@code |x| > t}, else 0; {@code t} in {@code alpha}. */
    HARD_SHRINK,
    /** {@code x - tanh(x)}. */
    TANH_SHRINK,
    /** {@code (x + sqrt(x^2 + b)) / 2}; {@code b} in {@code alpha} (Keras' {@code squareplus}, no torch.nn module). */
    SQUAREPLUS,
    /** 0 below -1, {@code x} above 1, {@code (x + 1)^2 / 4} between (Keras; no torch.nn module). */
    SPARSE_PLUS,
    /** 0 below -1, 1 above 1, {@code (x + 1) / 2} between (Keras; no torch.nn module). */
    SPARSE_SIGMOID
  }

  /** Keras' {@code celu} and PyTorch's {@code CELU} default alpha. */
  public static final double CELU_ALPHA = 1.0;
  /** Keras' {@code soft_shrink}/{@code hard_shrink} threshold and PyTorch's {@code lambd}. */
  public static final double SHRINK_THRESHOLD = 0.5;
  /** Keras' {@code squareplus} b. */
  public static final double SQUAREPLUS_B = 4.0;

  public static final Activation LINEAR = of(Kind.LINEAR);

  public Activation(Kind kind, double alpha, double threshold, int axis, boolean approximate) {
    this(kind, alpha, threshold, axis, approximate, Double.POSITIVE_INFINITY);
  }

  public static Activation of(Kind kind) {
    return new Activation(kind, 0, Double.POSITIVE_INFINITY, -1, false);
  }

  /**
   * Keras' {@code ReLU(max_value, negative_slope, threshold)}; the plain {@code relu} when all are at
   * their defaults ({@code max_value=None} is {@code +inf} here).
   */
  public static Activation kerasRelu(double maxValue, double negativeSlope, double threshold) {
    if (Double.isInfinite(maxValue) && negativeSlope == 0 && threshold == 0) {
      return of(Kind.RELU);
    }
    return new Activation(Kind.KERAS_RELU, negativeSlope, threshold, -1, false, maxValue);
  }

  /** PyTorch's {@code Hardtanh(min_val, max_val)}: {@code clamp(x, min_val, max_val)}. */
  public static Activation hardtanh(double minVal, double maxVal) {
    return new Activation(Kind.HARDTANH, minVal, Double.POSITIVE_INFINITY, -1, false, maxVal);
  }

  public static Activation softmax(int axis) {
    return new Activation(Kind.SOFTMAX, 0, Double.POSITIVE_INFINITY, axis, false);
  }

  public static Activation leakyRelu(double negativeSlope) {
    return new Activation(Kind.LEAKY_RELU, negativeSlope, Double.POSITIVE_INFINITY, -1, false);
  }

  public static Activation elu(double alpha) {
    return new Activation(Kind.ELU, alpha, Double.POSITIVE_INFINITY, -1, false);
  }

  public static Activation gelu(boolean approximate) {
    return new Activation(Kind.GELU, 0, Double.POSITIVE_INFINITY, -1, approximate);
  }

  /** An activation with one scalar argument kept in {@code alpha} (celu, the shrinks, squareplus). */
  public static Activation withAlpha(Kind kind, double alpha) {
    return new Activation(kind, alpha, Double.POSITIVE_INFINITY, -1, false);
  }

  public static Activation logSoftmax(int axis) {
    return new Activation(Kind.LOG_SOFTMAX, 0, Double.POSITIVE_INFINITY, axis, false);
  }

  public static Activation softplus(double beta, double threshold) {
    return new Activation(Kind.SOFTPLUS, beta, threshold, -1, false);
  }

  /**
   * Parses a Keras {@code activation=} string with Keras 3's defaults (leaky_relu slope 0.2,
   * elu alpha 1, exact gelu, softmax over the last axis). {@code swish} is Keras' other name for silu.
   *
   * @throws ShapeException naming the string and the accepted ones
   */
  public static Activation fromKeras(String name) {
    return fromKeras(name, false);
  }

  /**
   * As {@link #fromKeras(String)}, for a config written by tf_keras when {@code tfKeras}: there
   * {@code hard_sigmoid} is {@code clip(0.2 x + 0.5, 0, 1)}, and {@code hard_silu} does not exist.
   */
  public static Activation fromKeras(String name, boolean tfKeras) {
    String n = name.toLowerCase(Locale.ROOT);
    if (tfKeras && n.equals("hard_sigmoid")) {
      return of(Kind.HARD_SIGMOID_TF);
    }
    switch (n) {
      case "", "linear", "none": return LINEAR;
      case "relu": return of(Kind.RELU);
      case "tanh": return of(Kind.TANH);
      case "sigmoid": return of(Kind.SIGMOID);
      case "softmax": return softmax(-1);
      case "leaky_relu": return leakyRelu(0.2);
      case "elu": return elu(1.0);
      case "selu": return of(Kind.SELU);
      case "gelu": return gelu(false);
      case "silu", "swish": return of(Kind.SILU);
      case "softplus": return softplus(1.0, Double.POSITIVE_INFINITY);
      case "relu6": return of(Kind.RELU6);
      case "hard_sigmoid": return of(Kind.HARD_SIGMOID);
      case "hard_silu", "hard_swish": return of(Kind.HARD_SILU);
      case "mish": return of(Kind.MISH);
      case "exponential": return of(Kind.EXPONENTIAL);
      case "softsign": return of(Kind.SOFTSIGN);
      case "celu": return withAlpha(Kind.CELU, CELU_ALPHA);
      case "log_softmax": return logSoftmax(-1);
      case "log_sigmoid": return of(Kind.LOG_SIGMOID);
      case "hard_tanh": return hardtanh(-1, 1);
      case "soft_shrink": return withAlpha(Kind.SOFT_SHRINK, SHRINK_THRESHOLD);
      case "hard_shrink": return withAlpha(Kind.HARD_SHRINK, SHRINK_THRESHOLD);
      case "tanh_shrink": return of(Kind.TANH_SHRINK);
      case "squareplus": return withAlpha(Kind.SQUAREPLUS, SQUAREPLUS_B);
      case "sparse_plus": return of(Kind.SPARSE_PLUS);
      case "sparse_sigmoid": return of(Kind.SPARSE_SIGMOID);
      case "glu":
        throw new ShapeException("activation", "activation \"glu\" halves the last axis, which an "
            + "element-wise Activation layer cannot do; Sequent does not implement it");
      case "sparsemax", "threshold":
        throw new ShapeException("activation", "activation \"" + n + "\" is not implemented by Sequent");
      default:
        throw new ShapeException("activation", "unknown activation \"" + name + "\"; expected one of "
            + "linear, relu, tanh, sigmoid, softmax, leaky_relu, elu, selu, gelu, silu, swish, softplus, "
            + "relu6, hard_sigmoid, hard_silu, hard_swish, mish, exponential, softsign, celu, log_softmax, "
            + "log_sigmoid, hard_tanh, soft_shrink, hard_shrink, tanh_shrink, squareplus, sparse_plus, "
            + "sparse_sigmoid");
    }
  }

  /**
   * The Keras activation string for this function; for those no string names (Keras' ReLU with
   * arguments, Hardtanh) the layer's description, which no writer emits ({@code KerasJson.activation}
   * refuses them).
   */
  public String kerasName() {
    return switch (kind) {
      case LINEAR -> "linear";
      case RELU -> "relu";
      case TANH -> "tanh";
      case SIGMOID -> "sigmoid";
      case SOFTMAX -> "softmax";
      case LEAKY_RELU -> "leaky_relu";
      case ELU -> "elu";
      case SELU -> "selu";
      case GELU -> "gelu";
      case SILU -> "silu";
      case SOFTPLUS -> "softplus";
      case RELU6 -> "relu6";
      case HARD_SIGMOID, HARD_SIGMOID_TF -> "hard_sigmoid";
      case HARD_SILU -> "hard_silu";
      case HARDTANH -> isUnitHardtanh() ? "hard_tanh" : "hardtanh(" + alpha + ", " + maxValue + ")";
      case KERAS_RELU -> "relu(max_value=" + maxValue + ", negative_slope=" + alpha + ", threshold=" + threshold + ")";
      case MISH -> "mish";
      case EXPONENTIAL -> "exponential";
      case SOFTSIGN -> "softsign";
      case CELU -> alpha == CELU_ALPHA ? "celu" : "celu(alpha=" + alpha + ")";
      case LOG_SOFTMAX -> "log_softmax";
      case LOG_SIGMOID -> "log_sigmoid";
      case SOFT_SHRINK -> alpha == SHRINK_THRESHOLD ? "soft_shrink" : "soft_shrink(threshold=" + alpha + ")";
      case HARD_SHRINK -> alpha == SHRINK_THRESHOLD ? "hard_shrink" : "hard_shrink(threshold=" + alpha + ")";
      case TANH_SHRINK -> "tanh_shrink";
      case SQUAREPLUS -> alpha == SQUAREPLUS_B ? "squareplus" : "squareplus(b=" + alpha + ")";
      case SPARSE_PLUS -> "sparse_plus";
      case SPARSE_SIGMOID -> "sparse_sigmoid";
    };
  }

  /** PyTorch's default {@code Hardtanh(-1, 1)}, which is Keras 3's {@code hard_tanh}. */
  private boolean isUnitHardtanh() {
    return kind == Kind.HARDTANH && alpha == -1 && maxValue == 1;
  }

  /**
   * Whether {@code kerasName()} is an activation string the dialect's Keras reads as this function:
   * tf_keras has no hard_silu and its hard_sigmoid is the 0.2 x + 0.5 form; Keras 3's is relu6(x + 3) / 6.
   */
  public boolean hasKerasString(boolean tfKeras) {
    return switch (kind) {
      case KERAS_RELU -> false;
      case HARDTANH -> isUnitHardtanh() && !tfKeras;
      case HARD_SILU, HARD_SIGMOID -> !tfKeras;
      case HARD_SIGMOID_TF -> tfKeras;
      // Keras 3 only, and only at the defaults its string stands for (axis -1, alpha, threshold, b).
      case CELU -> alpha == CELU_ALPHA && !tfKeras;
      // tf_keras has log_softmax (over the last axis) but none of the others (fixtures/conv_family checks).
      case LOG_SOFTMAX -> axis == -1;
      case SOFT_SHRINK, HARD_SHRINK -> alpha == SHRINK_THRESHOLD && !tfKeras;
      case SQUAREPLUS -> alpha == SQUAREPLUS_B && !tfKeras;
      case LOG_SIGMOID, TANH_SHRINK, SPARSE_PLUS, SPARSE_SIGMOID -> !tfKeras;
      default -> true;
    };
  }

  /** The torch.nn module class computing this function. */
  public String torchName() {
    return switch (kind) {
      case LINEAR -> "Identity";
      case RELU -> "ReLU";
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case SOFTMAX -> "Softmax";
      case LEAKY_RELU -> "LeakyReLU";
      case ELU -> "ELU";
      case SELU -> "SELU";
      case GELU -> "GELU";
      case SILU -> "SiLU";
      case SOFTPLUS -> "Softplus";
      case RELU6 -> "ReLU6";
      case HARD_SIGMOID -> "Hardsigmoid";
      case HARD_SIGMOID_TF -> "hard_sigmoid(tf_keras)";
      case HARD_SILU -> "Hardswish";
      case HARDTANH -> "Hardtanh";
      case KERAS_RELU -> "ReLU(max_value=" + maxValue + ", negative_slope=" + alpha + ", threshold=" + threshold + ")";
      case MISH -> "Mish";
      case SOFTSIGN -> "Softsign";
      case CELU -> "CELU";
      case LOG_SOFTMAX -> "LogSoftmax";
      case LOG_SIGMOID -> "LogSigmoid";
      case SOFT_SHRINK -> "Softshrink";
      case HARD_SHRINK -> "Hardshrink";
      case TANH_SHRINK -> "Tanhshrink";
      case EXPONENTIAL, SQUAREPLUS, SPARSE_PLUS, SPARSE_SIGMOID -> kerasName() + "(no torch.nn module)";
    };
  }

  public boolean isLinear() {
    return kind == Kind.LINEAR;
  }

  /**
   * Whether every output is {@code >= 0}, whatever the input: what lets zero padding stand for
   * PyTorch's {@code -inf} padding of a max pool that follows (a window's maximum is then never below 0).
   */
  public boolean nonNegative() {
    return switch (kind) {
      case RELU, RELU6, SIGMOID, SOFTMAX, HARD_SIGMOID, HARD_SIGMOID_TF, SOFTPLUS, EXPONENTIAL, SQUAREPLUS,
          SPARSE_PLUS, SPARSE_SIGMOID -> true;
      case KERAS_RELU -> alpha == 0 && threshold >= 0;
      case HARDTANH -> alpha >= 0;
      default -> false;
    };
  }

  /** Whether a non-negative input gives a non-negative output (every activation but the log ones and a negative clip). */
  public boolean keepsNonNegative() {
    return switch (kind) {
      case LOG_SOFTMAX, LOG_SIGMOID -> false;
      case HARDTANH, KERAS_RELU -> maxValue >= 0;
      default -> true;
    };
  }

  /** Checks the softmax axis against a sample shape (the batch axis is axis 0 of the full tensor). */
  public void checkAxis(Shape sample) {
    if (kind != Kind.SOFTMAX && kind != Kind.LOG_SOFTMAX) {
      return;
    }
    int rank = sample.rank() + 1;
    if (axis < -rank || axis >= rank) {
      throw new ShapeException("axis", "softmax axis " + axis + " is out of range for a tensor of rank "
          + rank + " (batch + " + sample + "); valid axes are " + (-rank) + " to " + (rank - 1));
    }
    if (axis == 0 || axis == -rank) {
      throw new ShapeException("axis", "softmax axis " + axis + " is the batch axis; "
          + "normalising across samples is almost certainly a mistake (use -1 or 1)");
    }
  }
}
