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
 */
public record Activation(Kind kind, double alpha, double threshold, int axis, boolean approximate) {

  public enum Kind {
    LINEAR, RELU, TANH, SIGMOID, SOFTMAX, LEAKY_RELU, ELU, SELU, GELU, SILU, SOFTPLUS
  }

  public static final Activation LINEAR = of(Kind.LINEAR);

  public static Activation of(Kind kind) {
    return new Activation(kind, 0, Double.POSITIVE_INFINITY, -1, false);
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
    switch (name.toLowerCase(Locale.ROOT)) {
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
      default:
        throw new ShapeException("activation", "unknown activation \"" + name + "\"; expected one of "
            + "linear, relu, tanh, sigmoid, softmax, leaky_relu, elu, selu, gelu, silu, swish, softplus");
    }
  }

  /** The Keras activation string for this function. */
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
