package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;

/**
 * What the 2-D convolutions and pools share: {@code aten.conv2d} on a channels-first image, and the
 * explicit pads of a window's padding. Keras' "same" pads {@code total / 2} before and the rest
 * after, which ATen's symmetric {@code padding} argument cannot say when the total is odd: the
 * image is then padded first ({@code aten.constant_pad_nd}) and the window runs "valid".
 */
final class ConvLowering {
  private ConvLowering() {}

  /** Pads {@code [top, bottom, left, right]} of a window on an image of model-layout shape {@code in}. */
  static int[] pads(Shape in, DataFormat format, Padding padding, int kh, int kw, int sh, int sw, int dh, int dw) {
    int h = in.dim(format.heightAxis());
    int w = in.dim(format.heightAxis() + 1);
    return new int[] {
        padding.before(h, kh, sh, dh, padding.height()), padding.after(h, kh, sh, dh, padding.height()),
        padding.before(w, kw, sw, dw, padding.width()), padding.after(w, kw, sw, dw, padding.width())};
  }

  static boolean symmetric(int[] pads) {
    return pads[0] == pads[1] && pads[2] == pads[3];
  }

  /** {@code x} (channels-first) padded with {@code value} by {@code pads} [top, bottom, left, right]. */
  static Tensor pad(LoweringContext c, Tensor x, int[] pads, double value) {
    int[] s = x.sizes();
    return c.call("aten.constant_pad_nd.default", new int[] {s[0], s[1] + pads[0] + pads[1], s[2] + pads[2] + pads[3]},
        Arg.tensor("self", x), Arg.ints("pad", pads[2], pads[3], pads[0], pads[1]), Arg.number("value", value));
  }

  /** {@code aten.conv2d} of the layer's input with its weight and bias. */
  static Tensor conv2d(LoweringContext c, DataFormat format, Padding padding, int kh, int kw, int sh, int sw, int dh,
      int dw, int groups) {
    Tensor x = c.input(0, Layout.TORCH);
    int[] pads = pads(c.inputShape(0), format, padding, kh, kw, sh, sw, dh, dw);
    if (!symmetric(pads)) {
      x = pad(c, x, pads, 0);
      pads = new int[4];
    }
    return c.call("aten.conv2d.default", c.sizes(c.outputShape(), Layout.TORCH), Arg.tensor("input", x),
        Arg.tensor("weight", c.param("weight")), Arg.optionalTensor("bias", c.optionalParam("bias").orElse(null)),
        Arg.ints("stride", sh, sw), Arg.ints("padding", pads[0], pads[2]), Arg.ints("dilation", dh, dw),
        Arg.integer("groups", groups));
  }
}
