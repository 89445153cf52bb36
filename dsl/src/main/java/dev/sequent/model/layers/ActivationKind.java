package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation.Kind;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Optional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Layers that only apply an activation: Keras {@code Activation("relu")}, {@code ReLU},
 * {@code Softmax}, {@code LeakyReLU}, {@code ELU} ({@code keras/src/layers/activations/}); PyTorch
 * {@code nn.ReLU}, {@code nn.Tanh}, {@code nn.Sigmoid}, {@code nn.SELU}, {@code nn.SiLU},
 * {@code nn.Identity}, {@code nn.Softmax}, {@code nn.LeakyReLU}, {@code nn.ELU}, {@code nn.GELU},
 * {@code nn.Softplus} ({@code torch/nn/modules/activation.py}). See {@link ActivationLayer}.
 */
public final class ActivationKind extends AbstractLayerKind<ActivationLayer> {
  public static final String KERAS_ACTIVATION = "Activation";
  public static final String RELU = "ReLU";
  public static final String SOFTMAX = "Softmax";
  public static final String LEAKY_RELU = "LeakyReLU";
  public static final String ELU = "ELU";
  /** Keras 3's {@code LeakyReLU(negative_slope=0.3)} (tf_keras' {@code alpha=0.3}). */
  public static final double KERAS_LEAKY_SLOPE = 0.3;
  /** PyTorch's {@code LeakyReLU(negative_slope=0.01)}. */
  public static final double TORCH_LEAKY_SLOPE = 0.01;
  /** {@code ELU(alpha=1.0)} in both. */
  public static final double ELU_ALPHA = 1.0;
  /** PyTorch's {@code Softplus(beta=1.0, threshold=20.0)}. */
  public static final double TORCH_SOFTPLUS_BETA = 1.0;
  public static final double TORCH_SOFTPLUS_THRESHOLD = 20.0;
  /** Keras' {@code ReLU(max_value=None, negative_slope=0.0, threshold=0.0)}; {@code None} is {@code +inf} here. */
  public static final double KERAS_RELU_MAX_VALUE = Double.POSITIVE_INFINITY;
  public static final double KERAS_RELU_NEGATIVE_SLOPE = 0.0;
  public static final double KERAS_RELU_THRESHOLD = 0.0;
  /** PyTorch's {@code Hardtanh(min_val=-1.0, max_val=1.0)}. */
  public static final double TORCH_HARDTANH_MIN = -1.0;
  public static final double TORCH_HARDTANH_MAX = 1.0;
  /** {@code ReLU6}'s bound (PyTorch's {@code ReLU6} is {@code Hardtanh(0, 6)}). */
  public static final double RELU6_MAX = 6.0;

