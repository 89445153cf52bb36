package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.List;

/**
 * Add / Subtract / Multiply / Average / Maximum / Minimum: a chain of {@code aten.add.Tensor},
 * {@code sub}, {@code mul}, {@code maximum}, {@code minimum} from the left (as Keras folds its
 * inputs), an average divided by the count ({@code aten.div.Scalar}). Inputs of one shape are
 * taken in the layout the first is in (a residual add of channels-first images adds no permute);
 * inputs of several shapes (a broadcast) in the model's.
 */
public final class ElementwiseMergeLowering implements AtenLowering<ElementwiseMerge> {
  @Override
  public Class<ElementwiseMerge> recordType() {
    return ElementwiseMerge.class;
  }

  @Override
  public Lowered lower(ElementwiseMerge l, LoweringContext c) {
    boolean same = c.layer().inputShapes().stream().allMatch(s -> s.equals(c.inputShape(0)));
    Layout layout = same ? c.firstInputLayout() : Layout.MODEL;
    List<Tensor> xs = c.inputs(layout);
    int[] out = c.sizes(c.outputShape(), layout);
    String op = switch (l.operator()) {
      case ADD, AVERAGE -> "aten.add.Tensor";
      case SUBTRACT -> "aten.sub.Tensor";
      case MULTIPLY -> "aten.mul.Tensor";
      case MAXIMUM -> "aten.maximum.default";
      case MINIMUM -> "aten.minimum.default";
    };
    Tensor acc = xs.get(0);
    for (int i = 1; i < xs.size(); i++) {
      acc = c.call(op, out, Arg.tensor("self", acc), Arg.tensor("other", xs.get(i)));
    }
    if (l.operator() == dev.sequent.model.layers.MergeOperator.AVERAGE) {
      acc = c.call("aten.div.Scalar", out, Arg.tensor("self", acc), Arg.number("other", xs.size()));
    }
    return new Lowered(acc, layout);
  }
}
