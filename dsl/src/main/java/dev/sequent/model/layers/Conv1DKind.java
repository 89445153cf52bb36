package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerAttributes;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * 1-D convolutions: Keras {@code Conv1D} ({@code keras/src/layers/convolutional/conv1d.py}, with
 * {@code padding="causal"}), PyTorch {@code nn.Conv1d} ({@code torch/nn/modules/conv.py}). See
 * {@link Conv1D}.
 */
public final class Conv1DKind extends AbstractLayerKind<Conv1D> {
  public static final String KERAS_CLASS = "Conv1D";
  public static final String TORCH_CLASS = "Conv1d";
  public static final String TORCH_MODULE = "torch.nn.modules.conv.Conv1d";
  /** Keras' padding string for causal convolutions. */
  public static final String CAUSAL = "causal";

  public Conv1DKind() {
    super(Conv1D.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Conv1D", v -> {
          String padding = v.string("padding");
          boolean causal = padding.equals(CAUSAL);
          return new Conv1D(Framework.KERAS, v.integer("filters"), v.integer("kernelSize"), v.integer("strides"),
              causal ? Padding.VALID : kerasPadding(padding), causal, v.integer("dilationRate"), v.bool("useBias"),
              v.kerasActivation(), DataFormat.CHANNELS_LAST, 0);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch.Conv1d", v -> new Conv1D(Framework.TORCH, v.integer("out"),
            v.integer("kernel"), v.integer("stride"), torchPadding(v), false, v.integer("dilation"), v.bool("bias"),
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, v.integer("in"))));
  }

  private static Padding kerasPadding(String padding) {
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw new ShapeException("padding", "padding must be \"valid\", \"same\" or \"causal\". Received: padding=\""
          + padding + "\"");
    }
    return Padding.fromKeras(padding);
  }

  private static Padding torchPadding(AnnotationValues v) {
    String mode = v.string("paddingMode");
    return switch (mode) {
      case "same" -> Padding.SAME;
      case "valid" -> Padding.VALID;
      case "" -> Padding.explicit(0, v.integer("padding"));
      default -> throw new ShapeException("paddingMode", "paddingMode must be \"same\" or \"valid\" (or use "
          + "padding = n). Received: paddingMode=\"" + mode + "\"");
    };
  }

  /** An int or a one-element list, as both frameworks store a 1-D kernel size. */
  private static int single(LayerAttributes a, String key) {
    return a.ints(key)[0];
  }

  private static ArrayNode one(int v) {
    return JsonNodeFactory.instance.arrayNode().add(v);
  }

  @Override
  public Conv1D fromKeras(KerasLayerInput c) {
    if (c.integer("groups", 1) != 1) {
      throw c.unsupported("grouped convolutions are not supported");
    }
    String padding = c.string("padding", "valid");
    boolean causal = padding.equals(CAUSAL);
    return new Conv1D(Framework.KERAS, c.integer("filters"), single(c, "kernel_size"), single(c, "strides"),
        causal ? Padding.VALID : Padding.fromKeras(padding), causal, single(c, "dilation_rate"),
        c.bool("use_bias", true), KerasJson.readActivation(c.config()), c.dataFormat(), 0);
  }

  @Override
  public Optional<String> kerasUnsupported(Conv1D c) {
    if (c.stride() > 1 && c.dilation() > 1) {
      return Optional.of("Keras refuses strides > 1 with dilation_rate > 1");
    }
    if (c.padding().mode() == Padding.Mode.EXPLICIT && !symmetricSame(c)) {
      return Optional.of("explicit padding " + c.padding().width() + " has no Keras Conv1D equivalent");
    }
    return Optional.empty();
  }

  /** PyTorch padding p = d(k-1)/2 at stride 1 is exactly Keras "same". */
  private static boolean symmetricSame(Conv1D c) {
    return c.stride() == 1 && c.kernel() % 2 == 1 && c.padding().width() * 2 == c.dilation() * (c.kernel() - 1);
  }

  @Override
  public void writeKeras(Conv1D v, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("filters", v.filters());
    c.set("kernel_size", one(v.kernel()));
    c.set("strides", one(v.stride()));
    c.put("padding", v.causal() ? CAUSAL : v.padding().mode() == Padding.Mode.VALID ? "valid" : "same");
    c.put("data_format", v.dataFormat().kerasName());
    c.set("dilation_rate", one(v.dilation()));
    c.put("groups", 1);
    c.put("activation", KerasJson.activation(v.activation(), dialect));
    c.put("use_bias", v.useBias());
    if (dialect == KerasDialect.KERAS3) {
      KerasJson.kernelInitializers(c);
    } else {
      KerasJson.kernelInitializersAndNulls(c);
    }
  }

  @Override
  public Conv1D fromTorch(TorchModuleInput m) {
    if (m.integer("groups") != 1) {
      throw m.unsupported("grouped convolutions (groups=" + m.integer("groups") + ") are not supported");
    }
    Object mode = m.attributes().getOrDefault("padding_mode", "zeros");
    if (!"zeros".equals(mode)) {
      throw m.unsupported("padding_mode=" + mode + " is not supported");
    }
    Padding padding;
    if (m.get("padding") instanceof String str) {
      padding = str.equals("same") ? Padding.SAME : Padding.VALID;
    } else {
      padding = Padding.explicit(0, single(m, "padding"));
    }
    return new Conv1D(Framework.TORCH, m.integer("out_channels"), single(m, "kernel_size"), single(m, "stride"),
        padding, false, single(m, "dilation"), m.has("bias"), Activation.LINEAR, DataFormat.CHANNELS_FIRST,
        m.integer("in_channels"));
  }

  /** aten's {@code _convolution}, {@code conv1d} and {@code _convolution_mode} (string padding), on a 3-D weight. */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    boolean mode = c.op().equals("_convolution_mode");
    boolean convolution = c.op().equals("_convolution");
    long[] weight = shapes.get("weight");
    if (!(mode || convolution || c.op().equals("conv1d")) || weight == null || weight.length != 3
        || (convolution && !Boolean.FALSE.equals(c.arg(6, "transposed", null)))) {
      return a;
    }
    Object groups = c.arg(convolution ? 8 : 6, "groups", 1);
    if (!(groups instanceof Integer g)) {
      return a;
    }
    a.put("in_channels", (int) weight[1] * g);
    a.put("out_channels", (int) weight[0]);
    a.put("kernel_size", List.of((int) weight[2]));
    a.put("stride", c.arg(3, "stride", 1));
    a.put("padding", c.arg(4, "padding", mode ? "valid" : 0));
    a.put("dilation", c.arg(5, "dilation", 1));
    a.put("groups", g);
    a.put("padding_mode", "zeros"); // other modes trace to an explicit pad call before this one
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Conv1D c, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("in_channels", inferred.inputShapes().get(0).dim(Conv1D.channelAxis(c.dataFormat())));
    a.put("out_channels", c.filters());
    a.put("kernel_size", List.of(c.kernel()));
    a.put("stride", List.of(c.stride()));
    a.put("padding", switch (c.padding().mode()) {
      case SAME -> "same";
      case VALID -> List.of(0);
      case EXPLICIT -> List.of(c.padding().width());
    });
    a.put("dilation", List.of(c.dilation()));
    a.put("groups", 1);
    a.put("padding_mode", "zeros");
    return a;
  }

  /**
   * Keras Conv1D in the layer's own data format: the twin transposes images only, so a
   * channels-first sequence (channels, length) reaches the twin as it is, and Keras' Conv1D with
   * {@code data_format="channels_first"} takes the same (k, in, out) kernel.
   */
  @Override
  public Twin kerasTwin(Conv1D c, TwinContext context) {
    if (c.stride() > 1 && c.dilation() > 1) {
      return Twin.none("Keras refuses strides > 1 with dilation_rate > 1");
    }
    if (c.padding().mode() == Padding.Mode.EXPLICIT && !symmetricSame(c)) {
      // Keras' ZeroPadding1D pads a channels-last sequence only; a channels-first (C, L) one is
      // padded as the height of a (C, L, 1) image: Reshape, ZeroPadding2D(((p, p), (0, 0)),
      // channels_first), Reshape back, then a "valid" Conv1D. Each is exact (a reshape by a trailing 1).
      Shape in = context.input();
      int channels = in.dim(Conv1D.channelAxis(c.dataFormat()));
      int steps = in.dim(Conv1D.stepAxis(c.dataFormat()));
      int p = c.padding().width();
      if (c.dataFormat() != DataFormat.CHANNELS_FIRST) {
        return Twin.none("explicit padding " + p + " of a channels-last sequence has no Keras Conv1D equivalent");
      }
      return Twin.chain(List.of(
          Twin.helper("as2d", new Reshape(Framework.KERAS, List.of(channels, steps, 1))),
          Twin.helper(ZeroPad2DKind.TWIN_SUFFIX, new ZeroPad2D(Framework.KERAS, p, p, 0, 0, DataFormat.CHANNELS_FIRST)),
          Twin.helper("as1d", new Reshape(Framework.KERAS, List.of(channels, steps + 2 * p)))),
          new Conv1D(Framework.KERAS, c.filters(), c.kernel(), c.stride(), Padding.VALID, c.causal(), c.dilation(),
              c.useBias(), c.activation(), c.dataFormat(), c.declaredIn()), List.of());
    }
    Padding padding = c.padding().mode() == Padding.Mode.EXPLICIT ? Padding.SAME : c.padding();
    return Twin.of(new Conv1D(Framework.KERAS, c.filters(), c.kernel(), c.stride(), padding, c.causal(),
        c.dilation(), c.useBias(), c.activation(), c.dataFormat(), c.declaredIn()));
  }

  /** Keras: GlorotUniform kernel over (in*k, out*k), zero bias; PyTorch: {@code U(-1/sqrt(in*k), ..)}. */
  @Override
  public float[] initialValue(Conv1D c, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    Shape in = inferred.inputShapes().get(0);
    int fanIn = in.dim(Conv1D.channelAxis(c.dataFormat())) * c.kernel();
    int fanOut = c.filters() * c.kernel();
    boolean kernel = p.kerasName().equals("kernel");
    double bound = framework == Framework.KERAS
        ? (kernel ? Initialisation.glorotBound(fanIn, fanOut) : 0)
        : Initialisation.torchBound(fanIn);
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Conv1D(Framework.KERAS, 4, 3, 1, Padding.SAME, false, 1, true,
            Activation.of(Activation.Kind.RELU), DataFormat.CHANNELS_LAST, 0), Shape.of(10, 2)),
        new Example(new Conv1D(Framework.KERAS, 3, 3, 1, Padding.VALID, true, 2, false,
            Activation.LINEAR, DataFormat.CHANNELS_LAST, 0), Shape.of(9, 2)),
        new Example(new Conv1D(Framework.KERAS, 3, 2, 2, Padding.VALID, false, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_LAST, 0), Shape.of(9, 2)),
        new Example(new Conv1D(Framework.TORCH, 6, 5, 1, Padding.explicit(0, 2), false, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 1), Shape.of(1, 12)),
        new Example(new Conv1D(Framework.TORCH, 4, 3, 2, Padding.VALID, false, 2, false,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 0), Shape.of(2, 15)));
  }
  @Override
  public Optional<SourceForm> sourceForm(Conv1D c) {
    if (c.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras("Conv1D").with("filters", c.filters()).with("kernelSize", c.kernel())
          .with("strides", c.stride())
          .with("padding", c.causal() ? CAUSAL : c.padding().mode() == Padding.Mode.SAME ? "same" : "valid")
          .with("dilationRate", c.dilation()).with("useBias", c.useBias())
          .with("activation", c.activation().kerasName()));
    }
    SourceForm f = SourceForm.torch("Conv1d").with("in", c.declaredIn()).with("out", c.filters())
        .with("kernel", c.kernel()).with("stride", c.stride());
    f = c.padding().mode() == Padding.Mode.EXPLICIT ? f.with("padding", c.padding().width())
        : f.with("paddingMode", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid");
    return Optional.of(f.with("dilation", c.dilation()).with("bias", c.useBias()));
  }
}
