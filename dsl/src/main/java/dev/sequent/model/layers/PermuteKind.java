package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keras {@code Permute(dims)} (Keras 3.15 {@code keras/src/layers/reshaping/permute.py};
 * {@code get_config} writes {@code dims}, 1-based, in both dialects). PyTorch's forward spells it
 * {@code x.permute(0, ...)}, code rather than a module. See {@link Permute}.
 *
 * <p>Twin: itself, except where a channels-first image goes in or comes out (its axes are not the twin's).
 */
public final class PermuteKind extends AbstractLayerKind<Permute> {
  public static final String KERAS_CLASS = "Permute";
  /** The name suffix of a Permute that another layer's Keras twin puts before it ({@code flat_chw}). */
  public static final String TWIN_SUFFIX = "chw";

  public PermuteKind() {
    super(Permute.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Permute layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS,
        v -> new Permute(Framework.KERAS, Arrays.stream(v.ints("dims")).boxed().toList())));
  }

  @Override
  public Permute fromKeras(KerasLayerInput c) {
    return new Permute(Framework.KERAS, Arrays.stream(c.ints("dims")).boxed().toList());
  }

  @Override
  public void writeKeras(Permute layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    layer.dims().forEach(config.putArray("dims")::add);
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("a permutation is x.permute(...) in a PyTorch forward, not a module");
  }

  @Override
  public Twin kerasTwin(Permute layer, TwinContext context) {
    if (context.imageIn() || context.imageOut()) {
      return Twin.none("Permute of a channels-first image names axes that the channels-last twin has elsewhere");
    }
    return Twin.of(new Permute(Framework.KERAS, layer.dims()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Permute(Framework.KERAS, List.of(2, 1)), Shape.of(3, 5)),
        new Example(new Permute(Framework.KERAS, List.of(3, 1, 2)), Shape.of(2, 3, 4)));
  }
}
