package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Permute;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;

/** Permute: {@code aten.permute(self, [0, *dims])} in the model's own layout (Keras' dims are 1-based). */
public final class PermuteLowering implements AtenLowering<Permute> {
  @Override
  public Class<Permute> recordType() {
    return Permute.class;
  }

  @Override
  public Lowered lower(Permute l, LoweringContext c) {
    int[] dims = new int[l.dims().size() + 1];
    for (int i = 0; i < l.dims().size(); i++) {
      dims[i + 1] = l.dims().get(i);
    }
    return Lowered.model(c.permute(c.input(0, Layout.MODEL), dims));
  }
}