  private static final String ACTIVATIONS = "torch.nn.modules.activation.";
  /** The torch.nn activations without hyperparameters, and the function each computes. */
  private static final Map<String, Kind> PARAMETERLESS = Map.ofEntries(
      Map.entry("ReLU", Kind.RELU), Map.entry("Tanh", Kind.TANH), Map.entry("Sigmoid", Kind.SIGMOID),
      Map.entry("SELU", Kind.SELU), Map.entry("SiLU", Kind.SILU), Map.entry("Identity", Kind.LINEAR),
      Map.entry("ReLU6", Kind.RELU6), Map.entry("Hardsigmoid", Kind.HARD_SIGMOID),
      Map.entry("Hardswish", Kind.HARD_SILU), Map.entry("Mish", Kind.MISH), Map.entry("Softsign", Kind.SOFTSIGN),
      Map.entry("LogSigmoid", Kind.LOG_SIGMOID), Map.entry("Tanhshrink", Kind.TANH_SHRINK));
  /** The parameterless modules with a DSL annotation of their own, in annotation order. */
  private static final List<String> PARAMETERLESS_ANNOTATIONS = List.of("ReLU", "Tanh", "Sigmoid", "SELU", "SiLU",
      "ReLU6", "Hardsigmoid", "Hardswish", "Mish", "Softsign", "LogSigmoid", "Tanhshrink");
  /** The torch.nn activations with hyperparameters, read from the module's attributes. */
  private static final Map<String, Function<TorchModuleInput, Activation>> WITH_ARGUMENTS = Map.ofEntries(
      Map.entry("Softmax", m -> {
        Object dim = m.get("dim");
        if (dim == null) {
          throw m.unsupported("Softmax(dim=None) relies on PyTorch's implicit-dimension rule; give dim");
        }
        return Activation.softmax(((Number) dim).intValue());
      }),
      Map.entry("LeakyReLU", m -> Activation.leakyRelu(m.number("negative_slope", TORCH_LEAKY_SLOPE))),
      Map.entry("ELU", m -> Activation.elu(m.number("alpha", ELU_ALPHA))),
      Map.entry("GELU", m -> Activation.gelu("tanh".equals(m.get("approximate")))),
      Map.entry("Softplus", m -> Activation.softplus(m.number("beta", TORCH_SOFTPLUS_BETA),
          m.number("threshold", TORCH_SOFTPLUS_THRESHOLD))),
      Map.entry("Hardtanh", m -> hardtanh(m.number("min_val", TORCH_HARDTANH_MIN),
          m.number("max_val", TORCH_HARDTANH_MAX))),
      Map.entry("CELU", m -> celu(m.number("alpha", Activation.CELU_ALPHA))),
      Map.entry("LogSoftmax", m -> {
        Object dim = m.get("dim");
        if (dim == null) {
          throw m.unsupported("LogSoftmax(dim=None) relies on PyTorch's implicit-dimension rule; give dim");
        }
        return Activation.logSoftmax(((Number) dim).intValue());
      }),
      Map.entry("Hardshrink", m -> shrink(Kind.HARD_SHRINK, m.number("lambd", Activation.SHRINK_THRESHOLD))),
      Map.entry("Softshrink", m -> shrink(Kind.SOFT_SHRINK, m.number("lambd", Activation.SHRINK_THRESHOLD))));

  /** PyTorch's {@code CELU}, whose alpha may not be 0 (it divides by it). */
  static Activation celu(double alpha) {
    if (alpha == 0 || Double.isNaN(alpha)) {
      throw new ShapeException("alpha", "CELU's alpha must not be 0. Received: alpha=" + alpha);
    }
    return Activation.withAlpha(Kind.CELU, alpha);
  }

  /** PyTorch's {@code Softshrink} refuses a negative lambd; Hardshrink's is used as given. */
  static Activation shrink(Kind kind, double lambd) {
    if (kind == Kind.SOFT_SHRINK && !(lambd >= 0)) {
      throw new ShapeException("lambd", "Softshrink's lambd must be non-negative. Received: lambd=" + lambd);
    }
    return Activation.withAlpha(kind, lambd);
  }

  /** PyTorch's {@code Hardtanh}, which refuses {@code max_val <= min_val}. */
  static Activation hardtanh(double min, double max) {
    if (!(max > min)) {
      throw new ShapeException("maxVal", "Hardtanh's max_val must be greater than min_val. Received: min_val="
          + min + ", max_val=" + max);
    }
    return Activation.hardtanh(min, max);
  }

  /** Keras' {@code ReLU(max_value, negative_slope, threshold)}, with Keras' checks (none may be negative). */
  static Activation kerasRelu(double maxValue, double negativeSlope, double threshold) {
    if (maxValue < 0 || Double.isNaN(maxValue)) {
      throw new ShapeException("maxValue", "max_value of a ReLU layer cannot be a negative value. Received: "
          + "max_value=" + maxValue);
    }
    if (negativeSlope < 0 || Double.isNaN(negativeSlope)) {
      throw new ShapeException("negativeSlope", "negative_slope of a ReLU layer cannot be a negative value. "
          + "Received: negative_slope=" + negativeSlope);
    }
    if (threshold < 0 || Double.isNaN(threshold)) {
      throw new ShapeException("threshold", "threshold of a ReLU layer cannot be a negative value. Received: "
          + "threshold=" + threshold);
    }
    return Activation.kerasRelu(maxValue, negativeSlope, threshold);
  }

