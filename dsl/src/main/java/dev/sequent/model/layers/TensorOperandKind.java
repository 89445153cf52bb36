package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.WithoutKerasLayerKind;
import dev.sequent.model.kind.KerasLayerInput;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * {@code x op self.t} in a PyTorch forward, {@code t} a parameter or buffer of the module (torch's
 * {@code aten.mul.Tensor(x, p_block_scale)} in an exported program). Code, not a module; no Keras
 * class (a Keras model would hold the tensor in a custom layer). The torch vocabulary's
 * {@code @TensorOperand(op = "*", name = "scale", shape = {16})} writes it. Initialised to the
 * operation's identity (ones for {@code *} and {@code /}, zeros for {@code +} and {@code -}). See
 * {@link TensorOperand}.
 */
public final class TensorOperandKind extends WithoutKerasLayerKind<TensorOperand> {
  public static final String TORCH_NAME = "TensorOperand";
  /** The annotation's defaults: a product (a learned scale), with a parameter, the right operand. */
  public static final String OP = "*";
  public static final boolean TRAINABLE = true;
  public static final boolean TENSOR_FIRST = false;

  public TensorOperandKind() {
    super(TensorOperand.class);
  }

  @Override
  public String kerasClass(TensorOperand layer) {
    return TORCH_NAME;
  }

  @Override
  public String torchClass(TensorOperand layer) {
    return TORCH_NAME;
  }

  /** {@code "+"}, {@code "-"}, {@code "*"}, {@code "/"}. */
  public static Arithmetic.Operator operator(String symbol) {
    for (Arithmetic.Operator o : Arithmetic.Operator.values()) {
      if (o.symbol().equals(symbol)) {
        return o;
      }
    }
    throw new ShapeException("op", "op must be one of +, -, *, /. Received: " + symbol);
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_NAME, v -> new TensorOperand(Framework.TORCH,
        operator(v.string("op")), v.string("name"), Arrays.stream(v.ints("shape")).boxed().toList(),
        v.bool("trainable"), v.bool("tensorFirst"))));
  }

  @Override
  public TensorOperand fromKeras(KerasLayerInput c) {
    throw c.unsupported("Keras has no layer holding a tensor operand");
  }

  @Override
  public Optional<String> kerasUnsupported(TensorOperand layer) {
    return Optional.of("Keras has no layer for arithmetic with a held tensor (" + layer.operator().symbol() + " "
        + layer.name() + "): a Keras model writes it in a custom layer");
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras holds such a tensor in a custom layer of the model's own code");
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("x * self.t is code in a PyTorch forward, t a parameter or buffer of the module, not a module");
  }

  @Override
  public float[] initialValue(TensorOperand layer, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      Random random) {
    float[] t = new float[(int) new Shape(layer.shape()).size()];
    boolean product = layer.operator() == Arithmetic.Operator.MULTIPLY || layer.operator() == Arithmetic.Operator.DIVIDE;
    Arrays.fill(t, product ? 1f : 0f);
    return t;
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new TensorOperand(Framework.TORCH, Arithmetic.Operator.MULTIPLY, "layer_scale", List.of(4, 1, 1),
            true, false), Shape.of(4, 3, 3)),
        new Example(new TensorOperand(Framework.TORCH, Arithmetic.Operator.SUBTRACT, "offset", List.of(1, 5, 6),
            false, true), Shape.of(5, 6)));
  }

  @Override
  public Optional<SourceForm> sourceForm(TensorOperand t) {
    return Optional.of(SourceForm.torch(TORCH_NAME).with("op", t.operator().symbol()).with("name", t.name())
        .with("shape", t.shape().stream().mapToInt(Integer::intValue).toArray()).with("trainable", t.trainable())
        .with("tensorFirst", t.tensorFirst()));
  }
}
