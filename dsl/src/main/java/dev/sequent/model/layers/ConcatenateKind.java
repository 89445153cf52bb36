package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Concatenation: Keras {@code Concatenate(axis=-1)} (Keras 3.15 {@code
 * keras/src/layers/merging/concatenate.py}; {@code get_config} adds {@code axis} as given, in both
 * dialects), PyTorch {@code torch.cat(tensors, dim=0)}, a function in a {@code forward} rather than
 * a module, so no module is read and torchinfo lists no row for it. See {@link Concatenate}.
 *
 * <p>DSL: Keras {@code @Concatenate(from = ..., axis = -1)}, PyTorch {@code @Cat(from = ...,
 * dim = 1)} (the channel axis of {@code (N,C,H,W)}; {@code torch.cat}'s own default 0 is the batch
 * axis, which a model of samples cannot join).
 *
 * <p>Twin: the axis of the transposed images: a channels-first {@code dim=1} over images becomes
 * Keras {@code axis=-1}, height {@code dim=2} becomes {@code axis=1}; over tensors that are not
 * images, the same axis. Written as {@code -1} when it is the last axis, as Keras' default.
 */
public final class ConcatenateKind extends AbstractLayerKind<Concatenate> {
  public static final String KERAS_CLASS = "Concatenate";
  /** The PyTorch-vocabulary spelling, after {@code torch.cat}. */
  public static final String TORCH_NAME = "Cat";
  /** Keras' {@code Concatenate(axis=-1)} default. */
  public static final int KERAS_AXIS = -1;
  /** The annotation's default {@code dim}: channels of {@code (N,C,H,W)}. */
  public static final int TORCH_DIM = 1;

  public ConcatenateKind() {
    super(Concatenate.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Concatenate layer) {
    return TORCH_NAME;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS,
            v -> new Concatenate(Framework.KERAS, v.integer("axis"), ((String[]) v.get("from")).length)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_NAME,
            v -> new Concatenate(Framework.TORCH, v.integer("dim"), ((String[]) v.get("from")).length)));
  }

  @Override
  public Concatenate fromKeras(KerasLayerInput c) {
    return new Concatenate(Framework.KERAS, c.integer("axis", KERAS_AXIS), c.inputCount());
  }

  @Override
  public void writeKeras(Concatenate layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    config.put("axis", layer.axis());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("torch.cat is a function called in a PyTorch forward, not a module");
  }

  @Override
  public Twin kerasTwin(Concatenate layer, TwinContext context) {
    if (layer.framework() == Framework.KERAS && !context.imageIn()) {
      return Twin.of(layer);
    }
    Shape in = context.input();
    int at = layer.sampleAxis(in.rank());
    if (context.imageIn()) {
      at = TwinContext.twinAxis(at);
    }
    int axis = at == in.rank() - 1 ? -1 : at + 1;
    return Twin.of(new Concatenate(Framework.KERAS, axis, layer.arity()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Concatenate(Framework.KERAS, -1, 2), Shape.of(4, 4, 3)),
        new Example(new Concatenate(Framework.KERAS, 1, 3), Shape.of(2, 5)),
        new Example(new Concatenate(Framework.TORCH, 1, 2), Shape.of(3, 4, 4)),
        new Example(new Concatenate(Framework.TORCH, -1, 2), Shape.of(6)));
  }

  /** Keras merges the masks of its inputs ({@code compute_mask}), which Sequent does not follow. */
  @Override
  public MaskUse kerasMaskUse(Concatenate layer) {
    return MaskUse.REFUSES;
  }
  @Override
  public Optional<SourceForm> sourceForm(Concatenate c) {
    return Optional.of(c.framework() == Framework.KERAS ? SourceForm.keras(KERAS_CLASS).with("axis", c.axis())
        : SourceForm.torch(TORCH_NAME).with("dim", c.axis()));
  }
}
