package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Dense;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;

/**
 * Dense / Linear: {@code aten.linear(input, weight, bias)} on the last axis of the model's own
 * layout (a Dense on a channels-last image acts on its channels). After a Flatten of an image the
 * twin's weight rows are in the order that Flatten gives in the program ({@link FlattenLowering}).
 */
public final class DenseLowering implements AtenLowering<Dense> {
  @Override
  public Class<Dense> recordType() {
    return Dense.class;
  }

  @Override
  public Lowered lower(Dense layer, LoweringContext c) {
    Tensor x = c.input(0, Layout.MODEL);
    return Lowered.model(c.call("aten.linear.default", c.sizes(c.outputShape(), Layout.MODEL),
        Arg.tensor("input", x), Arg.tensor("weight", c.param("weight")),
        Arg.optionalTensor("bias", c.optionalParam("bias").orElse(null))));
  }
}
