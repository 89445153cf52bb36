package dev.sequent.model.layers;

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
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
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
 * 2-D convolutions: Keras {@code Conv2D} ({@code keras/src/layers/convolutional/conv2d.py}),
 * PyTorch {@code nn.Conv2d} ({@code torch/nn/modules/conv.py}). See {@link Conv2D}.
 */
public final class Conv2DKind extends AbstractLayerKind<Conv2D> {
  public static final String KERAS_CLASS = "Conv2D";
  public static final String TORCH_CLASS = "Conv2d";
  public static final String TORCH_MODULE = "torch.nn.modules.conv.Conv2d";
  /** {@code groups=1} in both frameworks. */
  public static final int DEFAULT_GROUPS = 1;

  public Conv2DKind() {
    super(Conv2D.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Conv2D", v -> {
          int[] kernel = v.pair("kernelSize");
          int[] strides = v.pair("strides");
          int[] dilation = v.pair("dilationRate");
          return new Conv2D(Framework.KERAS, v.integer("filters"), kernel[0], kernel[1], strides[0], strides[1],
              Padding.fromKeras(v.string("padding")), dilation[0], dilation[1], v.bool("useBias"),
              v.kerasActivation(), DataFormat.CHANNELS_LAST, 0, v.integer("groups"));
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch.Conv2d", v -> {
          int[] kernel = v.pair("kernel");
          int[] stride = v.pair("stride");
          int[] dilation = v.pair("dilation");
          return new Conv2D(Framework.TORCH, v.integer("out"), kernel[0], kernel[1], stride[0], stride[1],
              torchPadding(v), dilation[0], dilation[1], v.bool("bias"), Activation.LINEAR,
              DataFormat.CHANNELS_FIRST, v.integer("in"), v.integer("groups"));
        }));
  }

  private static Padding torchPadding(AnnotationValues v) {
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

  @Override
  public Conv2D fromKeras(KerasLayerInput c) {
    int[] kernel = c.pair("kernel_size");
    int[] strides = c.pair("strides");
    int[] dilation = c.pair("dilation_rate");
    return new Conv2D(Framework.KERAS, c.integer("filters"), kernel[0], kernel[1], strides[0], strides[1],
        Padding.fromKeras(c.string("padding", "valid")), dilation[0], dilation[1], c.bool("use_bias", true),
        KerasJson.readActivation(c.config()), c.dataFormat(), 0, c.integer("groups", DEFAULT_GROUPS));
  }

  @Override
  public Optional<String> kerasUnsupported(Conv2D c) {
    if (c.padding().mode() == Padding.Mode.EXPLICIT && !symmetricSame(c)) {
      return Optional.of("explicit padding " + c.padding() + " has no Keras Conv2D equivalent (its Keras twin is "
          + "ZeroPadding2D then a \"valid\" Conv2D)");
    }
    return Optional.empty();
  }

  /** PyTorch padding p = d(k-1)/2 at stride 1 is exactly Keras "same". */
  private static boolean symmetricSame(Conv2D c) {
    return c.strideH() == 1 && c.strideW() == 1 && c.kernelH() % 2 == 1 && c.kernelW() % 2 == 1
        && c.padding().height() * 2 == c.dilationH() * (c.kernelH() - 1)
        && c.padding().width() * 2 == c.dilationW() * (c.kernelW() - 1);
  }

  @Override
  public void writeKeras(Conv2D v, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("filters", v.filters());
    c.set("kernel_size", KerasJson.pair(v.kernelH(), v.kernelW()));
    c.set("strides", KerasJson.pair(v.strideH(), v.strideW()));
    // Keras 3's form is written for PyTorch layers too, whose p = d(k-1)/2 padding is "same".
    c.put("padding", dialect == KerasDialect.KERAS3
        ? (v.padding().mode() == Padding.Mode.VALID ? "valid" : "same")
        : KerasJson.padding(v.padding(), dialect, inferred.name()));
    c.put("data_format", v.dataFormat().kerasName());
    c.set("dilation_rate", KerasJson.pair(v.dilationH(), v.dilationW()));
    c.put("groups", v.groups());
    c.put("activation", KerasJson.activation(v.activation(), dialect));
    c.put("use_bias", v.useBias());
    if (dialect == KerasDialect.KERAS3) {
      KerasJson.kernelInitializers(c);
    } else {
      KerasJson.kernelInitializersAndNulls(c);
    }
  }

  @Override
  public Conv2D fromTorch(TorchModuleInput m) {
    int groups = m.integer("groups"); // first: a traced module without its call records none of these
    Object mode = m.attributes().getOrDefault("padding_mode", "zeros");
    if (!"zeros".equals(mode)) {
      throw m.unsupported("padding_mode=" + mode + " is not supported");
    }
    int[] k = m.pair("kernel_size");
    int[] s = m.pair("stride");
    int[] d = m.pair("dilation");
    Padding padding;
    if (m.get("padding") instanceof String str) {
      padding = str.equals("same") ? Padding.SAME : Padding.VALID;
    } else {
      int[] pp = m.pair("padding");
      padding = Padding.explicit(pp[0], pp[1]);
    }
    return new Conv2D(Framework.TORCH, m.integer("out_channels"), k[0], k[1], s[0], s[1], padding, d[0], d[1],
        m.has("bias"), Activation.LINEAR, DataFormat.CHANNELS_FIRST, m.integer("in_channels"), groups);
  }

  /** aten's {@code _convolution}, {@code conv2d} and {@code _convolution_mode} (string padding). */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    boolean mode = c.op().equals("_convolution_mode");
    boolean convolution = c.op().equals("_convolution");
    long[] weight = shapes.get("weight");
    if (!(mode || convolution || c.op().equals("conv2d")) || weight == null || weight.length != 4
        || (convolution && !Boolean.FALSE.equals(c.arg(6, "transposed", null)))) {
      return a;
    }
    Object groups = c.arg(convolution ? 8 : 6, "groups", 1);
    if (!(groups instanceof Integer g)) {
      return a;
    }
    a.put("in_channels", (int) weight[1] * g);
    a.put("out_channels", (int) weight[0]);
    a.put("kernel_size", List.of((int) weight[2], (int) weight[3]));
    a.put("stride", TracedArgs.pair(c.arg(3, "stride", 1)));
    a.put("padding", mode ? c.arg(4, "padding", "valid") : TracedArgs.pair(c.arg(4, "padding", 0)));
    a.put("dilation", TracedArgs.pair(c.arg(5, "dilation", 1)));
    a.put("groups", g);
    a.put("padding_mode", "zeros"); // other modes trace to an explicit pad call before this one
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Conv2D c, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("in_channels", inferred.inputShapes().get(0).dim(c.dataFormat().channelAxis()));
    a.put("out_channels", c.filters());
    a.put("kernel_size", List.of(c.kernelH(), c.kernelW()));
    a.put("stride", List.of(c.strideH(), c.strideW()));
    a.put("padding", switch (c.padding().mode()) {
      case SAME -> "same";
      case VALID -> List.of(0, 0);
      case EXPLICIT -> List.of(c.padding().height(), c.padding().width());
    });
    a.put("dilation", List.of(c.dilationH(), c.dilationW()));
    a.put("groups", c.groups());
    a.put("padding_mode", "zeros");
    return a;
  }

  /**
   * A Keras {@code DepthwiseConv2D} kernel {@code (kh, kw, C, M)} in a convolution with one input
   * channel per group ({@code groups = C}, Keras kernel {@code (kh, kw, 1, C*M)}): output channel
   * {@code c*M + m} is {@code kernel[:, :, c, m]} in both, so the values are the same in memory order
   * (make_conv_family_fixtures.py checks this with real Keras and PyTorch).
   */
  @Override
  public boolean readsReshaped(Conv2D c, List<Shape> inputs, ParamSpec param, Framework from, Shape offered) {
    Shape want = param.kerasShape();
    return from == Framework.KERAS && param.kerasName().equals("kernel") && want.dim(2) == 1 && offered.rank() == 4
        && offered.dim(0) == want.dim(0) && offered.dim(1) == want.dim(1) && offered.dim(2) == c.groups()
        && (long) offered.dim(2) * offered.dim(3) == want.dim(3);
  }

  /**
   * Keras' Conv2D with its own padding where that is PyTorch's ("valid", "same", and p = d(k-1)/2
   * at stride 1, which is "same"); any other explicit padding is a {@code ZeroPadding2D} of
   * (p_h, p_h), (p_w, p_w) (PyTorch pads with zeros on both sides) and a "valid" Conv2D. Dilation is
   * Keras' {@code dilation_rate}, but Keras refuses it with strides > 1 ({@code BaseConv}: "strides > 1
   * not supported in conjunction with dilation_rate > 1").
   */
  @Override
  public Twin kerasTwin(Conv2D c, TwinContext context) {
    if (Math.max(c.strideH(), c.strideW()) > 1 && Math.max(c.dilationH(), c.dilationW()) > 1) {
      return Twin.none("Keras' Conv2D refuses strides > 1 with dilation_rate > 1 (stride (" + c.strideH() + ", "
          + c.strideW() + "), dilation (" + c.dilationH() + ", " + c.dilationW() + "))");
    }
    boolean explicit = c.padding().mode() == Padding.Mode.EXPLICIT;
    boolean same = explicit && symmetricSame(c);
    Padding padding = explicit ? (same ? Padding.SAME : Padding.VALID) : c.padding();
    Conv2D conv = new Conv2D(Framework.KERAS, c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
        padding, c.dilationH(), c.dilationW(), c.useBias(), c.activation(), DataFormat.CHANNELS_LAST,
        c.declaredIn(), c.groups());
    if (!explicit || same || (c.padding().height() == 0 && c.padding().width() == 0)) {
      return Twin.of(conv);
    }
    int ph = c.padding().height();
    int pw = c.padding().width();
    return Twin.chain(List.of(Twin.helper(ZeroPad2DKind.TWIN_SUFFIX,
        new ZeroPad2D(Framework.KERAS, ph, ph, pw, pw, DataFormat.CHANNELS_LAST))), conv, List.of());
  }

  /**
   * Keras: GlorotUniform kernel over (in/groups*kh*kw, out*kh*kw), zero bias; PyTorch:
   * {@code U(-1/sqrt(in/groups*kh*kw), ..)} (both take the fan-in from the grouped kernel's shape).
   */
  @Override
  public float[] initialValue(Conv2D c, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    Shape in = inferred.inputShapes().get(0);
    int fanIn = in.dim(c.dataFormat().channelAxis()) / c.groups() * c.kernelH() * c.kernelW();
    int fanOut = c.filters() * c.kernelH() * c.kernelW();
    boolean kernel = p.kerasName().equals("kernel");
    double bound = framework == Framework.KERAS
        ? (kernel ? Initialisation.glorotBound(fanIn, fanOut) : 0)
        : Initialisation.torchBound(fanIn);
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Conv2D(Framework.KERAS, 4, 3, 3, 1, 1, Padding.SAME, 1, 1, true,
            Activation.of(Activation.Kind.RELU), DataFormat.CHANNELS_LAST, 0), Shape.of(8, 8, 2)),
        new Example(new Conv2D(Framework.KERAS, 3, 3, 2, 2, 1, Padding.VALID, 1, 2, false,
            Activation.LINEAR, DataFormat.CHANNELS_LAST, 0), Shape.of(9, 9, 2)),
        new Example(new Conv2D(Framework.TORCH, 6, 5, 5, 1, 1, Padding.explicit(2, 2), 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 1), Shape.of(1, 12, 12)),
        new Example(new Conv2D(Framework.TORCH, 4, 3, 3, 2, 2, Padding.VALID, 1, 1, false,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 0), Shape.of(2, 9, 9)),
        new Example(new Conv2D(Framework.KERAS, 6, 3, 3, 1, 1, Padding.SAME, 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_LAST, 0, 2), Shape.of(8, 8, 4)),
        new Example(new Conv2D(Framework.TORCH, 8, 3, 3, 1, 1, Padding.explicit(1, 1), 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 4, 4), Shape.of(4, 8, 8)));
  }
  /** The annotation of the layer's vocabulary; "same"/"valid" as PyTorch's {@code paddingMode}. */
  @Override
  public Optional<SourceForm> sourceForm(Conv2D c) {
    if (c.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(KERAS_CLASS).with("filters", c.filters())
          .with("kernelSize", SourceForm.pair(c.kernelH(), c.kernelW()))
          .with("strides", SourceForm.pair(c.strideH(), c.strideW()))
          .with("padding", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid")
          .with("dilationRate", SourceForm.pair(c.dilationH(), c.dilationW()))
          .with("groups", c.groups()).with("useBias", c.useBias()).with("activation", c.activation().kerasName()));
    }
    SourceForm f = SourceForm.torch(TORCH_CLASS).with("in", c.declaredIn()).with("out", c.filters())
        .with("kernel", SourceForm.pair(c.kernelH(), c.kernelW()))
        .with("stride", SourceForm.pair(c.strideH(), c.strideW()));
    f = c.padding().mode() == Padding.Mode.EXPLICIT
        ? f.with("padding", SourceForm.pair(c.padding().height(), c.padding().width()))
        : f.with("paddingMode", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid");
    return Optional.of(f.with("dilation", SourceForm.pair(c.dilationH(), c.dilationW()))
        .with("groups", c.groups()).with("bias", c.useBias()));
  }
}
