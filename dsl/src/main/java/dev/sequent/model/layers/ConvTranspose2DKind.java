package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
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
 * 2-D transposed convolutions: Keras {@code Conv2DTranspose}
 * ({@code keras/src/layers/convolutional/base_conv_transpose.py}), PyTorch {@code nn.ConvTranspose2d}
 * ({@code torch/nn/modules/conv.py}). See {@link ConvTranspose2D} for the one description of the
 * output window both frameworks' arguments choose.
 */
public final class ConvTranspose2DKind extends AbstractLayerKind<ConvTranspose2D> {
  public static final String KERAS_CLASS = "Conv2DTranspose";
  /** Keras 3's alias of the same class, which its saved configs may name. */
  public static final String KERAS_ALIAS = "Convolution2DTranspose";
  public static final String TORCH_CLASS = "ConvTranspose2d";
  public static final String TORCH_MODULE = "torch.nn.modules.conv.ConvTranspose2d";

  public ConvTranspose2DKind() {
    super(ConvTranspose2D.class, List.of(KERAS_CLASS, KERAS_ALIAS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Conv2DTranspose", v -> {
          int[] kernel = v.pair("kernelSize");
          int[] strides = v.pair("strides");
          int[] dilation = v.pair("dilationRate");
          int[] outputPadding = optionalPair(v, "outputPadding");
          return new ConvTranspose2D(Framework.KERAS, v.integer("filters"), kernel[0], kernel[1], strides[0],
              strides[1], Padding.fromKeras(v.string("padding")), outputPadding[0], outputPadding[1], dilation[0],
              dilation[1], v.bool("useBias"), v.kerasActivation(), DataFormat.CHANNELS_LAST, 0);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch.ConvTranspose2d", v -> {
          int[] kernel = v.pair("kernel");
          int[] stride = v.pair("stride");
          int[] padding = v.pair("padding");
          int[] outputPadding = v.pair("outputPadding");
          int[] dilation = v.pair("dilation");
          return new ConvTranspose2D(Framework.TORCH, v.integer("out"), kernel[0], kernel[1], stride[0], stride[1],
              Padding.explicit(padding[0], padding[1]), outputPadding[0], outputPadding[1], dilation[0],
              dilation[1], v.bool("bias"), Activation.LINEAR, DataFormat.CHANNELS_FIRST, v.integer("in"));
        }));
  }

  /** Keras' {@code output_padding=None} is the annotation's empty default. */
  private static int[] optionalPair(AnnotationValues v, String key) {
    return v.ints(key).length == 0
        ? new int[] {ConvTranspose2D.NO_OUTPUT_PADDING, ConvTranspose2D.NO_OUTPUT_PADDING}
        : v.pair(key);
  }

  @Override
  public ConvTranspose2D fromKeras(KerasLayerInput c) {
    if (c.integer("groups", 1) != 1) {
      throw c.unsupported("grouped transposed convolutions are not supported");
    }
    int[] kernel = c.pair("kernel_size");
    int[] strides = c.pair("strides");
    int[] dilation = c.pair("dilation_rate");
    int[] outputPadding = c.get("output_padding") == null
        ? new int[] {ConvTranspose2D.NO_OUTPUT_PADDING, ConvTranspose2D.NO_OUTPUT_PADDING}
        : c.pair("output_padding");
    return new ConvTranspose2D(Framework.KERAS, c.integer("filters"), kernel[0], kernel[1], strides[0], strides[1],
        Padding.fromKeras(c.string("padding", "valid")), outputPadding[0], outputPadding[1], dilation[0],
        dilation[1], c.bool("use_bias", true), KerasJson.readActivation(c.config()), c.dataFormat(), 0);
  }

  @Override
  public Optional<String> kerasUnsupported(ConvTranspose2D c) {
    return kerasForm(c).isPresent() ? Optional.empty() : Optional.of(noKerasForm(c));
  }

  @Override
  public void writeKeras(ConvTranspose2D layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    ConvTranspose2D v = kerasForm(layer).orElseThrow(() -> new IllegalArgumentException(noKerasForm(layer)));
    c.put("filters", v.filters());
    c.set("kernel_size", KerasJson.pair(v.kernelH(), v.kernelW()));
    c.set("strides", KerasJson.pair(v.strideH(), v.strideW()));
    c.put("padding", v.padding().mode() == Padding.Mode.SAME ? "same" : "valid");
    if (v.outputPaddingH() == ConvTranspose2D.NO_OUTPUT_PADDING) {
      c.putNull("output_padding");
    } else {
      c.set("output_padding", KerasJson.pair(v.outputPaddingH(), v.outputPaddingW()));
    }
    c.put("data_format", v.dataFormat().kerasName());
    c.set("dilation_rate", KerasJson.pair(v.dilationH(), v.dilationW()));
    c.put("activation", KerasJson.activation(v.activation(), dialect));
    c.put("use_bias", v.useBias());
    if (dialect == KerasDialect.KERAS3) {
      KerasJson.kernelInitializers(c);
    } else {
      KerasJson.kernelInitializersAndNulls(c);
    }
  }

  @Override
  public ConvTranspose2D fromTorch(TorchModuleInput m) {
    if (m.integer("groups", 1) != 1) {
      throw m.unsupported("grouped transposed convolutions (groups=" + m.integer("groups") + ") are not supported");
    }
    Object mode = m.attributes().getOrDefault("padding_mode", "zeros");
    if (!"zeros".equals(mode)) {
      throw m.unsupported("padding_mode=" + mode + " is not supported (PyTorch itself allows only zeros here)");
    }
    int[] k = m.pair("kernel_size");
    int[] s = m.pair("stride");
    int[] p = m.pair("padding");
    int[] op = m.pair("output_padding");
    int[] d = m.pair("dilation");
    return new ConvTranspose2D(Framework.TORCH, m.integer("out_channels"), k[0], k[1], s[0], s[1],
        Padding.explicit(p[0], p[1]), op[0], op[1], d[0], d[1], m.has("bias"), Activation.LINEAR,
        DataFormat.CHANNELS_FIRST, m.integer("in_channels"));
  }

  /**
   * aten's {@code _convolution(input, weight, bias, stride, padding, dilation, transposed,
   * output_padding, groups, ...)} with {@code transposed=True}, and {@code conv_transpose2d(input,
   * weight, bias, stride, padding, output_padding, groups, dilation)}. The weight is (in, out/groups, kh, kw).
   */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    boolean convolution = c.op().equals("_convolution");
    long[] weight = shapes.get("weight");
    if (!(convolution || c.op().equals("conv_transpose2d")) || weight == null || weight.length != 4
        || (convolution && !Boolean.TRUE.equals(c.arg(6, "transposed", null)))) {
      return a;
    }
    Object groups = c.arg(convolution ? 8 : 6, "groups", 1);
    if (!(groups instanceof Integer g)) {
      return a;
    }
    a.put("in_channels", (int) weight[0]);
    a.put("out_channels", (int) weight[1] * g);
    a.put("kernel_size", List.of((int) weight[2], (int) weight[3]));
    a.put("stride", TracedArgs.pair(c.arg(3, "stride", 1)));
    a.put("padding", TracedArgs.pair(c.arg(4, "padding", 0)));
    a.put("output_padding", TracedArgs.pair(c.arg(convolution ? 7 : 5, "output_padding", 0)));
    a.put("dilation", TracedArgs.pair(c.arg(convolution ? 5 : 7, "dilation", 1)));
    a.put("groups", g);
    a.put("padding_mode", "zeros");
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(ConvTranspose2D c, InferredModel.Layer inferred) {
    int[] window = torchForm(c).orElseThrow(() -> new IllegalArgumentException("layer " + inferred.name()
        + ": Conv2DTranspose " + c.padding() + " crops its output where no ConvTranspose2d padding does"));
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("in_channels", inferred.inputShapes().get(0).dim(c.dataFormat().channelAxis()));
    a.put("out_channels", c.filters());
    a.put("kernel_size", List.of(c.kernelH(), c.kernelW()));
    a.put("stride", List.of(c.strideH(), c.strideW()));
    a.put("padding", List.of(window[0], window[1]));
    a.put("output_padding", List.of(window[2], window[3]));
    a.put("dilation", List.of(c.dilationH(), c.dilationW()));
    a.put("groups", 1);
    a.put("padding_mode", "zeros");
    return a;
  }

  /*
   * The two frameworks' arguments choose the same window whatever the input size: with full =
   * (in - 1) * s + k_eff, PyTorch's window starts at p and has length full - 2p + op, Keras "valid"
   * starts at 0 with length full + op, Keras "same" has length full - k_eff + k_eff % 2 + op (in * s
   * when op is None) and starts at max(k_eff - k_eff % 2 - op, 0) / 2 (max(k_eff - s, 0) / 2). So the
   * forms below are computed once, on an input of length 1, and hold for every input.
   */

  /**
   * PyTorch's {@code (padding_h, padding_w, output_padding_h, output_padding_w)} for the same window:
   * PyTorch crops {@code padding} at both ends and then adds {@code output_padding} at the end, below
   * the stride or the dilation. Empty where no PyTorch arguments do (Keras "same" with an odd kernel
   * and stride 2 crops its extra row at the end, which PyTorch cannot).
   */
  static Optional<int[]> torchForm(ConvTranspose2D c) {
    if (c.framework() == Framework.TORCH) {
      return Optional.of(new int[] {c.padding().height(), c.padding().width(), c.outputPaddingH(), c.outputPaddingW()});
    }
    int[] form = new int[4];
    for (int axis = 0; axis < 2; axis++) {
      int s = axis == 0 ? c.strideH() : c.strideW();
      int d = axis == 0 ? c.dilationH() : c.dilationW();
      int full = ConvTranspose2D.fullLength(1, axis == 0 ? c.kernelH() : c.kernelW(), s, d);
      int before = c.cropBefore(axis, 1);
      int op = c.outputLength(axis, 1) - full + 2 * before;
      if (op < 0 || op >= Math.max(s, d)) {
        return Optional.empty();
      }
      form[axis] = before;
      form[2 + axis] = op;
    }
    return Optional.of(form);
  }

  /**
   * The Keras layer choosing the same window: no crop is "valid" with {@code output_padding}, a
   * symmetric crop is "same" with the {@code output_padding} that gives the length, when Keras' own
   * crop rule then starts the window where PyTorch does (output_padding below the stride, as Keras
   * requires, and no stride above 1 with dilation above 1), on the layer's own image layout. A Keras
   * layer is its own form.
   */
  static Optional<ConvTranspose2D> kerasForm(ConvTranspose2D c) {
    if (c.framework() == Framework.KERAS) {
      return Optional.of(c);
    }
    if (Math.max(c.strideH(), c.strideW()) > 1 && Math.max(c.dilationH(), c.dilationW()) > 1) {
      return Optional.empty();
    }
    // Keras' plainest spelling first: each padding without output_padding, then with the one that
    // gives the length.
    for (Padding mode : List.of(Padding.VALID, Padding.SAME)) {
      int none = ConvTranspose2D.NO_OUTPUT_PADDING;
      Optional<ConvTranspose2D> plain = sameWindow(c, keras(c, mode, none, none));
      if (plain.isPresent()) {
        return plain;
      }
      int[] op = new int[2];
      boolean fits = true;
      for (int axis = 0; axis < 2 && fits; axis++) {
        int k = axis == 0 ? c.kernelH() : c.kernelW();
        int s = axis == 0 ? c.strideH() : c.strideW();
        int d = axis == 0 ? c.dilationH() : c.dilationW();
        int effective = d * (k - 1) + 1;
        int base = mode == Padding.VALID ? effective : effective % 2; // full or Keras' "same" length, at in = 1
        op[axis] = c.outputLength(axis, 1) - base;
        fits = op[axis] >= 0 && op[axis] < s;
      }
      if (fits) {
        Optional<ConvTranspose2D> padded = sameWindow(c, keras(c, mode, op[0], op[1]));
        if (padded.isPresent()) {
          return padded;
        }
      }
    }
    return Optional.empty();
  }

  private static ConvTranspose2D keras(ConvTranspose2D c, Padding mode, int outputPaddingH, int outputPaddingW) {
    return new ConvTranspose2D(Framework.KERAS, c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), mode,
        outputPaddingH, outputPaddingW, c.dilationH(), c.dilationW(), c.useBias(), c.activation(), c.dataFormat(), 0);
  }

  /** {@code form} when it chooses {@code c}'s window (start and length, at in = 1), else empty. */
  private static Optional<ConvTranspose2D> sameWindow(ConvTranspose2D c, ConvTranspose2D form) {
    for (int axis = 0; axis < 2; axis++) {
      if (form.cropBefore(axis, 1) != c.cropBefore(axis, 1) || form.outputLength(axis, 1) != c.outputLength(axis, 1)) {
        return Optional.empty();
      }
    }
    return Optional.of(form);
  }

  private static String noKerasForm(ConvTranspose2D c) {
    if (Math.max(c.strideH(), c.strideW()) > 1 && Math.max(c.dilationH(), c.dilationW()) > 1) {
      return "Keras' Conv2DTranspose refuses strides > 1 with dilation > 1";
    }
    return "padding " + c.padding() + " with output_padding (" + c.outputPaddingH() + ", " + c.outputPaddingW()
        + ") crops the transposed output where no Keras Conv2DTranspose padding does";
  }

  /**
   * One Keras Conv2DTranspose where one has PyTorch's window ({@link #kerasForm}); otherwise the full
   * transposed convolution, "valid" (output length {@code (in-1)s + d(k-1) + 1}, plus Keras'
   * {@code output_padding} rows of bias only where PyTorch's output_padding reaches past the full
   * output), then a {@code Cropping2D} of PyTorch's padding: PyTorch's output is the full one with
   * {@code p} rows cut before and {@code p - output_padding} after (both frameworks add
   * output_padding at the bottom and right).
   */
  @Override
  public Twin kerasTwin(ConvTranspose2D c, TwinContext context) {
    // The twin's images are channels-last, as every Keras twin's.
    Optional<ConvTranspose2D> single = kerasForm(c);
    if (single.isPresent()) {
      return Twin.of(channelsLast(single.get()));
    }
    if (Math.max(c.strideH(), c.strideW()) > 1 && Math.max(c.dilationH(), c.dilationW()) > 1) {
      return Twin.none(noKerasForm(c));
    }
    int[] extra = new int[2];
    int[] cropAfter = new int[2];
    int[] pad = {c.padding().height(), c.padding().width()};
    int[] op = {c.outputPaddingH(), c.outputPaddingW()};
    int[] stride = {c.strideH(), c.strideW()};
    for (int axis = 0; axis < 2; axis++) {
      extra[axis] = Math.max(op[axis] - pad[axis], 0);
      cropAfter[axis] = Math.max(pad[axis] - op[axis], 0);
      if (extra[axis] >= stride[axis]) {
        return Twin.none("output_padding " + op[axis] + " beyond padding " + pad[axis] + " needs Keras "
            + "output_padding " + extra[axis] + ", which Keras' Conv2DTranspose refuses at stride " + stride[axis]);
      }
    }
    ConvTranspose2D full = keras(c, Padding.VALID, extra[0], extra[1]);
    return Twin.chain(List.of(), channelsLast(full), List.of(Twin.helper(Cropping2DKind.TWIN_SUFFIX,
        new Cropping2D(Framework.KERAS, pad[0], cropAfter[0], pad[1], cropAfter[1], DataFormat.CHANNELS_LAST))));
  }

  private static ConvTranspose2D channelsLast(ConvTranspose2D k) {
    return new ConvTranspose2D(Framework.KERAS, k.filters(), k.kernelH(), k.kernelW(), k.strideH(), k.strideW(),
        k.padding(), k.outputPaddingH(), k.outputPaddingW(), k.dilationH(), k.dilationW(), k.useBias(),
        k.activation(), DataFormat.CHANNELS_LAST, 0);
  }

  /**
   * Keras: GlorotUniform kernel, zero bias (fans of the (kh, kw, out, in) kernel are symmetric);
   * PyTorch: {@code U(-1/sqrt(fan_in), ..)} for weight and bias, where PyTorch's fan_in of the
   * (in, out, kh, kw) weight is its second axis times the kernel area: {@code out * kh * kw}.
   */
  @Override
  public float[] initialValue(ConvTranspose2D c, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int in = inferred.inputShapes().get(0).dim(c.dataFormat().channelAxis());
    int area = c.kernelH() * c.kernelW();
    boolean kernel = p.kerasName().equals("kernel");
    double bound = framework == Framework.KERAS
        ? (kernel ? Initialisation.glorotBound(in * area, c.filters() * area) : 0)
        : Initialisation.torchBound(c.filters() * area);
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new ConvTranspose2D(Framework.KERAS, 4, 3, 3, 2, 2, Padding.SAME,
            ConvTranspose2D.NO_OUTPUT_PADDING, ConvTranspose2D.NO_OUTPUT_PADDING, 1, 1, true,
            Activation.of(Activation.Kind.RELU), DataFormat.CHANNELS_LAST, 0), Shape.of(5, 6, 2)),
        new Example(new ConvTranspose2D(Framework.KERAS, 3, 2, 3, 1, 1, Padding.VALID, 0, 0, 2, 1, false,
            Activation.LINEAR, DataFormat.CHANNELS_LAST, 0), Shape.of(4, 4, 3)),
        new Example(new ConvTranspose2D(Framework.TORCH, 6, 3, 3, 2, 2, Padding.explicit(1, 1), 1, 1, 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 2), Shape.of(2, 5, 5)),
        new Example(new ConvTranspose2D(Framework.TORCH, 4, 4, 4, 2, 2, Padding.VALID, 0, 0, 1, 1, false,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 0), Shape.of(3, 4, 4)));
  }
  /** Keras' {@code outputPadding = {}} is its {@code None} (the record's -1). */
  @Override
  public Optional<SourceForm> sourceForm(ConvTranspose2D c) {
    if (c.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras("Conv2DTranspose").with("filters", c.filters())
          .with("kernelSize", SourceForm.pair(c.kernelH(), c.kernelW()))
          .with("strides", SourceForm.pair(c.strideH(), c.strideW()))
          .with("padding", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid")
          .with("outputPadding", c.outputPaddingH() < 0 ? new int[0]
              : SourceForm.pair(c.outputPaddingH(), c.outputPaddingW()))
          .with("dilationRate", SourceForm.pair(c.dilationH(), c.dilationW()))
          .with("useBias", c.useBias()).with("activation", c.activation().kerasName()));
    }
    return Optional.of(SourceForm.torch("ConvTranspose2d").with("in", c.declaredIn()).with("out", c.filters())
        .with("kernel", SourceForm.pair(c.kernelH(), c.kernelW()))
        .with("stride", SourceForm.pair(c.strideH(), c.strideW()))
        .with("padding", SourceForm.pair(c.padding().height(), c.padding().width()))
        .with("outputPadding", SourceForm.pair(c.outputPaddingH(), c.outputPaddingW()))
        .with("dilation", SourceForm.pair(c.dilationH(), c.dilationW())).with("bias", c.useBias()));
  }
}
