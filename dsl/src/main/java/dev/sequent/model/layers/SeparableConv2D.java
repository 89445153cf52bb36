package dev.sequent.model.layers;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A depthwise-separable 2-D convolution: Keras {@code SeparableConv2D(filters, kernel_size, strides,
 * padding, depth_multiplier, dilation_rate, activation, use_bias)}: the {@link DepthwiseConv2D} with
 * the same window (no bias), then a 1x1 convolution to {@code filters} channels, then the bias and
 * the activation.
 *
 * <p>Input {@code [H,W,C]}; output {@code filters} channels at the depthwise step's spatial size.
 * Parameters: Keras {@code depthwise_kernel (kh, kw, C, mult)}, {@code pointwise_kernel
 * (1, 1, C*mult, filters)}, {@code bias (filters)}; PyTorch has no such module, and its state_dict
 * form is the pair of convolutions {@code nn.Sequential(depthwise=Conv2d(C, C*mult, k, groups=C,
 * bias=False), pointwise=Conv2d(C*mult, filters, 1))}: {@code depthwise.weight (C*mult, 1, kh, kw)},
 * {@code pointwise.weight (filters, C*mult, 1, 1)}, {@code pointwise.bias (filters)}.
 */
public record SeparableConv2D(
    Framework framework,
    int filters,
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

  public SeparableConv2D {
    LayerSpec.positive("filters", filters, "the number of filters");
    // The depthwise step's checks (multiplier, kernel, strides, dilation, padding) are its own.
    depthwise(depthMultiplier, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, dataFormat);
  }

  private static DepthwiseConv2D depthwise(int mult, int kh, int kw, int sh, int sw, Padding padding, int dh,
      int dw, DataFormat format) {
    return new DepthwiseConv2D(Framework.KERAS, mult, kh, kw, sh, sw, padding, dh, dw, false, Activation.LINEAR,
        format);
  }

  /** The depthwise step, without bias or activation. */
  public DepthwiseConv2D depthwise() {
    return depthwise(depthMultiplier, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, dataFormat);
  }

  @Override
  public String typeName() {
    return SeparableConv2DKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape mid = depthwise().outputShape(inputs);
    Shape out = dataFormat.imageShape(filters, mid.dim(dataFormat.heightAxis()), mid.dim(dataFormat.heightAxis() + 1));
    activation.checkAxis(out);
    return out;
  }

  /** Both steps run at the output's resolution: every weight and the bias are applied once per output pixel. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    long positions = (long) output.dim(dataFormat.heightAxis()) * output.dim(dataFormat.heightAxis() + 1);
    return params(inputs).stream().mapToLong(ParamSpec::count).sum() * positions;
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int c = LayerSpec.only(inputs, this).dim(dataFormat.channelAxis());
    int mid = c * depthMultiplier;
    List<ParamSpec> params = new ArrayList<>(3);
    params.add(new ParamSpec(DepthwiseConv2DKind.KERNEL, SeparableConv2DKind.TORCH_DEPTHWISE + ".weight",
        Shape.of(kernelH, kernelW, c, depthMultiplier), Shape.of(mid, 1, kernelH, kernelW), true,
        ParamSpec.Layout.DEPTHWISE_HWCM_OIHW));
    params.add(new ParamSpec(SeparableConv2DKind.POINTWISE_KERNEL, SeparableConv2DKind.TORCH_POINTWISE + ".weight",
        Shape.of(1, 1, mid, filters), Shape.of(filters, mid, 1, 1), true, ParamSpec.Layout.CONV_HWIO_OIHW));
    if (useBias) {
      params.add(ParamSpec.same("bias", SeparableConv2DKind.TORCH_POINTWISE + ".bias", Shape.of(filters), true));
    }
    return params;
  }
}
