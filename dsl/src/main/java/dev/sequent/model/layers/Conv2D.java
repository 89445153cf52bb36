package dev.sequent.model.layers;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2-D convolution: Keras {@code Conv2D(filters, kernel_size, strides, padding, dilation_rate,
 * activation, use_bias)} on channels-last input, PyTorch {@code Conv2d(in, out, kernel_size, stride,
 * padding, dilation, bias)} on channels-first input.
 *
 * <p>Input {@code [C,H,W]} or {@code [H,W,C]}; output with {@code filters} channels and
 * {@code floor((H + 2p - d(k-1) - 1) / s) + 1} rows ({@code ceil(H / s)} for "same").
 * Parameters: Keras {@code kernel (kh, kw, in/groups, out)}, PyTorch {@code weight (out, in/groups, kh, kw)};
 * {@code bias (out)}.
 *
 * <p>With {@code groups = g} (both frameworks' name) the input channels are split into {@code g} groups
 * of {@code in/g} and output channel {@code o} sees only group {@code o / (out/g)}, so {@code g} must
 * divide both channel counts (Keras {@code base_conv.py}, PyTorch {@code _ConvNd} refuse the rest).
 *
 * @param declaredIn input channels the user stated (PyTorch {@code in_channels}), or 0 to infer
 * @param groups the number of channel groups; 1 for an ordinary convolution
 */
public record Conv2D(
    Framework framework,
    int filters,
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    Padding padding,
    int dilationH,
    int dilationW,
    boolean useBias,
    Activation activation,
    DataFormat dataFormat,
    int declaredIn,
    int groups)
    implements LayerSpec {

  /** An ungrouped convolution ({@code groups = 1}). */
  public Conv2D(Framework framework, int filters, int kernelH, int kernelW, int strideH, int strideW,
      Padding padding, int dilationH, int dilationW, boolean useBias, Activation activation, DataFormat dataFormat,
      int declaredIn) {
    this(framework, filters, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, useBias, activation,
        dataFormat, declaredIn, 1);
  }

  public Conv2D {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "filters" : "out", filters, "the number of filters");
    LayerSpec.positive(keras ? "kernelSize" : "kernel", Math.min(kernelH, kernelW), "kernel size");
    LayerSpec.positive(keras ? "strides" : "stride", Math.min(strideH, strideW), "stride");
    LayerSpec.positive(keras ? "dilationRate" : "dilation", Math.min(dilationH, dilationW), "dilation");
    if (declaredIn < 0) {
      throw new ShapeException("in", "in_channels must be positive. Received: in=" + declaredIn);
    }
    LayerSpec.positive("groups", groups, "the number of groups");
    if (filters % groups != 0) {
      throw new ShapeException("groups", (keras ? "filters" : "out_channels") + " must be divisible by groups. "
          + "Received: groups=" + groups + ", " + (keras ? "filters" : "out") + "=" + filters);
    }
    if (declaredIn > 0 && declaredIn % groups != 0) {
      throw new ShapeException("groups", "in_channels must be divisible by groups. Received: groups=" + groups
          + ", in=" + declaredIn);
    }
    if (padding.mode() == Padding.Mode.SAME && !keras && (strideH > 1 || strideW > 1)) {
      // PyTorch refuses padding='same' with strides: "not supported for strided convolutions".
      throw new ShapeException("padding", "padding=\"same\" is not supported for strided convolutions "
          + "(stride=(" + strideH + ", " + strideW + ")), as in PyTorch; give explicit padding");
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? Conv2DKind.KERAS_CLASS : Conv2DKind.TORCH_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    int c = in.dim(dataFormat.channelAxis());
    int h = in.dim(dataFormat.heightAxis());
    int w = in.dim(dataFormat.heightAxis() + 1);
    if (declaredIn > 0 && c != declaredIn) {
      throw new ShapeException("in", "input has " + c + " channels, expected " + declaredIn);
    }
    if (c % groups != 0) {
      throw new ShapeException("groups", "the input's " + c + " channels must be divisible by groups. "
          + "Received: groups=" + groups + ", input channels=" + c);
    }
    int oh = padding.outputLength(h, kernelH, strideH, dilationH, padding.height(), false);
    int ow = padding.outputLength(w, kernelW, strideW, dilationW, padding.width(), false);
    if (oh <= 0 || ow <= 0) {
      int eh = dilationH * (kernelH - 1) + 1;
      int ew = dilationW * (kernelW - 1) + 1;
      throw new ShapeException(framework == Framework.KERAS ? "kernelSize" : "kernel",
          "kernel " + eh + "x" + ew + (eh != kernelH || ew != kernelW ? " (dilated)" : "")
              + " is larger than the " + (padding.mode() == Padding.Mode.EXPLICIT ? "padded " : "")
              + "input " + (h + 2 * padding.height()) + "x" + (w + 2 * padding.width()));
    }
    Shape out = dataFormat.imageShape(filters, oh, ow);
    activation.checkAxis(out);
    return out;
  }

  /** torchinfo counts a convolution's weight and bias once per output pixel. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    return multAdds(inputs, output, (long) output.dim(dataFormat.heightAxis()) * output.dim(dataFormat.heightAxis() + 1));
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int c = LayerSpec.only(inputs, this).dim(dataFormat.channelAxis());
    List<ParamSpec> params = new ArrayList<>(2);
    params.add(new ParamSpec("kernel", "weight", Shape.of(kernelH, kernelW, c / groups, filters),
        Shape.of(filters, c / groups, kernelH, kernelW), true, ParamSpec.Layout.CONV_HWIO_OIHW));
    if (useBias) {
      params.add(ParamSpec.same("bias", "bias", Shape.of(filters), true));
    }
    return params;
  }
}
