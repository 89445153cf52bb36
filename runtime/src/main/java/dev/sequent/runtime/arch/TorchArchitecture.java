package dev.sequent.runtime.arch;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.io.TorchModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Builds the network model of an {@code nn.Sequential} from its module tree: a whole pickled model
 * (zip or legacy) or a TorchScript archive. The file records every layer's hyperparameters (a
 * traced TorchScript module: those Sequent recovers) but not the input's spatial size, so a model
 * that starts with a convolution needs the input shape from the caller (the CLI takes it from the
 * input {@code .npy}).
 */
public final class TorchArchitecture {
  private TorchArchitecture() {}

  /**
   * @param root the unpickled module
   * @param inputShape the sample input shape, or empty to derive it from a first Linear/BatchNorm1d
   * @param hasTensor whether the state_dict has a tensor of this name (tells bias=False apart)
   */
  public static ModelSpec toModelSpec(String name, TorchModule root, Optional<Shape> inputShape,
      Predicate<String> hasTensor) {
    if (!root.simpleName().equals("Sequential")) {
      throw new UnsupportedArchitectureException("the model in the file is a " + root.className()
          + ", not an nn.Sequential; Sequent builds architectures from nn.Sequential models only. "
          + "Declare the model in Java and load its state_dict instead");
    }
    List<ModelSpec.Named> layers = new ArrayList<>();
    for (Map.Entry<String, TorchModule> child : root.children().entrySet()) {
      layers.add(new ModelSpec.Named(child.getKey(), layer(child.getKey(), child.getValue(), hasTensor)));
    }
    Shape input = inputShape.orElseGet(() -> deriveInput(root));
    return ModelSpec.sequential(name, Framework.TORCH, input, layers);
  }

  private static Shape deriveInput(TorchModule root) {
    TorchModule first = root.children().values().stream().findFirst()
        .orElseThrow(() -> new UnsupportedArchitectureException("the nn.Sequential in the file is empty"));
    return switch (first.simpleName()) {
      case "Linear" -> Shape.of(integer(first, "in_features"));
      case "BatchNorm1d" -> Shape.of(integer(first, "num_features"));
      default -> throw new UnsupportedArchitectureException("the model starts with " + first.simpleName()
          + ", whose input size a pickle does not record; give the input shape (e.g. --input-shape 1,28,28)");
    };
  }

  static LayerSpec layer(String name, TorchModule m, Predicate<String> hasTensor) {
    Framework t = Framework.TORCH;
    try {
      return switch (m.simpleName()) {
        case "Linear" -> new Dense(t, integer(m, "out_features"), integer(m, "in_features"),
            hasTensor.test(name + ".bias"), Activation.LINEAR);
        case "Conv2d" -> conv(name, m, hasTensor);
        case "MaxPool2d", "AvgPool2d" -> pool(name, m);
        case "Flatten" -> {
          if (integer(m, "start_dim") != 1 || integer(m, "end_dim") != -1) {
            throw unsupported(name, m, "only Flatten(start_dim=1, end_dim=-1) is supported");
          }
          yield new Flatten(t, DataFormat.CHANNELS_FIRST);
        }
        case "BatchNorm1d", "BatchNorm2d" -> {
          boolean affine = bool(m, "affine", true);
          if (!bool(m, "track_running_stats", true)) {
            throw unsupported(name, m, "track_running_stats=False normalises with batch statistics at inference");
          }
          yield new BatchNorm(t, m.simpleName(), number(m, "eps", 1e-5), number(m, "momentum", 0.1), 0,
              affine, affine, m.simpleName().equals("BatchNorm2d") ? List.of(3) : List.of(1, 2),
              integer(m, "num_features"));
        }
        case "Dropout" -> new Dropout(t, number(m, "p", 0.5));
        case "ReLU" -> act(m, Activation.of(Activation.Kind.RELU));
        case "Tanh" -> act(m, Activation.of(Activation.Kind.TANH));
        case "Sigmoid" -> act(m, Activation.of(Activation.Kind.SIGMOID));
        case "SELU" -> act(m, Activation.of(Activation.Kind.SELU));
        case "SiLU" -> act(m, Activation.of(Activation.Kind.SILU));
        case "Identity" -> act(m, Activation.LINEAR);
        case "Softmax" -> {
          Object dim = m.attributes().get("dim");
          if (dim == null) {
            throw unsupported(name, m, "Softmax(dim=None) relies on PyTorch's implicit-dimension rule; give dim");
          }
          yield act(m, Activation.softmax(((Number) dim).intValue()));
        }
        case "LeakyReLU" -> act(m, Activation.leakyRelu(number(m, "negative_slope", 0.01)));
        case "ELU" -> act(m, Activation.elu(number(m, "alpha", 1.0)));
        case "GELU" -> act(m, Activation.gelu("tanh".equals(m.attributes().get("approximate"))));
        case "Softplus" -> act(m, Activation.softplus(number(m, "beta", 1.0), number(m, "threshold", 20.0)));
        default -> throw unsupported(name, m, "this layer type is not supported");
      };
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException("layer " + name + " (" + m.className() + "): " + e.getMessage());
    } catch (UnsupportedArchitectureException e) {
      if (e.getMessage().startsWith("layer ")) {
        throw e;
      }
      throw new UnsupportedArchitectureException("layer " + name + " (" + e.getMessage() + ")");
    }
  }

