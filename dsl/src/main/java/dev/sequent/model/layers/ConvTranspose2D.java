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
 * A 2-D transposed convolution: Keras {@code Conv2DTranspose(filters, kernel_size, strides,
 * padding, output_padding, dilation_rate, activation, use_bias)} on channels-last input, PyTorch
 * {@code ConvTranspose2d(in, out, kernel_size, stride, padding, output_padding, dilation, bias)} on
 * channels-first input.
 *
 * <p>Both frameworks compute the same thing, described once here: every input pixel scatters its
 * kernel into a "full" output of {@code (in - 1) * s + d(k - 1) + 1} positions per axis; the layer's
 * output is the window of that full output starting at {@link #cropBefore} and {@link #outputLength}
 * long (positions past the full output are zero before the bias). The frameworks differ only in how
 * their arguments choose the window, as their sources and fixtures/make_conv_transpose_fixtures.py
 * (which checks this description against both) show:
 * <ul>
 *   <li>PyTorch: crop {@code padding} at the start, length {@code full - 2 padding + output_padding};
 *   <li>Keras "valid": crop 0, length {@code full + (output_padding or max(s - k_eff, 0))};
 *   <li>Keras "same": length {@code in * s} (or {@code (in - 1) * s + k_eff % 2 + output_padding}),
 *       crop {@code max(full - length, 0) / 2}: TensorFlow's gradient of a "same" convolution,
 *       whose odd padding puts the extra row after the data.
 * </ul>
 * Parameters: Keras {@code kernel (kh, kw, out, in)}, PyTorch {@code weight (in, out, kh, kw)}, one
 * permutation apart exactly as a convolution's, so {@link ParamSpec.Layout#CONV_HWIO_OIHW}; {@code bias (out)}.
 *
 * @param padding Keras: {@link Padding#VALID} or {@link Padding#SAME}; PyTorch: explicit (or valid for 0)
 * @param outputPaddingH Keras' {@code output_padding} or PyTorch's; -1 for Keras' {@code None}
 * @param declaredIn input channels the user stated (PyTorch {@code in_channels}), or 0 to infer
 */
public record ConvTranspose2D(
    Framework framework,
    int filters,
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    Padding padding,
    int outputPaddingH,
    int outputPaddingW,
    int dilationH,
    int dilationW,
    boolean useBias,
    Activation activation,
    DataFormat dataFormat,
    int declaredIn)
    implements LayerSpec {

  /** Keras' {@code output_padding=None}. */
  public static final int NO_OUTPUT_PADDING = -1;

  public ConvTranspose2D {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "filters" : "out", filters, "the number of filters");
    LayerSpec.positive(keras ? "kernelSize" : "kernel", Math.min(kernelH, kernelW), "kernel size");
    LayerSpec.positive(keras ? "strides" : "stride", Math.min(strideH, strideW), "stride");
    LayerSpec.positive(keras ? "dilationRate" : "dilation", Math.min(dilationH, dilationW), "dilation");
    if (declaredIn < 0) {
      throw new ShapeException("in", "in_channels must be positive. Received: in=" + declaredIn);
    }
    String op = "outputPadding";
    if ((outputPaddingH == NO_OUTPUT_PADDING) != (outputPaddingW == NO_OUTPUT_PADDING)
        || outputPaddingH < NO_OUTPUT_PADDING || outputPaddingW < NO_OUTPUT_PADDING
        || (!keras && (outputPaddingH < 0 || outputPaddingW < 0))) {
      throw new ShapeException(op, "output_padding must be >= 0 on both axes. Received: output_padding=("
          + outputPaddingH + ", " + outputPaddingW + ")");
    }
    if (keras) {
      if (padding.mode() == Padding.Mode.EXPLICIT) {
        throw new ShapeException("padding", "padding must be \"valid\" or \"same\". Received: padding=" + padding);
      }
      // Keras' own checks (base_conv_transpose.py).
      if (outputPaddingH >= strideH || outputPaddingW >= strideW) {
        throw new ShapeException(op, "output_padding must be strictly less than strides. Received: "
            + "output_padding=(" + outputPaddingH + ", " + outputPaddingW + "), strides=(" + strideH + ", "
            + strideW + ")");
      }
      if (Math.max(strideH, strideW) > 1 && Math.max(dilationH, dilationW) > 1) {
        throw new ShapeException("dilationRate", "strides > 1 not supported in conjunction with dilation_rate > 1."
            + " Received: strides=(" + strideH + ", " + strideW + ") and dilation_rate=(" + dilationH + ", "
            + dilationW + ")");
      }
    } else {
      if (padding.mode() == Padding.Mode.SAME) {
        throw new ShapeException("padding", "ConvTranspose2d takes explicit padding, not \"same\"");
      }
      // PyTorch: "output padding must be smaller than either stride or dilation".
      if (outputPaddingH >= Math.max(strideH, dilationH) || outputPaddingW >= Math.max(strideW, dilationW)) {
        throw new ShapeException(op, "output padding must be smaller than either stride or dilation. Received: "
            + "output_padding=(" + outputPaddingH + ", " + outputPaddingW + "), stride=(" + strideH + ", "
            + strideW + "), dilation=(" + dilationH + ", " + dilationW + ")");
      }
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? ConvTranspose2DKind.KERAS_CLASS : ConvTranspose2DKind.TORCH_CLASS;
  }

  /** The full scatter's length along an axis: {@code (in - 1) * s + d(k - 1) + 1}. */
  public static int fullLength(int in, int k, int stride, int dilation) {
    return (in - 1) * stride + dilation * (k - 1) + 1;
  }

  /** The output length along the height (0) or width (1) axis for an input of length {@code in}. */
  public int outputLength(int axis, int in) {
    int k = axis == 0 ? kernelH : kernelW;
    int s = axis == 0 ? strideH : strideW;
    int d = axis == 0 ? dilationH : dilationW;
    int op = axis == 0 ? outputPaddingH : outputPaddingW;
    int effective = d * (k - 1) + 1;
    int full = fullLength(in, k, s, d);
    if (framework == Framework.TORCH) {
      return full - 2 * (axis == 0 ? padding.height() : padding.width()) + op;
    }
    if (padding.mode() == Padding.Mode.VALID) {
      return full + (op == NO_OUTPUT_PADDING ? Math.max(effective, s) - effective : op);
    }
    return op == NO_OUTPUT_PADDING ? in * s : (in - 1) * s + effective % 2 + op;
  }

  /** Where the output window starts in the full scatter, along an axis. */
  public int cropBefore(int axis, int in) {
    if (framework == Framework.TORCH) {
      return axis == 0 ? padding.height() : padding.width();
    }
    if (padding.mode() == Padding.Mode.VALID) {
      return 0;
    }
    int full = fullLength(in, axis == 0 ? kernelH : kernelW, axis == 0 ? strideH : strideW,
        axis == 0 ? dilationH : dilationW);
    return Math.max(full - outputLength(axis, in), 0) / 2;
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
    int oh = outputLength(0, h);
    int ow = outputLength(1, w);
    if (oh <= 0 || ow <= 0) {
      throw new ShapeException("padding",
          "padding " + padding + " crops the " + fullLength(h, kernelH, strideH, dilationH) + "x"
              + fullLength(w, kernelW, strideW, dilationW) + " transposed output of the " + h + "x" + w
              + " input to nothing (" + oh + "x" + ow + ")");
    }
    Shape out = dataFormat.imageShape(filters, oh, ow);
    activation.checkAxis(out);
    return out;
  }

  /** torchinfo counts a transposed convolution's weight and bias once per output pixel, as a convolution's. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    return multAdds(inputs, output, (long) output.dim(dataFormat.heightAxis()) * output.dim(dataFormat.heightAxis() + 1));
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int c = LayerSpec.only(inputs, this).dim(dataFormat.channelAxis());
    List<ParamSpec> params = new ArrayList<>(2);
    params.add(new ParamSpec("kernel", "weight", Shape.of(kernelH, kernelW, filters, c),
        Shape.of(c, filters, kernelH, kernelW), true, ParamSpec.Layout.CONV_HWIO_OIHW));
    if (useBias) {
      params.add(ParamSpec.same("bias", "bias", Shape.of(filters), true));
    }
    return params;
  }
}
