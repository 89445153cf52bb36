package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * The mask Keras attaches to a sequence, as a tensor of its own: {@code (T)}, 1 for a step that
 * counts and 0 for a masked one. Keras computes it beside a layer's output
 * ({@code compute_mask}); Sequent reads it as a node from that layer's input, which the layers that
 * read masks take as their last input. {@link Source#IDS}: {@code Embedding(mask_zero=True)}'s
 * {@code ids != 0}; {@link Source#VALUES}: {@code Masking}'s {@code any(x != mask_value)} over a
 * step's features. No framework has it as a layer: a Keras config written back leaves it out.
 */
public record StepMask(Framework framework, Source source, double maskValue) implements LayerSpec {

  /** What the mask is computed from. */
  public enum Source { IDS, VALUES }

  /** {@code Embedding(mask_zero=True)}'s mask of its ids. */
  public static StepMask ofIds(Framework framework) {
    return new StepMask(framework, Source.IDS, 0);
  }

  /** {@code Masking(mask_value)}'s mask of its input. */
  public static StepMask ofValues(Framework framework, double maskValue) {
    return new StepMask(framework, Source.VALUES, maskValue);
  }

  @Override
  public String typeName() {
    return StepMaskKind.NAME;
  }

  /** The ids' mask reads the ids themselves, so, like the embedding, it must take the model input. */
  @Override
  public boolean readsIntegerIds() {
    return source == Source.IDS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (source == Source.IDS ? in.rank() != 1 : in.rank() != 2) {
      throw new ShapeException("input is " + in + "; the mask of " + (source == Source.IDS ? "ids is of (time) ids"
          : "a sequence is of (time, features) samples"));
    }
    return Shape.of(in.dim(0));
  }
}
