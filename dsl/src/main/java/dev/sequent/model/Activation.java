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
    RELU6, HARD_SIGMOID, HARD_SIGMOID_TF, HARD_SILU, HARDTANH, KERAS_RELU
  }

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
      default:
        throw new ShapeException("activation", "unknown activation \"" + name + "\"; expected one of "
            + "linear, relu, tanh, sigmoid, softmax, leaky_relu, elu, selu, gelu, silu, swish, softplus, "
            + "relu6, hard_sigmoid, hard_silu, hard_swish");
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
      case HARDTANH -> "hardtanh(" + alpha + ", " + maxValue + ")";
      case KERAS_RELU -> "relu(max_value=" + maxValue + ", negative_slope=" + alpha + ", threshold=" + threshold + ")";
    };
  }

  /**
   * Whether {@code kerasName()} is an activation string the dialect's Keras reads as this function:
   * tf_keras has no hard_silu and its hard_sigmoid is the 0.2 x + 0.5 form; Keras 3's is relu6(x + 3) / 6.
   */
  public boolean hasKerasString(boolean tfKeras) {
    return switch (kind) {
      case HARDTANH, KERAS_RELU -> false;
      case HARD_SILU, HARD_SIGMOID -> !tfKeras;
      case HARD_SIGMOID_TF -> tfKeras;
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
    };
  }

  public boolean isLinear() {
    return kind == Kind.LINEAR;
  }

  /** Checks the softmax axis against a sample shape (the batch axis is axis 0 of the full tensor). */
  public void checkAxis(Shape sample) {
    if (kind != Kind.SOFTMAX) {
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