  public ActivationKind() {
    super(ActivationLayer.class, List.of(KERAS_ACTIVATION, RELU, SOFTMAX, LEAKY_RELU, ELU), torchModuleNames());
  }

  /** A PyTorch activation is written as the Keras layer with its arguments, else as {@code Activation("name")}. */
  @Override
  public String kerasClass(ActivationLayer a) {
    if (a.framework() == Framework.KERAS) {
      return a.typeName();
    }
    return switch (a.activation().kind()) {
      case RELU, RELU6, KERAS_RELU -> RELU;
      case HARDTANH -> reluForm(a.activation()).isPresent() ? RELU : KERAS_ACTIVATION;
      case SOFTMAX -> SOFTMAX;
      case LEAKY_RELU -> LEAKY_RELU;
      case ELU -> ELU;
      default -> KERAS_ACTIVATION;
    };
  }

  @Override
  public String torchClass(ActivationLayer a) {
    if (a.framework() == Framework.KERAS && a.activation().kind() == Kind.KERAS_RELU) {
      return torchForm(a.activation()).map(Activation::torchName).orElse(a.activation().torchName());
    }
    return a.framework() == Framework.TORCH || !a.typeName().equals(KERAS_ACTIVATION)
        ? a.typeName() : a.activation().torchName();
  }

  /**
   * Keras' {@code ReLU(max_value=m)} for a Hardtanh(0, m) or ReLU6 (the same clip); nothing for
   * other Hardtanh bounds, which no Keras ReLU computes.
   */
  private static java.util.Optional<Activation> reluForm(Activation a) {
    return switch (a.kind()) {
      case RELU6 -> java.util.Optional.of(Activation.kerasRelu(RELU6_MAX, 0, 0));
      case HARDTANH -> a.alpha() == 0 && a.maxValue() > 0
          ? java.util.Optional.of(Activation.kerasRelu(a.maxValue(), 0, 0)) : java.util.Optional.empty();
      default -> java.util.Optional.of(a);
    };
  }

  /** The torch.nn module computing a Keras ReLU with arguments: ReLU6, Hardtanh(0, m) or LeakyReLU. */
  private static java.util.Optional<Activation> torchForm(Activation a) {
    if (a.threshold() != 0) {
      return java.util.Optional.empty();
    }
    if (a.alpha() == 0) {
      return java.util.Optional.of(a.maxValue() == RELU6_MAX ? Activation.of(Kind.RELU6)
          : Activation.hardtanh(0, a.maxValue()));
    }
    return Double.isInfinite(a.maxValue()) ? java.util.Optional.of(Activation.leakyRelu(a.alpha()))
        : java.util.Optional.empty();
  }

