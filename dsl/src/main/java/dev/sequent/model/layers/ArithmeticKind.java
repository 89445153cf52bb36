package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.KerasOperation;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import dev.sequent.model.layers.Arithmetic.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Arithmetic written in a Keras model's code, between a tensor and a number or two tensors: Keras 3's operation
 * nodes {@code keras.src.ops.numpy.Add / Subtract / Multiply / TrueDivide}
 * ({@code keras/src/ops/numpy.py}; the reader prefixes their class with the module so that the
 * layers of the same names do not claim them) and tf_keras' {@code TFOpLambda}
 * ({@code tf_keras/src/layers/core/tf_op_layer.py}) of {@code __operators__.add}, {@code math.add},
 * {@code math.subtract}, {@code math.multiply} and {@code math.truediv}. The number is among the
 * call's arguments ({@link KerasLayerInput#CALL_ARGUMENTS}), on either side. Two tensors are the
 * element-wise merge of the operator (division of two tensors is refused); any other operation is
 * refused by name.
 *
 * <p>No PyTorch module (PyTorch writes {@code x + 3.0} in {@code forward}). Whole-model Keras files
 * write it back as each Keras saves such code ({@link #kerasOperation}): an operation node in a
 * {@code .keras}, a {@code TFOpLambda} in a tf_keras-form {@code .h5}.
 */
public final class ArithmeticKind extends AbstractLayerKind<Arithmetic> {
  /** Keras 3's module of the operation nodes. */
  public static final String KERAS_OPS_MODULE = "keras.src.ops.numpy";
  /** tf_keras' layer for a TensorFlow function called in the model's code. */
  public static final String TF_OP_LAMBDA = KerasOperation.TF_OP_LAMBDA;
  /** The TensorFlow functions of a {@code TFOpLambda} this kind reads, with their operator. */
  private static final Map<String, Operator> TF_FUNCTIONS = Map.of(
      "__operators__.add", Operator.ADD, "math.add", Operator.ADD,
      "math.subtract", Operator.SUBTRACT,
      "math.multiply", Operator.MULTIPLY,
      "math.truediv", Operator.DIVIDE, "math.divide", Operator.DIVIDE);
  /** The function tf_keras records for each operator in code ({@code a + b}, {@code a - b}, ...). */
  private static final Map<Operator, String> TF_FUNCTION_WRITTEN = Map.of(
      Operator.ADD, "__operators__.add", Operator.SUBTRACT, "math.subtract",
      Operator.MULTIPLY, "math.multiply", Operator.DIVIDE, "math.truediv");

  public ArithmeticKind() {
    super(Arithmetic.class, kerasClasses(), List.of());
  }

  private static List<String> kerasClasses() {
    List<String> names = new ArrayList<>();
    for (Operator o : Operator.values()) {
      names.add(KERAS_OPS_MODULE + "." + o.kerasClass());
    }
    names.add(TF_OP_LAMBDA);
    return names;
  }

  @Override
  public String kerasClass(Arithmetic layer) {
    return KERAS_OPS_MODULE + "." + layer.operator().kerasClass();
  }

  @Override
  public String torchClass(Arithmetic layer) {
    return layer.operator().kerasClass();
  }

  /** Written in the model's code, not declared: no annotation. */
  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public Arithmetic fromKeras(KerasLayerInput c) {
    Operator operator = operator(c);
    Object arguments = c.get(KerasLayerInput.CALL_ARGUMENTS);
    if (!(arguments instanceof List<?> args) || args.size() != 2) {
      throw c.unsupported("the operation's call has arguments " + arguments + "; expected two operands");
    }
    long tensors = args.stream().filter(KerasLayerInput.TENSOR_ARGUMENT::equals).count();
    if (tensors == 2) {
      if (operator.merge().isEmpty()) {
        throw c.unsupported("the operation x " + operator.symbol() + " y of two tensors is not supported; only with "
            + "a number");
      }
      return Arithmetic.ofTensors(Framework.KERAS, operator);
    }
    boolean constantFirst = args.get(1).equals(KerasLayerInput.TENSOR_ARGUMENT);
    Object constant = args.get(constantFirst ? 0 : 1);
    if (tensors != 1 || !(constant instanceof Number n)) {
      throw c.unsupported("the operation " + operator.symbol() + " is applied to " + describe(args)
          + "; supported: a tensor and a number, or two tensors");
    }
    return Arithmetic.withNumber(Framework.KERAS, operator, n.doubleValue(), constantFirst);
  }

  private static Operator operator(KerasLayerInput c) {
    if (c.className().equals(TF_OP_LAMBDA)) {
      Object function = c.get("function");
      Operator o = TF_FUNCTIONS.get(String.valueOf(function));
      if (o == null) {
        throw c.unsupported("TFOpLambda of tf." + function + " (a TensorFlow function in the model's code) is not "
            + "supported; supported: " + TF_FUNCTIONS.keySet().stream().sorted().map(f -> "tf." + f).toList()
            + " with a number");
      }
      return o;
    }
    String simple = c.className().substring(c.className().lastIndexOf('.') + 1);
    for (Operator o : Operator.values()) {
      if (o.kerasClass().equals(simple)) {
        return o;
      }
    }
    throw c.unsupported("operation " + c.className() + " is not supported");
  }

  private static String describe(List<?> args) {
    return args.stream().map(a -> KerasLayerInput.TENSOR_ARGUMENT.equals(a) ? "a tensor" : String.valueOf(a))
        .toList().toString();
  }

  /**
   * Keras 3's operation node of the operator, or tf_keras' {@code TFOpLambda} of the TensorFlow
   * function its code calls for it ({@code a + b} is {@code __operators__.add}), the operands in
   * the order the code wrote them.
   */
  @Override
  public Optional<KerasOperation> kerasOperation(Arithmetic layer) {
    List<KerasOperation.Operand> operands = layer.constant()
        .map(n -> layer.constantFirst()
            ? List.of(KerasOperation.Operand.number(n), KerasOperation.Operand.input(0))
            : List.of(KerasOperation.Operand.input(0), KerasOperation.Operand.number(n)))
        .orElse(List.of(KerasOperation.Operand.input(0), KerasOperation.Operand.input(1)));
    return Optional.of(new KerasOperation(KERAS_OPS_MODULE, layer.operator().kerasClass(),
        TF_FUNCTION_WRITTEN.get(layer.operator()), operands));
  }

  /** An operation node has no layer config: the writers write it from {@link #kerasOperation}. */
  @Override
  public void writeKeras(Arithmetic layer, InferredModel.Layer inferred, KerasDialect dialect,
      ObjectNode config) {
    throw new IllegalStateException(layer.expression() + " is an operation node, written from kerasOperation");
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch writes arithmetic with a number in forward(), not as a module");
  }

  /**
   * The same expression in the Keras model's code: element-wise, so a channels-last twin computes
   * it on the moved tensor alike, but for two tensors broadcast against each other across a
   * channels-first image's axes, which the twin moves.
   */
  @Override
  public Twin kerasTwin(Arithmetic layer, TwinContext context) {
    if (layer.constant().isEmpty() && context.imageIn()
        && !context.layer().inputShapes().get(0).equals(context.layer().inputShapes().get(1))) {
      return Twin.none(layer.expression() + " broadcasts " + context.layer().inputShapes()
          + " across a channels-first image's axes, which the channels-last twin moves");
    }
    return Twin.of(layer.framework() == Framework.KERAS ? layer
        : new Arithmetic(Framework.KERAS, layer.operator(), layer.constant(), layer.constantFirst()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(Arithmetic.withNumber(Framework.KERAS, Operator.ADD, 3.0, false), Shape.of(4, 4, 3)),
        new Example(Arithmetic.withNumber(Framework.KERAS, Operator.SUBTRACT, 1.0, true), Shape.of(5)),
        new Example(Arithmetic.withNumber(Framework.KERAS, Operator.DIVIDE, 255.0, false), Shape.of(2, 3)),
        new Example(Arithmetic.ofTensors(Framework.KERAS, Operator.ADD), Shape.of(4, 4, 3)));
  }
}
