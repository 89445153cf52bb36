package dev.sequent.model.kind;

import java.util.List;
import java.util.Optional;

/**
 * A node of a Keras Functional model made by code in the model rather than by a layer
 * ({@code x * 0.5}, {@code 1.0 - x}, {@code x + y}), as each Keras writes it in a config:
 *
 * <ul>
 *   <li>Keras 3: an operation node, {@code {"module": "keras.src.ops.numpy", "class_name":
 *       "Multiply", "config": {"name": ...}, "registered_name": "Multiply", "inbound_nodes":
 *       [{"args": [<tensor>, 0.5], "kwargs": {}}]}}: the operands in order among the call's
 *       positional arguments, a number as it is;
 *   <li>tf_keras: a {@code TFOpLambda} layer of the TensorFlow function ({@code "function":
 *       "math.multiply"}) whose one inbound node is the call's first operand as the node entry
 *       and the second as its keyword {@code y}: {@code [["d", 0, 0, {"y": 0.5, "name": null}]]};
 *       a number first is the entry {@code ["_CONSTANT_VALUE", -1, 1.0, {"y": ["d", 0, 0], "name":
 *       null}]}.
 * </ul>
 *
 * As real Keras 3.15 and tf_keras 2.21 save {@code Model([x, y], [a * 0.5, 1.0 - a, a + y])}.
 *
 * @param keras3Module the module of the Keras 3 operation class
 * @param keras3Class the Keras 3 operation class ({@code Multiply})
 * @param tfFunction the TensorFlow function tf_keras' {@code TFOpLambda} names ({@code math.multiply})
 * @param operands the call's positional operands in order
 */
public record KerasOperation(String keras3Module, String keras3Class, String tfFunction, List<Operand> operands) {
  /** tf_keras' class of a TensorFlow function called in a model's code. */
  public static final String TF_OP_LAMBDA = "TFOpLambda";

  /** tf_keras' node entry for a number passed as the first argument of a {@code TFOpLambda}. */
  public static final String TF_CONSTANT_VALUE = "_CONSTANT_VALUE";

  /** The keyword tf_keras records the second operand by. */
  public static final String TF_SECOND_ARGUMENT = "y";

  public KerasOperation {
    operands = List.copyOf(operands);
  }

  /**
   * One operand: the layer's input of that index, or a number.
   *
   * @param input the index among the layer's inputs; empty for a number
   * @param number the number; empty for an input
   */
  public record Operand(Optional<Integer> input, Optional<Double> number) {
    public Operand {
      if (input.isPresent() == number.isPresent()) {
        throw new IllegalArgumentException("an operand is an input or a number");
      }
    }

    public static Operand input(int index) {
      return new Operand(Optional.of(index), Optional.empty());
    }

    public static Operand number(double value) {
      return new Operand(Optional.empty(), Optional.of(value));
    }
  }
}
