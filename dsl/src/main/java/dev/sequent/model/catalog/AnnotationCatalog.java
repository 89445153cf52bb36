package dev.sequent.model.catalog;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one translation from a layer annotation (its attribute values, defaults applied) to a layer
 * record. Each vocabulary's spelling and defaults are decided here and nowhere else: Keras'
 * {@code kernelSize = {3}} means 3x3 and pool strides default to the pool size; PyTorch's
 * {@code padding = {2}} is explicit zero padding and {@code Softmax(dim)} counts the batch axis.
 *
 * <p>Values are what {@code javax.lang.model} reports, converted to plain Java: Integer, Double,
 * Boolean, String, {@code int[]} and {@code String[]}.
 */
public final class AnnotationCatalog {
  private static final String KERAS = "dev.sequent.dsl.keras.";
  private static final String TORCH = "dev.sequent.dsl.torch.";
  private static final Map<String, Function<Values, LayerSpec>> LAYERS = new HashMap<>();

  static {
    Framework k = Framework.KERAS;
    Framework t = Framework.TORCH;
    DataFormat last = DataFormat.CHANNELS_LAST;
    DataFormat first = DataFormat.CHANNELS_FIRST;

    LAYERS.put(KERAS + "Dense", v -> new Dense(k, v.integer("units"), 0, v.bool("useBias"), v.kerasActivation()));
    LAYERS.put(KERAS + "Conv2D", v -> {
      int[] kernel = v.pair("kernelSize");
      int[] strides = v.pair("strides");
      int[] dilation = v.pair("dilationRate");
      return new Conv2D(k, v.integer("filters"), kernel[0], kernel[1], strides[0], strides[1],
          Padding.fromKeras(v.string("padding")), dilation[0], dilation[1], v.bool("useBias"),
          v.kerasActivation(), last, 0);
    });
    LAYERS.put(KERAS + "MaxPooling2D", v -> kerasPool(v, Pool2D.Kind.MAX));
    LAYERS.put(KERAS + "AveragePooling2D", v -> kerasPool(v, Pool2D.Kind.AVG));
    LAYERS.put(KERAS + "GlobalAveragePooling2D", v -> new GlobalPool2D(k, Pool2D.Kind.AVG, last));
    LAYERS.put(KERAS + "GlobalMaxPooling2D", v -> new GlobalPool2D(k, Pool2D.Kind.MAX, last));
    LAYERS.put(KERAS + "Flatten", v -> new Flatten(k, last));
    LAYERS.put(KERAS + "BatchNormalization", v -> {
      int axis = v.integer("axis");
      if (axis == 0) {
        throw new ShapeException("axis", "axis 0 is the batch axis; BatchNormalization normalises features");
      }
      return new BatchNorm(k, "BatchNormalization", v.number("epsilon"), v.number("momentum"),
          axis < 0 ? axis : axis - 1, v.bool("center"), v.bool("scale"), List.of(), 0);
    });
    LAYERS.put(KERAS + "Dropout", v -> new Dropout(k, v.number("rate")));
    LAYERS.put(KERAS + "Activation", v -> new ActivationLayer(k, "Activation", Activation.fromKeras(v.string("value"))));
    LAYERS.put(KERAS + "ReLU", v -> new ActivationLayer(k, "ReLU", Activation.of(Activation.Kind.RELU)));
    LAYERS.put(KERAS + "Softmax", v -> new ActivationLayer(k, "Softmax", Activation.softmax(v.integer("axis"))));
    LAYERS.put(KERAS + "LeakyReLU", v -> new ActivationLayer(k, "LeakyReLU", Activation.leakyRelu(v.number("negativeSlope"))));
    LAYERS.put(KERAS + "ELU", v -> new ActivationLayer(k, "ELU", Activation.elu(v.number("alpha"))));

    LAYERS.put(TORCH + "Linear", v -> new Dense(t, v.integer("out"), v.integer("in"), v.bool("bias"), Activation.LINEAR));
    LAYERS.put(TORCH + "Conv2d", v -> {
      int[] kernel = v.pair("kernel");
      int[] stride = v.pair("stride");
      int[] dilation = v.pair("dilation");
      return new Conv2D(t, v.integer("out"), kernel[0], kernel[1], stride[0], stride[1], torchPadding(v),
          dilation[0], dilation[1], v.bool("bias"), Activation.LINEAR, first, v.integer("in"));
    });
    LAYERS.put(TORCH + "MaxPool2d", v -> torchPool(v, Pool2D.Kind.MAX, true));
    LAYERS.put(TORCH + "AvgPool2d", v -> torchPool(v, Pool2D.Kind.AVG, v.bool("countIncludePad")));
    LAYERS.put(TORCH + "Flatten", v -> new Flatten(t, first));
    LAYERS.put(TORCH + "BatchNorm1d", v -> torchBatchNorm(v, "BatchNorm1d", List.of(1, 2)));
    LAYERS.put(TORCH + "BatchNorm2d", v -> torchBatchNorm(v, "BatchNorm2d", List.of(3)));
    LAYERS.put(TORCH + "Dropout", v -> new Dropout(t, v.number("p")));
    LAYERS.put(TORCH + "ReLU", v -> torchActivation("ReLU", Activation.of(Activation.Kind.RELU)));
    LAYERS.put(TORCH + "Tanh", v -> torchActivation("Tanh", Activation.of(Activation.Kind.TANH)));
    LAYERS.put(TORCH + "Sigmoid", v -> torchActivation("Sigmoid", Activation.of(Activation.Kind.SIGMOID)));
    LAYERS.put(TORCH + "SELU", v -> torchActivation("SELU", Activation.of(Activation.Kind.SELU)));
    LAYERS.put(TORCH + "SiLU", v -> torchActivation("SiLU", Activation.of(Activation.Kind.SILU)));
    LAYERS.put(TORCH + "Softmax", v -> torchActivation("Softmax", Activation.softmax(v.integer("dim"))));
    LAYERS.put(TORCH + "LeakyReLU", v -> torchActivation("LeakyReLU", Activation.leakyRelu(v.number("negativeSlope"))));
    LAYERS.put(TORCH + "ELU", v -> torchActivation("ELU", Activation.elu(v.number("alpha"))));
    LAYERS.put(TORCH + "GELU", v -> {
      String approximate = v.string("approximate");
      if (!approximate.equals("none") && !approximate.equals("tanh")) {
        throw new ShapeException("approximate", "approximate must be \"none\" or \"tanh\". Received: \"" + approximate + "\"");
      }
      return torchActivation("GELU", Activation.gelu(approximate.equals("tanh")));
    });
    LAYERS.put(TORCH + "Softplus", v -> torchActivation("Softplus",
        Activation.softplus(v.number("beta"), v.number("threshold"))));
  }

