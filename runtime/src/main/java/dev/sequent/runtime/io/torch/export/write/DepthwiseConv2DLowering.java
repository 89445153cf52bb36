package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.DepthwiseConv2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import java.util.Optional;

/**
 * DepthwiseConv2D: its PyTorch twin {@code Conv2d(C, C * multiplier, groups=C)}, as
 * {@code aten.conv2d} with {@code groups} the input's channels.
 */
public final class DepthwiseConv2DLowering implements AtenLowering<DepthwiseConv2D> {
  @Override
  public Class<DepthwiseConv2D> recordType() {
    return DepthwiseConv2D.class;
  }

  @Override
  public Optional<String> refused(DepthwiseConv2D layer, LoweringContext.Site site) {
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(DepthwiseConv2D l, LoweringContext c) {
    return Lowered.torch(ConvLowering.conv2d(c, l.dataFormat(), l.padding(), l.kernelH(), l.kernelW(), l.strideH(),
        l.strideW(), l.dilationH(), l.dilationW(), l.inputChannels(c.inputShape(0))));
  }
}
