package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.LayerNorm;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;

/**
 * LayerNormalization / LayerNorm: {@code aten.layer_norm(input, normalized_shape, weight, bias, eps)}
 * over the last axes of the model's own layout.
 */
public final class LayerNormLowering implements AtenLowering<LayerNorm> {
  @Override
  public Class<LayerNorm> recordType() {
    return LayerNorm.class;
  }

  @Override
  public Lowered lower(LayerNorm l, LoweringContext c) {
    int[] normalized = l.normalizedShape(c.inputShape(0)).toArray();
    return Lowered.model(c.call("aten.layer_norm.default", c.inputShape(0).toArray(),
        Arg.tensor("input", c.input(0, Layout.MODEL)), Arg.ints("normalized_shape", normalized),
        Arg.optionalTensor("weight", c.optionalParam("weight").orElse(null)),
        Arg.optionalTensor("bias", c.optionalParam("bias").orElse(null)), Arg.number("eps", l.epsilon()),
        Arg.bool("cudnn_enable", false)));
  }
}