  private AnnotationCatalog() {}

  /** Whether the annotation (qualified name) declares a layer. */
  public static boolean isLayer(String annotation) {
    return LAYERS.containsKey(annotation) || annotation.equals("dev.sequent.dsl.Add")
        || annotation.equals("dev.sequent.dsl.Custom");
  }

  /** The vocabulary an annotation belongs to, or empty for the common ones (Add, Custom). */
  public static Optional<Framework> vocabulary(String annotation) {
    if (annotation.startsWith(KERAS)) {
      return Optional.of(Framework.KERAS);
    }
    if (annotation.startsWith(TORCH)) {
      return Optional.of(Framework.TORCH);
    }
    return Optional.empty();
  }

  /**
   * The layer record for an annotation of {@code dev.sequent.dsl.keras}/{@code .torch}.
   *
   * @throws ShapeException naming the attribute when a hyperparameter is invalid
   * @throws IllegalArgumentException when the annotation is not a layer annotation of the catalogue
   */
  public static LayerSpec layer(String annotation, Map<String, Object> values) {
    Function<Values, LayerSpec> builder = LAYERS.get(annotation);
    if (builder == null) {
      throw new IllegalArgumentException("not a layer annotation: " + annotation);
    }
    return builder.apply(new Values(values));
  }

  /** Element-wise sum; its vocabulary is the model's. */
  public static LayerSpec add(Framework framework, int inputs) {
    return new Add(framework, inputs);
  }

  private static LayerSpec kerasPool(Values v, Pool2D.Kind kind) {
    int[] pool = v.pair("poolSize");
    int[] strides = v.ints("strides").length == 0 ? pool : v.pair("strides");
    return new Pool2D(Framework.KERAS, kind, pool[0], pool[1], strides[0], strides[1],
        Padding.fromKeras(v.string("padding")), false, false, DataFormat.CHANNELS_LAST);
  }

  private static LayerSpec torchPool(Values v, Pool2D.Kind kind, boolean countIncludePad) {
    int[] kernel = v.pair("value");
    int[] stride = v.ints("stride").length == 0 ? kernel : v.pair("stride");
    int[] padding = v.pair("padding");
    return new Pool2D(Framework.TORCH, kind, kernel[0], kernel[1], stride[0], stride[1],
        Padding.explicit(padding[0], padding[1]), v.bool("ceilMode"), countIncludePad, DataFormat.CHANNELS_FIRST);
  }

  private static Padding torchPadding(Values v) {
    String mode = v.string("paddingMode");
    switch (mode) {
      case "same":
        return Padding.SAME;
      case "valid":
        return Padding.VALID;
      case "":
        int[] p = v.pair("padding");
        return Padding.explicit(p[0], p[1]);
      default:
        throw new ShapeException("paddingMode", "paddingMode must be \"same\" or \"valid\" (or use padding = {..})."
            + " Received: paddingMode=\"" + mode + "\"");
    }
  }

  private static LayerSpec torchBatchNorm(Values v, String type, List<Integer> ranks) {
    boolean affine = v.bool("affine");
    return new BatchNorm(Framework.TORCH, type, v.number("eps"), v.number("momentum"), 0, affine, affine, ranks,
        v.integer("numFeatures"));
  }

  private static LayerSpec torchActivation(String type, Activation activation) {
    return new ActivationLayer(Framework.TORCH, type, activation);
  }

  /** Typed access to annotation values, with the attribute named in every error. */
  private record Values(Map<String, Object> map) {
    Object get(String key) {
      if (!map.containsKey(key)) {
        throw new IllegalArgumentException("missing annotation attribute " + key);
      }
      return map.get(key);
    }

    int integer(String key) {
      return ((Number) get(key)).intValue();
    }

    double number(String key) {
      return ((Number) get(key)).doubleValue();
    }

    boolean bool(String key) {
      return (Boolean) get(key);
    }

    String string(String key) {
      return (String) get(key);
    }

    int[] ints(String key) {
      return (int[]) get(key);
    }

    /** {@code {3}} means (3, 3); {@code {3, 5}} means (3, 5). */
    int[] pair(String key) {
      int[] a = ints(key);
      if (a.length == 1) {
        return new int[] {a[0], a[0]};
      }
      if (a.length == 2) {
        return a;
      }
      throw new ShapeException(key, key + " takes one value (same for height and width) or two. Received: "
          + java.util.Arrays.toString(a));
    }

    Activation kerasActivation() {
      return Activation.fromKeras(string("activation"));
    }
  }
}
