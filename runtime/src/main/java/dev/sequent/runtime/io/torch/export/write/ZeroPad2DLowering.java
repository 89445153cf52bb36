package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.ZeroPad2D;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import java.util.Optional;

/** ZeroPadding2D / ZeroPad2d: {@code aten.constant_pad_nd} with 0 on the channels-first image. */
public final class ZeroPad2DLowering implements AtenLowering<ZeroPad2D> {
  @Override
  public Class<ZeroPad2D> recordType() {
    return ZeroPad2D.class;
  }

  @Override
  public Optional<String> refused(ZeroPad2D layer, LoweringContext.Site site) {
    return site.formatRefused(layer.dataFormat());
  }

  @Override
  public Lowered lower(ZeroPad2D l, LoweringContext c) {
    return Lowered.torch(ConvLowering.pad(c, c.input(0, Layout.TORCH),
        new int[] {l.top(), l.bottom(), l.left(), l.right()}, 0));
  }
}
