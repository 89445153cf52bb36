package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Keras {@code Masking} ({@code keras/src/layers/core/masking.py}: config {@code mask_value},
 * default 0.0; {@code call} zeroes the masked steps, {@code compute_mask} is
 * {@code any(inputs != mask_value, axis=-1)}). No Java annotation: Sequent follows masks only
 * through the layers of Keras files, so a declared Masking would make no mask for the layers after it.
 */
public final class MaskingKind extends AbstractLayerKind<Masking> {
  public static final String KERAS_CLASS = "Masking";
  /** Keras' default {@code mask_value}. */
  public static final double MASK_VALUE = 0.0;

  public MaskingKind() {
    super(Masking.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Masking m) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public Masking fromKeras(KerasLayerInput c) {
    return new Masking(Framework.KERAS, c.number("mask_value", MASK_VALUE));
  }

  @Override
  public void writeKeras(Masking m, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("mask_value", m.maskValue());
  }

  @Override
  public Optional<LayerSpec> kerasMaskMade(Masking m) {
    return Optional.of(StepMask.ofValues(Framework.KERAS, m.maskValue()));
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no masks (its models pass lengths or pack sequences)");
  }

  @Override
  public Twin kerasTwin(Masking m, TwinContext context) {
    return Twin.of(m);
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Masking(Framework.KERAS, -1.0), Shape.of(5, 3)));
  }
}
