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
import java.util.List;
import java.util.Optional;

/**
 * {@link StepMask}: the mask Keras keeps beside a tensor, made a node by the Keras config reader
 * from {@code Embedding(mask_zero=True)} and {@code Masking}. It has no class in either framework.
 */
public final class StepMaskKind extends AbstractLayerKind<StepMask> {
  /** Its name in summaries. */
  public static final String NAME = "StepMask";

  public StepMaskKind() {
    super(StepMask.class, List.of(), List.of());
  }

  @Override
  public String kerasClass(StepMask m) {
    return NAME;
  }

  @Override
  public String torchClass(StepMask m) {
    return NAME;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public StepMask fromKeras(KerasLayerInput c) {
    throw c.unsupported("a step mask is no Keras layer");
  }

  @Override
  public Optional<String> kerasUnsupported(StepMask m) {
    return Optional.of("the mask Keras computes beside " + (m.source() == StepMask.Source.IDS
        ? "Embedding(mask_zero=True)" : "Masking") + " is no layer of a Keras config; Sequent does not write "
        + "masked models to Keras configs yet");
  }

  @Override
  public void writeKeras(StepMask m, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    throw new IllegalStateException(kerasUnsupported(m).orElseThrow());
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras keeps a mask beside a tensor (compute_mask), not as a layer");
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no masks (its models pass lengths or pack sequences)");
  }

  @Override
  public Twin kerasTwin(StepMask m, TwinContext context) {
    return Twin.of(m);
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(StepMask.ofValues(Framework.KERAS, 0), Shape.of(5, 3)));
  }
}