  @Override
  public java.util.Optional<String> kerasUnsupported(ActivationLayer a) {
    Activation act = a.activation();
    if (kerasClass(a).equals(KERAS_ACTIVATION) && !act.hasKerasString(false)) {
      return java.util.Optional.of(act.kind() == Kind.HARDTANH
          ? "Keras has no Hardtanh(min_val=" + act.alpha() + ", max_val=" + act.maxValue() + "); only Hardtanh(0, m) "
              + "is a Keras ReLU(max_value=m)"
          : "Keras 3 has no activation string computing " + act.kerasName());
    }
    return java.util.Optional.empty();
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    String keras = "dev.sequent.dsl.keras.";
    String torch = "dev.sequent.dsl.torch.";
    List<AnnotationBuilder> builders = new ArrayList<>(List.of(
        new AnnotationBuilder(keras + KERAS_ACTIVATION,
            v -> keras(KERAS_ACTIVATION, Activation.fromKeras(v.string("value")))),
        new AnnotationBuilder(keras + RELU, v -> keras(RELU,
            kerasRelu(v.number("maxValue"), v.number("negativeSlope"), v.number("threshold")))),
        new AnnotationBuilder(keras + SOFTMAX, v -> keras(SOFTMAX, Activation.softmax(v.integer("axis")))),
        new AnnotationBuilder(keras + LEAKY_RELU,
            v -> keras(LEAKY_RELU, Activation.leakyRelu(v.number("negativeSlope")))),
        new AnnotationBuilder(keras + ELU, v -> keras(ELU, Activation.elu(v.number("alpha"))))));
    for (String type : PARAMETERLESS_ANNOTATIONS) {
      builders.add(new AnnotationBuilder(torch + type, v -> torch(type, Activation.of(PARAMETERLESS.get(type)))));
    }
    builders.add(new AnnotationBuilder(torch + SOFTMAX, v -> torch(SOFTMAX, Activation.softmax(v.integer("dim")))));
    builders.add(new AnnotationBuilder(torch + LEAKY_RELU,
        v -> torch(LEAKY_RELU, Activation.leakyRelu(v.number("negativeSlope")))));
    builders.add(new AnnotationBuilder(torch + ELU, v -> torch(ELU, Activation.elu(v.number("alpha")))));
    builders.add(new AnnotationBuilder(torch + "GELU", v -> {
      String approximate = v.string("approximate");
      if (!approximate.equals("none") && !approximate.equals("tanh")) {
        throw new ShapeException("approximate", "approximate must be \"none\" or \"tanh\". Received: \""
            + approximate + "\"");
      }
      return torch("GELU", Activation.gelu(approximate.equals("tanh")));
    }));
    builders.add(new AnnotationBuilder(torch + "Hardtanh",
        v -> torch("Hardtanh", hardtanh(v.number("minVal"), v.number("maxVal")))));
    builders.add(new AnnotationBuilder(torch + "Softplus",
        v -> torch("Softplus", Activation.softplus(v.number("beta"), v.number("threshold")))));
    builders.add(new AnnotationBuilder(torch + "CELU", v -> torch("CELU", celu(v.number("alpha")))));
    builders.add(new AnnotationBuilder(torch + "LogSoftmax",
        v -> torch("LogSoftmax", Activation.logSoftmax(v.integer("dim")))));
    builders.add(new AnnotationBuilder(torch + "Hardshrink",
        v -> torch("Hardshrink", shrink(Kind.HARD_SHRINK, v.number("lambd")))));
    builders.add(new AnnotationBuilder(torch + "Softshrink",
        v -> torch("Softshrink", shrink(Kind.SOFT_SHRINK, v.number("lambd")))));
    return builders;
  }

  private static ActivationLayer keras(String type, Activation a) {
    return new ActivationLayer(Framework.KERAS, type, a);
  }

  private static ActivationLayer torch(String type, Activation a) {
    return new ActivationLayer(Framework.TORCH, type, a);
  }

  @Override
  public ActivationLayer fromKeras(KerasLayerInput c) {
    return switch (c.className()) {
      case KERAS_ACTIVATION -> keras(KERAS_ACTIVATION, KerasJson.readActivation(c.config()));
      // Both dialects name the arguments alike; max_value null is no clip.
      case RELU -> keras(RELU, kerasRelu(c.get("max_value") == null ? KERAS_RELU_MAX_VALUE
          : c.number("max_value", KERAS_RELU_MAX_VALUE), c.number("negative_slope", KERAS_RELU_NEGATIVE_SLOPE),
          c.number("threshold", KERAS_RELU_THRESHOLD)));
      case SOFTMAX -> keras(SOFTMAX, Activation.softmax(KerasJson.singleAxis(c.get("axis"), -1)));
      // Keras 3 names the slope negative_slope, tf_keras alpha.
      case LEAKY_RELU -> keras(LEAKY_RELU, Activation.leakyRelu(c.get("negative_slope") != null
          ? c.number("negative_slope", KERAS_LEAKY_SLOPE) : c.number("alpha", KERAS_LEAKY_SLOPE)));
      case ELU -> keras(ELU, Activation.elu(c.number("alpha", ELU_ALPHA)));
      default -> throw c.unsupported("not an activation layer");
    };
  }

