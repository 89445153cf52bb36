package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Conv2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import java.util.Optional;

/** Conv2D / Conv2d, grouped or not: {@code aten.conv2d} with explicit pads ({@link ConvLowering}). */
public final class Conv2DLowering implements AtenLowering<Conv2D> {
  @Override
  public Class<Conv2D> recordType() {
    return Conv2D.class;
  }

  @Override
  public Optional<String> refused(Conv2D layer, LoweringContext.Site site) {
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(Conv2D l, LoweringContext c) {
    return Lowered.torch(ConvLowering.conv2d(c, l.dataFormat(), l.padding(), l.kernelH(), l.kernelW(), l.strideH(),
        l.strideW(), l.dilationH(), l.dilationW(), l.groups()));
  }
}
