package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.Optional;

/**
 * GlobalAveragePooling2D / GlobalMaxPooling2D: {@code aten.mean.dim} / {@code aten.amax} over the
 * spatial axes 2 and 3 of the channels-first image, keeping them (size 1) when the layer does.
 */
public final class GlobalPool2DLowering implements AtenLowering<GlobalPool2D> {
  @Override
  public Class<GlobalPool2D> recordType() {
    return GlobalPool2D.class;
  }

  @Override
  public Optional<String> refused(GlobalPool2D layer, LoweringContext.Site site) {
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(GlobalPool2D l, LoweringContext c) {
    Tensor x = c.input(0, Layout.TORCH);
    int[] out = c.sizes(c.outputShape(), Layout.TORCH);
    Arg dims = Arg.ints("dim", 2, 3);
    Arg keep = Arg.bool("keepdim", l.keepDims());
    return Lowered.torch(l.kind() == Pool2D.Kind.AVG
        ? c.call("aten.mean.dim", out, Arg.tensor("self", x), dims, keep)
        : c.call("aten.amax.default", out, Arg.tensor("self", x), dims, keep));
  }
}