  @Override
  public void writeKeras(ActivationLayer a, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    Activation act = a.activation();
    switch (kerasClass(a)) {
      case RELU -> {
        Activation relu = reluForm(act).orElseThrow();
        boolean clipped = relu.kind() == Kind.KERAS_RELU || relu.kind() == Kind.RELU6;
        if (clipped && !Double.isInfinite(relu.maxValue())) {
          c.put("max_value", relu.maxValue());
        } else {
          c.putNull("max_value");
        }
        c.put("negative_slope", relu.kind() == Kind.KERAS_RELU ? relu.alpha() : 0.0);
        c.put("threshold", relu.kind() == Kind.KERAS_RELU ? relu.threshold() : 0.0);
      }
      case SOFTMAX -> c.put("axis", act.axis());
      case LEAKY_RELU -> c.put(dialect == KerasDialect.KERAS3 ? "negative_slope" : "alpha", act.alpha());
      case ELU -> c.put("alpha", act.alpha());
      default -> c.put("activation", KerasJson.activation(act, dialect));
    }
  }

  private static List<String> torchModuleNames() {
    List<String> modules = new ArrayList<>();
    for (String type : List.of("ReLU", "Tanh", "Sigmoid", "Softmax", "LeakyReLU", "ELU", "SELU", "GELU", "SiLU",
        "Softplus", "ReLU6", "Hardtanh", "Hardsigmoid", "Hardswish", "Mish", "Softsign", "CELU", "LogSigmoid",
        "LogSoftmax", "Hardshrink", "Softshrink", "Tanhshrink")) {
      modules.add(ACTIVATIONS + type);
    }
    modules.add("torch.nn.modules.linear.Identity");
    return modules;
  }

  @Override
  public ActivationLayer fromTorch(TorchModuleInput m) {
    String type = m.simpleName();
    Kind plain = PARAMETERLESS.get(type);
    if (plain != null) {
      return torch(type, Activation.of(plain));
    }
    Function<TorchModuleInput, Activation> read = WITH_ARGUMENTS.get(type);
    if (read == null) {
      throw m.unsupported("not an activation module");
    }
    return torch(type, read.apply(m));
  }

  @Override
  public boolean parameterless(String simpleName) {
    return PARAMETERLESS.containsKey(simpleName);
  }

