package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
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
 * <p>No PyTorch module (PyTorch writes {@code x + 3.0} in {@code forward}); no Keras layer writes
 * it back either: the node is the model's code, so whole-model files written from such a model
 * are refused and its weights are written alone.
 */
public final class ArithmeticKind extends AbstractLayerKind<Arithmetic> {
  /** Keras 3's module of the operation nodes. */
  public static final String KERAS_OPS_MODULE = "keras.src.ops.numpy";
  /** tf_keras' layer for a TensorFlow function called in the model's code. */
  public static final String TF_OP_LAMBDA = "TFOpLambda";
  /** The TensorFlow functions of a {@code TFOpLambda} this kind reads, with their operator. */
  private static final Map<String, Operator> TF_FUNCTIONS = Map.of(
      "__operators__.add", Operator.ADD, "math.add", Operator.ADD,
      "math.subtract", Operator.SUBTRACT,
      "math.multiply", Operator.MULTIPLY,
      "math.truediv", Operator.DIVIDE, "math.divide", Operator.DIVIDE);

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

  @Override
  public Optional<String> kerasUnsupported(Arithmetic layer) {
    return Optional.of("it is " + layer.expression() + " in the model's code, which a Keras config holds in the "
        + "call's arguments, not in a layer");
  }

  @Override
  public void writeKeras(Arithmetic layer, InferredModel.Layer inferred, KerasDialect dialect,
      ObjectNode config) {
    throw new IllegalStateException(kerasUnsupported(layer).orElseThrow());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch writes arithmetic with a number in forward(), not as a module");
  }

  @Override
  public Twin kerasTwin(Arithmetic layer, TwinContext context) {
    return Twin.none(layer.expression() + " is code in the model, not a Keras layer");
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
