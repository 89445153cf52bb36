package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.AdaptivePool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import java.util.Optional;

/** AdaptiveAvgPool2d: {@code aten.adaptive_avg_pool2d} with the output size. */
public final class AdaptivePool2DLowering implements AtenLowering<AdaptivePool2D> {
  @Override
  public Class<AdaptivePool2D> recordType() {
    return AdaptivePool2D.class;
  }

  @Override
  public Optional<String> refused(AdaptivePool2D layer, LoweringContext.Site site) {
    if (layer.kind() == Pool2D.Kind.MAX) {
      // aten.adaptive_max_pool2d returns (values, indices); the writer writes one output per call
      return Optional.of("AdaptiveMaxPool2d is not lowered yet (its ATen op returns indices too)");
    }
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(AdaptivePool2D l, LoweringContext c) {
    return Lowered.torch(c.call("aten.adaptive_avg_pool2d.default", c.sizes(c.outputShape(), Layout.TORCH),
        Arg.tensor("self", c.input(0, Layout.TORCH)), Arg.ints("output_size", l.outH(), l.outW())));
  }
}
