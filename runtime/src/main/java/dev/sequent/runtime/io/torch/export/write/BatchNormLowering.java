package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.kind.EpsilonFold;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;

/**
 * BatchNormalization / BatchNorm1d / BatchNorm2d, inference form: {@code aten.batch_norm(training=
 * False)} with the twin's running statistics. The twin's state_dict holds the variance with this
 * layer's epsilon folded in for PyTorch's default ({@link EpsilonFold}), so the call takes that
 * default. ATen normalises axis 1: a channels-last image is normalised channels-first; a feature
 * axis elsewhere (a Keras BatchNormalization on the features of a sequence) is moved to axis 1 and
 * back.
 */
public final class BatchNormLowering implements AtenLowering<BatchNorm> {
  @Override
  public Class<BatchNorm> recordType() {
    return BatchNorm.class;
  }

  @Override
  public Lowered lower(BatchNorm l, LoweringContext c) {
    double eps = LayerKinds.of(l).epsilonFold(l).map(f -> f.torchDefault()).orElse(l.epsilon());
    int rank = c.inputShape(0).rank();
    int axis = l.featureAxis() < 0 ? l.featureAxis() + rank : l.featureAxis();
    boolean image = c.site().isTransposedImage(c.inputShape(0));
    Layout layout = image ? Layout.TORCH : Layout.MODEL;
    Tensor x = c.input(0, layout);
    int[] moveTo1 = null;
    if (!(image ? axis == 2 : axis == 0)) {
      if (image) {
        x = c.input(0, Layout.MODEL);
        layout = Layout.MODEL;
      }
      moveTo1 = new int[rank + 1];
      moveTo1[0] = 0;
      moveTo1[1] = axis + 1;
      for (int i = 1, j = 2; i <= rank; i++) {
        if (i != axis + 1) {
          moveTo1[j++] = i;
        }
      }
      x = c.permute(x, moveTo1);
    }
    Tensor y = c.call("aten.batch_norm.default", x.sizes(), Arg.tensor("input", x),
        Arg.optionalTensor("weight", c.optionalParam("weight").orElse(null)),
        Arg.optionalTensor("bias", c.optionalParam("bias").orElse(null)),
        Arg.tensor("running_mean", c.param("running_mean")), Arg.tensor("running_var", c.param("running_var")),
        Arg.bool("training", false), Arg.number("momentum", l.momentum()), Arg.number("eps", eps),
        Arg.bool("cudnn_enabled", false));
    if (moveTo1 != null) {
      int[] back = new int[moveTo1.length];
      for (int i = 0; i < moveTo1.length; i++) {
        back[moveTo1[i]] = i;
      }
      y = c.permute(y, back);
    }
    return new Lowered(y, layout);
  }
}
