package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Keras {@code RepeatVector} ({@code keras/src/layers/reshaping/repeat_vector.py}, config {@code n}).
 * PyTorch has no module for it (models write {@code x.unsqueeze(1).repeat(1, n, 1)} in forward).
 */
public final class RepeatVectorKind extends AbstractLayerKind<RepeatVector> {
  public static final String KERAS_CLASS = "RepeatVector";

  public RepeatVectorKind() {
    super(RepeatVector.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String kerasClass(RepeatVector r) {
    return KERAS_CLASS;
  }

  /** No torch.nn module computes it; summaries show the Keras class. */
  @Override
  public String torchClass(RepeatVector r) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS,
        v -> new RepeatVector(Framework.KERAS, v.integer("value"))));
  }

  @Override
  public RepeatVector fromKeras(KerasLayerInput c) {
    return new RepeatVector(Framework.KERAS, c.integer("n"));
  }

  @Override
  public void writeKeras(RepeatVector r, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("n", r.n());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no module that repeats a vector: its models repeat in forward");
  }

  @Override
  public Twin kerasTwin(RepeatVector r, TwinContext context) {
    return Twin.of(r);
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new RepeatVector(Framework.KERAS, 3), Shape.of(4)));
  }
  @Override
  public Optional<SourceForm> sourceForm(RepeatVector r) {
    return Optional.of(SourceForm.keras(KERAS_CLASS).with("value", r.n()));
  }
}