  private static LayerSpec act(TorchModule m, Activation a) {
    return new ActivationLayer(Framework.TORCH, m.simpleName(), a);
  }

  private static LayerSpec conv(String name, TorchModule m, Predicate<String> hasTensor) {
    if (integer(m, "groups") != 1) {
      throw unsupported(name, m, "grouped convolutions (groups=" + integer(m, "groups") + ") are not supported");
    }
    Object mode = m.attributes().getOrDefault("padding_mode", "zeros");
    if (!"zeros".equals(mode)) {
      throw unsupported(name, m, "padding_mode=" + mode + " is not supported");
    }
    int[] k = pair(m, "kernel_size");
    int[] s = pair(m, "stride");
    int[] d = pair(m, "dilation");
    Object p = m.attributes().get("padding");
    Padding padding;
    if (p instanceof String str) {
      padding = str.equals("same") ? Padding.SAME : Padding.VALID;
    } else {
      int[] pp = pair(m, "padding");
      padding = Padding.explicit(pp[0], pp[1]);
    }
    return new Conv2D(Framework.TORCH, integer(m, "out_channels"), k[0], k[1], s[0], s[1], padding, d[0], d[1],
        hasTensor.test(name + ".bias"), Activation.LINEAR, DataFormat.CHANNELS_FIRST, integer(m, "in_channels"));
  }

  private static LayerSpec pool(String name, TorchModule m) {
    boolean max = m.simpleName().equals("MaxPool2d");
    int[] k = pair(m, "kernel_size");
    int[] s = m.attributes().get("stride") == null ? k : pair(m, "stride");
    int[] p = pair(m, "padding");
    if (max && (pair(m, "dilation")[0] != 1 || pair(m, "dilation")[1] != 1)) {
      throw unsupported(name, m, "dilated pooling is not supported");
    }
    if (!max && m.attributes().get("divisor_override") != null) {
      throw unsupported(name, m, "divisor_override is not supported");
    }
    return new Pool2D(Framework.TORCH, max ? Pool2D.Kind.MAX : Pool2D.Kind.AVG, k[0], k[1], s[0], s[1],
        Padding.explicit(p[0], p[1]), bool(m, "ceil_mode", false), bool(m, "count_include_pad", true),
        DataFormat.CHANNELS_FIRST);
  }

  private static UnsupportedArchitectureException unsupported(String name, TorchModule m, String why) {
    return new UnsupportedArchitectureException("layer " + name + " (" + m.className() + "): " + why);
  }

  private static int integer(TorchModule m, String key) {
    Object v = m.attributes().get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw v == null ? notRecorded(m, key)
        : new UnsupportedArchitectureException(m.className() + ": attribute " + key + " is " + v + ", expected an integer");
  }

  private static UnsupportedArchitectureException notRecorded(TorchModule m, String key) {
    return new UnsupportedArchitectureException(m.className() + ": the file does not record its " + key
        + " (a traced TorchScript module keeps hyperparameters only inside its forward's calls, and Sequent reads "
        + "them only from the one call of a layer type it knows; see docs/formats.md)");
  }

  private static double number(TorchModule m, String key, double fallback) {
    Object v = m.attributes().get(key);
    return v instanceof Number n ? n.doubleValue() : fallback;
  }

  private static boolean bool(TorchModule m, String key, boolean fallback) {
    Object v = m.attributes().get(key);
    return v instanceof Boolean b ? b : fallback;
  }

  /** An int or a 2-element list/tuple, as PyTorch stores kernel_size, stride, padding, dilation. */
  private static int[] pair(TorchModule m, String key) {
    Object v = m.attributes().get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> list && list.size() == 2) {
      return new int[] {((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue()};
    }
    throw v == null ? notRecorded(m, key) : new UnsupportedArchitectureException(m.className() + ": attribute "
        + key + " is " + v + ", expected an int or a pair");
  }
}
