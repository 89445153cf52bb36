package dev.sequent.runtime.arch;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
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
import dev.sequent.runtime.io.keras.KerasLayerConfig;
import dev.sequent.runtime.io.keras.KerasModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the network model from a Keras {@code model_config} (Keras 2 and Keras 3 forms,
 * Sequential and Functional), translating Keras' config keys to the layer records. Anything
 * Sequent cannot run is refused with the layer's name and class.
 */
public final class KerasArchitecture {
  private KerasArchitecture() {}

  public static ModelSpec toModelSpec(KerasModelConfig config) {
    Shape input = config.layers().stream()
        .map(KerasLayerConfig::inputShape).flatMap(java.util.Optional::stream).findFirst()
        .filter(dims -> dims.stream().allMatch(d -> d > 0))
        .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()))
        .orElseThrow(() -> new UnsupportedArchitectureException(
            "the Keras config of " + config.name() + " states no fixed input shape (build the model before saving)"));
    List<Node> nodes = new ArrayList<>();
    String previous = ModelSpec.INPUT;
    boolean functional = !config.isSequential();
    List<String> inputNames = config.inputLayers();
    DataFormat imageFormat = DataFormat.CHANNELS_LAST;
    for (KerasLayerConfig layer : config.layers()) {
      if (layer.className().equals("InputLayer")) {
        continue;
      }
      List<String> inputs;
      if (functional) {
        inputs = layer.inboundLayerNames().stream()
            .map(n -> inputNames.contains(n) ? ModelSpec.INPUT : n).toList();
      } else {
        inputs = List.of(previous);
      }
      LayerSpec spec = layer(layer, inputs.size(), imageFormat);
      if (spec.dataFormat() != null && !(spec instanceof Flatten)) {
        imageFormat = spec.dataFormat();
      }
      nodes.add(new Node(layer.name(), spec, inputs));
      previous = layer.name();
    }
    String output = functional && !config.outputLayers().isEmpty() ? config.outputLayers().get(0) : previous;
    return new ModelSpec(config.name(), functional ? ModelSpec.Style.MODULE : ModelSpec.Style.SEQUENTIAL,
        Framework.KERAS, input, nodes, output);
  }

  static LayerSpec layer(KerasLayerConfig layer, int inputCount, DataFormat imageFormat) {
    Map<String, Object> c = layer.config();
    Framework k = Framework.KERAS;
    try {
      return switch (layer.className()) {
        case "Dense" -> new Dense(k, integer(c, "units"), 0, bool(c, "use_bias", true), activation(c));
        case "Conv2D" -> {
          if (integer(c, "groups", 1) != 1) {
            throw unsupported(layer, "grouped convolutions are not supported");
          }
          int[] kernel = pair(c, "kernel_size");
          int[] strides = pair(c, "strides");
          int[] dilation = pair(c, "dilation_rate");
          yield new Conv2D(k, integer(c, "filters"), kernel[0], kernel[1], strides[0], strides[1],
              Padding.fromKeras(string(c, "padding", "valid")), dilation[0], dilation[1],
              bool(c, "use_bias", true), activation(c), format(c), 0);
        }
        case "MaxPooling2D", "AveragePooling2D" -> {
          int[] pool = pair(c, "pool_size");
          int[] strides = c.get("strides") == null ? pool : pair(c, "strides");
          yield new Pool2D(k, layer.className().startsWith("Max") ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
              pool[0], pool[1], strides[0], strides[1], Padding.fromKeras(string(c, "padding", "valid")),
              false, false, format(c));
        }
        case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
          if (bool(c, "keepdims", false)) {
            throw unsupported(layer, "keepdims=True is not supported");
          }
          yield new GlobalPool2D(k, layer.className().contains("Max") ? Pool2D.Kind.MAX : Pool2D.Kind.AVG, format(c));
        }
        case "Flatten" -> {
          // Keras' channels_first Flatten moves channels last before flattening (features H,W,C)
          // when the input is an image; its channels_last Flatten is a plain reshape in memory order.
          if ("channels_first".equals(c.get("data_format")) && imageFormat == DataFormat.CHANNELS_FIRST) {
            throw unsupported(layer, "Flatten(data_format=\"channels_first\") after channels-first images "
                + "reorders features to H,W,C, which Sequent does not do yet");
          }
          yield new Flatten(k, imageFormat);
        }
        case "BatchNormalization" -> {
          Object axis = c.get("axis");
          int ax = axis instanceof List<?> l && l.size() == 1 ? ((Number) l.get(0)).intValue()
              : axis instanceof Number n ? n.intValue() : -1;
          // Keras counts the batch axis; the layer record's feature axis does not.
          yield new BatchNorm(k, "BatchNormalization", number(c, "epsilon", 1e-3), number(c, "momentum", 0.99),
              ax < 0 ? ax : ax - 1, bool(c, "center", true), bool(c, "scale", true), List.of(), 0);
        }
        case "Dropout" -> new Dropout(k, number(c, "rate", 0));
        case "Activation" -> new ActivationLayer(k, "Activation", activation(c));
        case "ReLU" -> {
          if (c.get("max_value") != null || number(c, "negative_slope", 0) != 0 || number(c, "threshold", 0) != 0) {
            throw unsupported(layer, "only ReLU() without max_value, negative_slope or threshold is supported");
          }
          yield new ActivationLayer(k, "ReLU", Activation.of(Activation.Kind.RELU));
        }
        case "Softmax" -> {
          Object axis = c.get("axis");
          int ax = axis instanceof List<?> l && l.size() == 1 ? ((Number) l.get(0)).intValue()
              : axis instanceof Number n ? n.intValue() : -1;
          yield new ActivationLayer(k, "Softmax", Activation.softmax(ax));
        }
        case "LeakyReLU" -> new ActivationLayer(k, "LeakyReLU", Activation.leakyRelu(
            c.containsKey("negative_slope") ? number(c, "negative_slope", 0.3) : number(c, "alpha", 0.3)));
        case "ELU" -> new ActivationLayer(k, "ELU", Activation.elu(number(c, "alpha", 1.0)));
        case "Add" -> new Add(k, inputCount);
        default -> throw unsupported(layer, "this layer type is not supported");
      };
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException("layer " + layer.name() + " (" + layer.className() + "): "
          + e.getMessage());
    }
  }

  private static UnsupportedArchitectureException unsupported(KerasLayerConfig layer, String why) {
    return new UnsupportedArchitectureException("layer " + layer.name() + " (" + layer.className() + "): " + why);
  }

  private static DataFormat format(Map<String, Object> c) {
    return "channels_first".equals(c.get("data_format")) ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
  }

  /** Keras stores activations as a name, or (Keras 3, for serialized functions) as a small dict. */
  private static Activation activation(Map<String, Object> c) {
    Object a = c.get("activation");
    if (a == null) {
      return Activation.LINEAR;
    }
    if (a instanceof Map<?, ?> m) {
      Object inner = m.get("config");
      a = inner instanceof String ? inner : m.get("class_name");
    }
    return Activation.fromKeras(String.valueOf(a));
  }

  private static int integer(Map<String, Object> c, String key) {
    Object v = c.get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw new UnsupportedArchitectureException("config key " + key + " is " + v + ", expected an integer");
  }

  private static int integer(Map<String, Object> c, String key, int fallback) {
    return c.get(key) instanceof Number n ? n.intValue() : fallback;
  }

  private static double number(Map<String, Object> c, String key, double fallback) {
    return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  private static boolean bool(Map<String, Object> c, String key, boolean fallback) {
    return c.get(key) instanceof Boolean b ? b : fallback;
  }

  private static String string(Map<String, Object> c, String key, String fallback) {
    return c.get(key) instanceof String s ? s : fallback;
  }

  private static int[] pair(Map<String, Object> c, String key) {
    Object v = c.get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> l && l.size() == 2) {
      return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
    }
    if (v instanceof List<?> l && l.size() == 1) {
      int x = ((Number) l.get(0)).intValue();
      return new int[] {x, x};
    }
    throw new UnsupportedArchitectureException("config key " + key + " is " + v + ", expected an int or a pair");
  }
}
