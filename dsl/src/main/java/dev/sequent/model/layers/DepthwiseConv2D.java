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
 * A depthwise 2-D convolution: Keras {@code DepthwiseConv2D(kernel_size, strides, padding,
 * depth_multiplier, dilation_rate, activation, use_bias)}. Each input channel {@code c} is convolved
 * with its own {@code depth_multiplier} filters, giving output channel {@code c * depth_multiplier + m}.
 * PyTorch's exact twin is {@code nn.Conv2d(in, in * mult, k, groups=in)}, whose weight
 * {@code (in*mult, 1, kh, kw)} orders output channels the same way.
 *
 * <p>Input {@code [H,W,C]} (or {@code [C,H,W]} for {@code data_format="channels_first"}); output with
 * {@code C * depth_multiplier} channels and the spatial size of a {@link Conv2D} with the same window.
 * Parameters: Keras {@code depthwise_kernel (kh, kw, C, mult)}, PyTorch {@code weight (C*mult, 1, kh, kw)};
 * {@code bias (C*mult)}.
 */
public record DepthwiseConv2D(
    Framework framework,
    int depthMultiplier,
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    Padding padding,
    int dilationH,
    int dilationW,
    boolean useBias,
    Activation activation,
    DataFormat dataFormat)
    implements LayerSpec {

  public DepthwiseConv2D {
    LayerSpec.positive("depthMultiplier", depthMultiplier, "the depth multiplier");
    LayerSpec.positive("kernelSize", Math.min(kernelH, kernelW), "kernel size");
    LayerSpec.positive("strides", Math.min(strideH, strideW), "stride");
    LayerSpec.positive("dilationRate", Math.min(dilationH, dilationW), "dilation");
    if (padding.mode() == Padding.Mode.EXPLICIT) {
      throw new ShapeException("padding", "DepthwiseConv2D takes padding \"valid\" or \"same\". Received: " + padding);
    }
  }

  @Override
  public String typeName() {
    return DepthwiseConv2DKind.KERAS_CLASS;
  }

  /** The input's channel count. */
  public int inputChannels(Shape input) {
    return input.dim(dataFormat.channelAxis());
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    int c = in.dim(dataFormat.channelAxis());
    int h = in.dim(dataFormat.heightAxis());
    int w = in.dim(dataFormat.heightAxis() + 1);
    int oh = padding.outputLength(h, kernelH, strideH, dilationH, 0, false);
    int ow = padding.outputLength(w, kernelW, strideW, dilationW, 0, false);
    if (oh <= 0 || ow <= 0) {
      throw new ShapeException("kernelSize", "kernel " + ((kernelH - 1) * dilationH + 1) + "x"
          + ((kernelW - 1) * dilationW + 1) + " is larger than the input " + h + "x" + w);
    }
    Shape out = dataFormat.imageShape(c * depthMultiplier, oh, ow);
    activation.checkAxis(out);
    return out;
  }

  /** torchinfo counts the (grouped) weight and the bias once per output pixel, as for any convolution. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    return multAdds(inputs, output,
        (long) output.dim(dataFormat.heightAxis()) * output.dim(dataFormat.heightAxis() + 1));
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int c = LayerSpec.only(inputs, this).dim(dataFormat.channelAxis());
    List<ParamSpec> params = new ArrayList<>(2);
    params.add(new ParamSpec(DepthwiseConv2DKind.KERNEL, "weight", Shape.of(kernelH, kernelW, c, depthMultiplier),
        Shape.of(c * depthMultiplier, 1, kernelH, kernelW), true, ParamSpec.Layout.DEPTHWISE_HWCM_OIHW));
    if (useBias) {
      params.add(ParamSpec.same("bias", "bias", Shape.of(c * depthMultiplier), true));
    }
    return params;
  }
}
