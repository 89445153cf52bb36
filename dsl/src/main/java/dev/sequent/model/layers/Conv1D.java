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
 * A 1-D convolution over a sequence: Keras {@code Conv1D(filters, kernel_size, strides, padding,
 * dilation_rate, activation, use_bias)} on channels-last input {@code [steps, channels]}, PyTorch
 * {@code Conv1d(in, out, kernel_size, stride, padding, dilation, bias)} on channels-first input
 * {@code [channels, length]}.
 *
 * <p>Output length {@code floor((L + 2p - d(k-1) - 1) / s) + 1} ({@code ceil(L / s)} for "same");
 * Keras {@code "causal"} pads {@code d(k-1)} steps before the data only, so output step {@code t}
 * sees inputs up to {@code t}. Parameters: Keras {@code kernel (k, in, out)}, PyTorch
 * {@code weight (out, in, k)}; {@code bias (out)}. Padding uses the width of {@link Padding}.
 *
 * @param causal Keras {@code padding="causal"} (then {@code padding} is valid)
 * @param declaredIn input channels the user stated (PyTorch {@code in_channels}), or 0 to infer
 */
public record Conv1D(
    Framework framework,
    int filters,
    int kernel,
    int stride,
    Padding padding,
    boolean causal,
    int dilation,
    boolean useBias,
    Activation activation,
    DataFormat dataFormat,
    int declaredIn)
    implements LayerSpec {

  public Conv1D {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "filters" : "out", filters, "the number of filters");
    LayerSpec.positive(keras ? "kernelSize" : "kernel", kernel, "kernel size");
    LayerSpec.positive(keras ? "strides" : "stride", stride, "stride");
    LayerSpec.positive(keras ? "dilationRate" : "dilation", dilation, "dilation");
    if (declaredIn < 0) {
      throw new ShapeException("in", "in_channels must be positive. Received: in=" + declaredIn);
    }
    if (keras && stride > 1 && dilation > 1) {
      // keras/src/layers/convolutional/base_conv.py refuses the combination.
      throw new ShapeException("strides", "strides > 1 is not supported in conjunction with dilation_rate > 1, "
          + "as in Keras. Received: strides=" + stride + " and dilationRate=" + dilation);
    }
    if (causal && padding.mode() != Padding.Mode.VALID) {
      throw new IllegalArgumentException("causal padding is its own mode; padding must be valid with it");
    }
    if (padding.mode() == Padding.Mode.SAME && !keras && stride > 1) {
      throw new ShapeException("padding", "padding=\"same\" is not supported for strided convolutions "
          + "(stride=" + stride + "), as in PyTorch; give explicit padding");
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? Conv1DKind.KERAS_CLASS : Conv1DKind.TORCH_CLASS;
  }

  /** The channel axis of a {@code [steps, channels]} or {@code [channels, length]} sample. */
  public static int channelAxis(DataFormat f) {
    return f == DataFormat.CHANNELS_FIRST ? 0 : 1;
  }

  /** The sequence axis of a {@code [steps, channels]} or {@code [channels, length]} sample. */
  public static int stepAxis(DataFormat f) {
    return f == DataFormat.CHANNELS_FIRST ? 1 : 0;
  }

  /** {@code in} when it is a rank-2 sequence; otherwise the error every 1-D layer gives. */
  public static Shape requireSequence(Shape in, DataFormat f) {
    if (in.rank() != 2) {
      throw new ShapeException("expected a rank-2 sequence " + (f == DataFormat.CHANNELS_FIRST
          ? "[channels, length]" : "[steps, channels]") + " but input is " + in);
    }
    return in;
  }

  public static Shape sequenceShape(DataFormat f, int channels, int steps) {
    return f == DataFormat.CHANNELS_FIRST ? Shape.of(channels, steps) : Shape.of(steps, channels);
  }

  /** The steps of padding before the data that causal padding adds. */
  public int causalPad() {
    return causal ? dilation * (kernel - 1) : 0;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = requireSequence(LayerSpec.only(inputs, this), dataFormat);
    int c = in.dim(channelAxis(dataFormat));
    int l = in.dim(stepAxis(dataFormat));
    if (declaredIn > 0 && c != declaredIn) {
      throw new ShapeException("in", "input has " + c + " channels, expected " + declaredIn);
    }
    int ol = padding.outputLength(l + causalPad(), kernel, stride, dilation, padding.width(), false);
    if (ol <= 0) {
      int effective = dilation * (kernel - 1) + 1;
      throw new ShapeException(framework == Framework.KERAS ? "kernelSize" : "kernel",
          "kernel " + effective + (effective != kernel ? " (dilated)" : "") + " is longer than the "
              + (padding.mode() == Padding.Mode.EXPLICIT ? "padded " : "") + "input length "
              + (l + 2 * padding.width()));
    }
    Shape out = sequenceShape(dataFormat, filters, ol);
    activation.checkAxis(out);
    return out;
  }

  /** torchinfo counts a convolution's weight and bias once per output step. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    return multAdds(inputs, output, output.dim(stepAxis(dataFormat)));
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int c = LayerSpec.only(inputs, this).dim(channelAxis(dataFormat));
    List<ParamSpec> params = new ArrayList<>(2);
    params.add(new ParamSpec("kernel", "weight", Shape.of(kernel, c, filters), Shape.of(filters, c, kernel), true,
        ParamSpec.Layout.CONV_HWIO_OIHW));
    if (useBias) {
      params.add(ParamSpec.same("bias", "bias", Shape.of(filters), true));
    }
    return params;
  }
}
