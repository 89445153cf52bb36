package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.Rescaling;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.Optional;

/** Rescaling: {@code x * scale + offset} as {@code aten.mul.Scalar} then {@code aten.add.Scalar}, element-wise. */
public final class RescalingLowering implements AtenLowering<Rescaling> {
  @Override
  public Class<Rescaling> recordType() {
    return Rescaling.class;
  }

  @Override
  public Optional<String> refused(Rescaling l, LoweringContext.Site site) {
    return l.scale().size() == 1 && l.offset().size() <= 1 ? Optional.empty()
        : Optional.of("a per-channel scale or offset would be a constant tensor, which Sequent does not write yet");
  }

  @Override
  public Lowered lower(Rescaling l, LoweringContext c) {
    Layout layout = c.firstInputLayout();
    Tensor x = c.input(0, layout);
    Tensor y = c.call("aten.mul.Scalar", x.sizes(), Arg.tensor("self", x), Arg.number("other", l.scale().get(0)));
    double offset = l.offset().isEmpty() ? 0 : l.offset().get(0);
    if (offset != 0) {
      y = c.call("aten.add.Scalar", x.sizes(), Arg.tensor("self", y), Arg.number("other", offset));
    }
    return new Lowered(y, layout);
  }
}
