package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import java.util.List;
import java.util.Optional;

/**
 * Arithmetic written in a Keras model's code rather than as a layer: a tensor and a number
 * ({@code x + 3.0}, {@code 1.0 - x}, {@code x * (1.0 / 6.0)}, {@code x / 255.0}) or two tensors
 * ({@code inputs + x}, broadcast as NumPy does). Keras 3 saves each as an operation node (module
 * {@code keras.src.ops.numpy}, classes {@code Add}, {@code Subtract}, {@code Multiply},
 * {@code TrueDivide}) and tf_keras as a {@code TFOpLambda} ({@code __operators__.add},
 * {@code math.subtract}, ...), a number among the call's arguments. keras.applications' MobileNetV3
 * builds its hard sigmoid from them, ConvNeXt its residual adds. No parameters.
 *
 * @param operator what combines the two operands
 * @param constant the number, for a tensor and a number; empty for two tensors
 * @param constantFirst whether the number is the left operand ({@code 1.0 - x}); it matters for
 *     subtraction and division only
 */
public record Arithmetic(Framework framework, Operator operator, Optional<Double> constant, boolean constantFirst)
    implements LayerSpec {

  /** The element-wise operations, with the Keras 3 class of each and the merge that computes it on two tensors. */
  public enum Operator {
    ADD("Add", "+", MergeOperator.ADD),
    SUBTRACT("Subtract", "-", MergeOperator.SUBTRACT),
    MULTIPLY("Multiply", "*", MergeOperator.MULTIPLY),
    DIVIDE("TrueDivide", "/", null);

    private final String kerasClass;
    private final String symbol;
    private final MergeOperator merge;

    Operator(String kerasClass, String symbol, MergeOperator merge) {
      this.kerasClass = kerasClass;
      this.symbol = symbol;
      this.merge = merge;
    }

    /** The class of the Keras 3 operation node ({@code keras.src.ops.numpy.<class>}). */
    public String kerasClass() {
      return kerasClass;
    }

    public String symbol() {
      return symbol;
    }

    /** The element-wise merge that computes it on two tensors; empty where none does (division). */
    public Optional<MergeOperator> merge() {
      return Optional.ofNullable(merge);
    }

    /** {@code a op b} in float32, as Keras computes it after casting the number to the tensor's dtype. */
    public float apply(float a, float b) {
      return switch (this) {
        case ADD -> a + b;
        case SUBTRACT -> a - b;
        case MULTIPLY -> a * b;
        case DIVIDE -> a / b;
      };
    }
  }

  /** A tensor and a number. */
  public static Arithmetic withNumber(Framework framework, Operator operator, double constant, boolean constantFirst) {
    return new Arithmetic(framework, operator, Optional.of(constant), constantFirst);
  }

  /** Two tensors; division has no element-wise merge and is refused by the kind that reads it. */
  public static Arithmetic ofTensors(Framework framework, Operator operator) {
    return new Arithmetic(framework, operator, Optional.empty(), false);
  }

  public Arithmetic {
    if (constant.isEmpty() && operator.merge().isEmpty()) {
      throw new IllegalArgumentException(operator + " of two tensors has no element-wise merge");
    }
  }

  @Override
  public String typeName() {
    return operator.kerasClass();
  }

  @Override
  public int arity() {
    return constant.isPresent() ? 1 : 2;
  }

  /** The expression it computes, as the model's code wrote it: {@code x + 3.0}, {@code 1.0 - x}, {@code x + y}. */
  public String expression() {
    if (constant.isEmpty()) {
      return "x " + operator.symbol() + " y";
    }
    return constantFirst ? constant.get() + " " + operator.symbol() + " x"
        : "x " + operator.symbol() + " " + constant.get();
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (constant.isPresent()) {
      return LayerSpec.only(inputs, this);
    }
    return asMerge().outputShape(inputs);
  }

  /** The element-wise merge of two tensors this is. */
  public ElementwiseMerge asMerge() {
    return new ElementwiseMerge(framework, operator.merge().orElseThrow(), 2);
  }
}