  /** The aten call each module with arguments traces to, and where they are. */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    switch (simpleName + "/" + c.op()) {
      case "Softmax/softmax" -> a.put("dim", c.arg(1, "dim", null));
      case "LeakyReLU/leaky_relu" -> a.put("negative_slope", c.arg(1, "negative_slope", TORCH_LEAKY_SLOPE));
      case "ELU/elu" -> a.put("alpha", c.arg(1, "alpha", ELU_ALPHA));
      case "GELU/gelu" -> a.put("approximate", c.arg(1, "approximate", "none"));
      case "Hardtanh/hardtanh" -> {
        a.put("min_val", c.arg(1, "min_val", TORCH_HARDTANH_MIN));
        a.put("max_val", c.arg(2, "max_val", TORCH_HARDTANH_MAX));
      }
      case "Softplus/softplus" -> {
        a.put("beta", c.arg(1, "beta", TORCH_SOFTPLUS_BETA));
        a.put("threshold", c.arg(2, "threshold", TORCH_SOFTPLUS_THRESHOLD));
      }
      case "CELU/celu" -> a.put("alpha", c.arg(1, "alpha", Activation.CELU_ALPHA));
      case "LogSoftmax/log_softmax" -> a.put("dim", c.arg(1, "dim", null));
      case "Hardshrink/hardshrink" -> a.put("lambd", c.arg(1, "lambd", Activation.SHRINK_THRESHOLD));
      case "Softshrink/softshrink" -> a.put("lambd", c.arg(1, "lambd", Activation.SHRINK_THRESHOLD));
      default -> { }
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(ActivationLayer layer, InferredModel.Layer inferred) {
    Activation a = layer.activation();
    Map<String, Object> attributes = new LinkedHashMap<>();
    switch (a.kind()) {
      case SOFTMAX -> attributes.put("dim", a.axis());
      case LEAKY_RELU -> attributes.put("negative_slope", a.alpha());
      case ELU -> attributes.put("alpha", a.alpha());
      case GELU -> attributes.put("approximate", a.approximate() ? "tanh" : "none");
      case RELU6 -> {
        attributes.put("min_val", 0.0);
        attributes.put("max_val", RELU6_MAX);
      }
      case HARDTANH -> {
        attributes.put("min_val", a.alpha());
        attributes.put("max_val", a.maxValue());
      }
      case SOFTPLUS -> {
        attributes.put("beta", a.alpha());
        attributes.put("threshold", a.threshold());
      }
      case CELU -> attributes.put("alpha", a.alpha());
      case LOG_SOFTMAX -> attributes.put("dim", a.axis());
      case HARD_SHRINK, SOFT_SHRINK -> attributes.put("lambd", a.alpha());
      default -> { }
    }
    return attributes;
  }

  /** The same function; a softmax over a channels-first image's axis follows the axis into the twin. */
  @Override
  public Twin kerasTwin(ActivationLayer a, TwinContext context) {
    Activation act = a.activation();
    if (act.kind() == Kind.SOFTMAX && context.transposed() && context.input().rank() == 3) {
      int full = act.axis() < 0 ? 4 + act.axis() : act.axis();
      act = Activation.softmax(TwinContext.twinAxis(full - 1) + 1);
    }
    if (act.kind() == Kind.LOG_SOFTMAX) {
      // Keras' log_softmax string is over the last axis; PyTorch states dim=1 for features.
      int rank = context.input().rank() + 1;
      int full = act.axis() < 0 ? rank + act.axis() : act.axis();
      int twin = context.transposed() && rank == 4 ? TwinContext.twinAxis(full - 1) + 1 : full;
      if (twin != rank - 1) {
        return Twin.none("Keras' log_softmax is over the last axis only; this one is over axis " + act.axis());
      }
      act = Activation.logSoftmax(-1);
    }
    if (a.framework() == Framework.TORCH && act.kind() == Kind.HARDTANH && act.hasKerasString(false)) {
      return Twin.of(new ActivationLayer(Framework.KERAS, KERAS_ACTIVATION, act)); // hard_tanh
    }
    if (a.framework() == Framework.TORCH && (act.kind() == Kind.RELU6 || act.kind() == Kind.HARDTANH)) {
      java.util.Optional<Activation> relu = reluForm(act);
      if (relu.isEmpty()) {
        return Twin.none("Keras has no Hardtanh(min_val=" + act.alpha() + ", max_val=" + act.maxValue()
            + "): its ReLU(max_value=m) is Hardtanh(0, m) only");
      }
      return Twin.of(new ActivationLayer(Framework.KERAS, RELU, relu.get()));
    }
    if (kerasClass(a).equals(KERAS_ACTIVATION) && !act.hasKerasString(false)) {
      return Twin.none("Keras 3 has no activation string computing " + act.kerasName());
    }
    return Twin.of(new ActivationLayer(Framework.KERAS, kerasClass(a), act));
  }

  @Override
  public boolean keepsFeatureOrder() {
    return true;
  }

  @Override
  public Activation fusedActivation(ActivationLayer layer) {
    return Activation.LINEAR;
  }

  @Override
  public boolean nonNegativeOutput(ActivationLayer layer) {
    return layer.activation().nonNegative();
  }

  @Override
  public boolean keepsNonNegative(ActivationLayer layer) {
    return layer.activation().keepsNonNegative();
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(keras(KERAS_ACTIVATION, Activation.of(Kind.TANH)), Shape.of(4)),
        new Example(keras(RELU, Activation.of(Kind.RELU)), Shape.of(3, 3, 2)),
        new Example(keras(SOFTMAX, Activation.softmax(-1)), Shape.of(5)),
        new Example(keras(LEAKY_RELU, Activation.leakyRelu(0.2)), Shape.of(4)),
        new Example(keras(ELU, Activation.elu(0.5)), Shape.of(4)),
        new Example(torch("Sigmoid", Activation.of(Kind.SIGMOID)), Shape.of(4)),
        new Example(torch("Softmax", Activation.softmax(1)), Shape.of(4)),
        new Example(torch("LeakyReLU", Activation.leakyRelu(0.05)), Shape.of(4)),
        new Example(torch("GELU", Activation.gelu(false)), Shape.of(4)),
        new Example(torch("Softplus", Activation.softplus(1.0, 20.0)), Shape.of(4)),
        new Example(keras(RELU, Activation.kerasRelu(6, 0, 0)), Shape.of(3, 3, 2)),
        new Example(keras(RELU, Activation.kerasRelu(2.5, 0, 0)), Shape.of(4)),
        new Example(keras(RELU, Activation.kerasRelu(KERAS_RELU_MAX_VALUE, 0.25, 0)), Shape.of(4)),
        new Example(keras(KERAS_ACTIVATION, Activation.of(Kind.RELU6)), Shape.of(4)),
        new Example(torch("ReLU6", Activation.of(Kind.RELU6)), Shape.of(4)),
        new Example(torch("Hardtanh", Activation.hardtanh(0, 4)), Shape.of(4)),
        new Example(torch("Hardtanh", Activation.hardtanh(-2, 3)), Shape.of(4)));
    // Keras 3's hard_sigmoid and hard_silu (and PyTorch's Hardsigmoid and Hardswish, whose twins they
    // are) have no tf_keras form, which the catalogue asks of every Keras example, and a Keras ReLU with
    // a threshold (or a slope and a max_value) no torch.nn module, which it asks too: ClipActivationKindTest
    // covers them.
  }

