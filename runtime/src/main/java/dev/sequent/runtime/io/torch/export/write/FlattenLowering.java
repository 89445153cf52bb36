package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.InferredModel;
import dev.sequent.model.kind.FeatureOrder;
import dev.sequent.model.layers.Flatten;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Layout;
import dev.sequent.runtime.io.torch.export.write.LoweringContext.Lowered;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import java.util.Optional;

/**
 * Flatten: {@code aten.flatten.using_ints(start_dim, end_dim)}. A Flatten of a channels-last image
 * gives Keras' H,W,C order when the image is permuted back first; but where it feeds a Dense
 * (through layers that keep feature order), the twin's state_dict already holds that Dense's input
 * rows reordered for PyTorch's C,H,W order ({@link FeatureOrder}), so the channels-first image is
 * flattened as it is, as the PyTorch twin does. Such a Flatten whose features also reach something
 * else (the model's output, a Concatenate) would need both orders and is refused.
 */
public final class FlattenLowering implements AtenLowering<Flatten> {
  @Override
  public Class<Flatten> recordType() {
    return Flatten.class;
  }

  @Override
  public Optional<String> refused(Flatten layer, LoweringContext.Site site) {
    if (twinOrder(site)) {
      return FeatureOrder.flattenedFeaturesOnlyReachDense(site.model(), site.layer());
    }
    return Optional.empty();
  }

  /** Whether the flatten is of a transposed image whose features a reordered Dense reads. */
  private static boolean twinOrder(LoweringContext.Site site) {
    InferredModel.Layer layer = site.layer();
    return site.isTransposedImage(layer.inputShapes().get(0)) && FeatureOrder.reachesReorderedDense(site.model(), layer);
  }

  @Override
  public Lowered lower(Flatten l, LoweringContext c) {
    Layout layout = twinOrder(c.site()) ? Layout.TORCH : Layout.MODEL;
    return Lowered.model(c.call("aten.flatten.using_ints", c.sizes(c.outputShape(), Layout.MODEL),
        Arg.tensor("self", c.input(0, layout)), Arg.integer("start_dim", l.startDim()),
        Arg.integer("end_dim", l.endDim())));
  }
}
