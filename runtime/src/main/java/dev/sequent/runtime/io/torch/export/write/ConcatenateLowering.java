package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Concatenate;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;

/**
 * Concatenate / torch.cat: {@code aten.cat(tensors, dim)}. Transposed images are joined
 * channels-first, the model's axis moved with them ({@code (H, W, C)} axis {@code a} is
 * {@code (C, H, W)} axis {@code (a + 1) % 3}), so that a channel concatenation adds no permute.
 */
public final class ConcatenateLowering implements AtenLowering<Concatenate> {
  @Override
  public Class<Concatenate> recordType() {
    return Concatenate.class;
  }

  @Override
  public Lowered lower(Concatenate l, LoweringContext c) {
    int rank = c.inputShape(0).rank();
    int axis = l.sampleAxis(rank);
    boolean images = c.site().isTransposedImage(c.outputShape());
    Layout layout = images ? Layout.TORCH : Layout.MODEL;
    int dim = 1 + (images ? (axis + 1) % 3 : axis);
    return new Lowered(c.call("aten.cat.default", c.sizes(c.outputShape(), layout),
        Arg.tensors("tensors", c.inputs(layout)), Arg.integer("dim", dim)), layout);
  }
}
