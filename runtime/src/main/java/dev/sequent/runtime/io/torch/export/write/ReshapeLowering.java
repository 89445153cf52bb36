package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Reshape;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;

/**
 * Reshape: {@code aten.reshape(self, [-1, *shape])} in the model's own layout (Keras reshapes its
 * channels-last tensors row-major), the batch axis left to the symbolic size. {@code reshape}, not
 * {@code view}: the input may be a permuted image, which {@code view} refuses.
 */
public final class ReshapeLowering implements AtenLowering<Reshape> {
  @Override
  public Class<Reshape> recordType() {
    return Reshape.class;
  }

  @Override
  public Lowered lower(Reshape l, LoweringContext c) {
    int[] out = c.outputShape().toArray();
    int[] shape = new int[out.length + 1];
    shape[0] = -1;
    System.arraycopy(out, 0, shape, 1, out.length);
    return Lowered.model(c.call("aten.reshape.default", out, Arg.tensor("self", c.input(0, Layout.MODEL)),
        Arg.ints("shape", shape)));
  }
}
