package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Dropout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;

/** Dropout: the identity in inference, so no call at all (as torch.export leaves none in eval mode). */
public final class DropoutLowering implements AtenLowering<Dropout> {
  @Override
  public Class<Dropout> recordType() {
    return Dropout.class;
  }

  @Override
  public Lowered lower(Dropout l, LoweringContext c) {
    LoweringContext.Layout layout = c.firstInputLayout();
    return new Lowered(c.input(0, layout), layout);
  }
}
