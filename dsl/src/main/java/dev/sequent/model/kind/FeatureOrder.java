package dev.sequent.model.kind;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Where the features of a flattened image go. A channels-first image flattens to C,H,W order, a
 * channels-last one to H,W,C; only a layer with a dense kernel ({@link ParamSpec.Layout#DENSE_TRANSPOSED})
 * can absorb the difference, by reordering its input rows, and only through layers that
 * {@linkplain LayerKind#keepsFeatureOrder keep feature order}. The weight mapping and the Keras
 * twin both ask this, in opposite directions.
 */
public final class FeatureOrder {
  private FeatureOrder() {}

  /** Whether the layer's input rows are a dense kernel's (they can be reordered). */
  public static boolean reordersInputRows(InferredModel.Layer layer) {
    return layer.params().stream().anyMatch(p -> p.layout() == ParamSpec.Layout.DENSE_TRANSPOSED);
  }

  /** Every Flatten of an image (a rank-3 input) in the model, in execution order. */
  public static List<InferredModel.Layer> imageFlattens(InferredModel model) {
    return model.nodes().stream()
        .filter(l -> l.spec() instanceof dev.sequent.model.layers.Flatten f && l.inputShapes().get(0).rank() == 3
            && f.joinsAll(l.inputShapes().get(0)))
        .toList();
  }

  /** The Flatten of an image whose output reaches {@code layer} through layers that keep feature order. */
  public static Optional<InferredModel.Layer> flattenFeeding(InferredModel model, InferredModel.Layer layer) {
    InferredModel.Layer at = layer;
    while (true) {
      String input = at.node().inputs().get(0);
      if (model.spec().isInput(input)) {
        return Optional.empty();
      }
      InferredModel.Layer prev = model.layer(input);
      if (prev.spec() instanceof dev.sequent.model.layers.Flatten f) {
        return prev.inputShapes().get(0).rank() == 3 && f.joinsAll(prev.inputShapes().get(0))
            ? Optional.of(prev) : Optional.empty();
      }
      if (!LayerKinds.of(prev.spec()).keepsFeatureOrder()) {
        return Optional.empty();
      }
      at = prev;
    }
  }

  /**
   * Why the features of {@code flatten} (a flattened channels-first image) cannot be given in
   * H,W,C order to what reads them, or empty when only dense kernels read them (through layers that
   * keep feature order) and they are not the model's output.
   */
  public static Optional<String> flattenedFeaturesOnlyReachDense(InferredModel model, InferredModel.Layer flatten) {
    Deque<String> pending = new ArrayDeque<>(List.of(flatten.name()));
    while (!pending.isEmpty()) {
      String at = pending.pop();
      if (model.spec().outputs().contains(at)) {
        return Optional.of("the model outputs the flattened channels-first image, in C,H,W order; the "
            + "channels-last Keras equivalent would output it in H,W,C order");
      }
      for (InferredModel.Layer reader : model.nodes()) {
        if (!reader.node().inputs().contains(at)) {
          continue;
        }
        if (reordersInputRows(reader)) {
          continue;
        }
        if (LayerKinds.of(reader.spec()).keepsFeatureOrder()) {
          pending.push(reader.name());
          continue;
        }
        return Optional.of("the flattened channels-first image (features in C,H,W order) reaches layer "
            + reader.name() + " (" + reader.spec().typeName() + "); only a Dense layer's input rows are "
            + "reordered for the channels-last Keras equivalent (H,W,C)");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a dense kernel reads {@code flatten}'s features (through layers that keep feature
   * order): the weight mapping then reorders its input rows to H,W,C.
   */
  public static boolean reachesReorderedDense(InferredModel model, InferredModel.Layer flatten) {
    return model.nodes().stream().anyMatch(l -> reordersInputRows(l)
        && flattenFeeding(model, l).map(f -> f.name().equals(flatten.name())).orElse(false));
  }
}
