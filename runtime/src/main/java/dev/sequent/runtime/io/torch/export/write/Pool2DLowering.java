package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.Padding;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.Optional;

/**
 * MaxPooling2D / AveragePooling2D / MaxPool2d / AvgPool2d: {@code aten.max_pool2d} and
 * {@code aten.avg_pool2d} on the channels-first image. Keras' "same" padding, when it pads as much
 * on both sides, is ATen's {@code padding} (max pools pad with -inf; Keras' averages leave the
 * padded cells out, {@code count_include_pad=False}). When it pads one more after, a max pool runs
 * "valid" on the image padded with the lowest float (every window holds an input cell, so the
 * padding never wins), and an average pool divides the zero-padded sums by the number of input
 * cells in each window (the same pool of a padded tensor of ones), which is what Keras averages.
 */
public final class Pool2DLowering implements AtenLowering<Pool2D> {
  @Override
  public Class<Pool2D> recordType() {
    return Pool2D.class;
  }

  @Override
  public Optional<String> refused(Pool2D layer, LoweringContext.Site site) {
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(Pool2D l, LoweringContext c) {
    Tensor x = c.input(0, Layout.TORCH);
    int[] pads = ConvLowering.pads(c.inputShape(0), l.dataFormat(), l.padding(), l.poolH(), l.poolW(), l.strideH(),
        l.strideW(), 1, 1);
    int[] out = c.sizes(c.outputShape(), Layout.TORCH);
    boolean max = l.kind() == Pool2D.Kind.MAX;
    if (ConvLowering.symmetric(pads)) {
      boolean includePad = l.padding().mode() == Padding.Mode.EXPLICIT && l.countIncludePad();
      return Lowered.torch(pool(c, max, x, l, new int[] {pads[0], pads[2]}, includePad, out));
    }
    if (max) {
      return Lowered.torch(pool(c, true, ConvLowering.pad(c, x, pads, -Float.MAX_VALUE), l, new int[2], false, out));
    }
    Tensor sums = pool(c, false, ConvLowering.pad(c, x, pads, 0), l, new int[2], true, out);
    Tensor ones = c.call("aten.ones_like.default", x.sizes(), Arg.tensor("self", x));
    Tensor counts = pool(c, false, ConvLowering.pad(c, ones, pads, 0), l, new int[2], true, out);
    return Lowered.torch(c.call("aten.div.Tensor", out, Arg.tensor("self", sums), Arg.tensor("other", counts)));
  }

  private static Tensor pool(LoweringContext c, boolean max, Tensor x, Pool2D l, int[] padding, boolean includePad,
      int[] out) {
    Arg self = Arg.tensor("self", x);
    Arg kernel = Arg.ints("kernel_size", l.poolH(), l.poolW());
    Arg stride = Arg.ints("stride", l.strideH(), l.strideW());
    Arg pad = Arg.ints("padding", padding);
    if (max) {
      return c.call("aten.max_pool2d.default", out, self, kernel, stride, pad, Arg.ints("dilation", 1, 1),
          Arg.bool("ceil_mode", l.ceilMode()));
    }
    return c.call("aten.avg_pool2d.default", out, self, kernel, stride, pad, Arg.bool("ceil_mode", l.ceilMode()),
        Arg.bool("count_include_pad", includePad));
  }
}