  /**
   * Keras' activation layers support masking and pass it on; {@code Softmax} alone reads it (masked
   * entries get a large negative logit), which Sequent does not compute.
   */
  @Override
  public MaskUse kerasMaskUse(ActivationLayer layer) {
    return layer.activation().kind() == Activation.Kind.SOFTMAX ? MaskUse.REFUSES : MaskUse.PASSES;
  }
  /** The annotation named as the layer's type, with the arguments its activation carries. */
  @Override
  public Optional<SourceForm> sourceForm(ActivationLayer layer) {
    Activation a = layer.activation();
    boolean keras = layer.framework() == Framework.KERAS;
    SourceForm f = keras ? SourceForm.keras(layer.typeName()) : SourceForm.torch(layer.typeName());
    return Optional.of(switch (layer.typeName()) {
      case KERAS_ACTIVATION -> f.with("value", a.kerasName());
      case RELU -> keras ? f.with("maxValue", a.maxValue()).with("negativeSlope", a.alpha())
          .with("threshold", Double.isInfinite(a.threshold()) ? 0.0 : a.threshold()) : f;
      case SOFTMAX, "LogSoftmax" -> f.with(keras ? "axis" : "dim", a.axis());
      case LEAKY_RELU -> f.with("negativeSlope", a.alpha());
      case ELU, "CELU" -> f.with("alpha", a.alpha());
      case "GELU" -> f.with("approximate", a.approximate() ? "tanh" : "none");
      case "Hardtanh" -> f.with("minVal", a.alpha()).with("maxVal", a.maxValue());
      default -> f;
    });
  }
}
