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
 * Keras {@code Reshape(target_shape)} (Keras 3.15 {@code keras/src/layers/reshaping/reshape.py},
 * {@code get_config} writes {@code target_shape} as given, {@code -1} included, as tf_keras does).
 * PyTorch's forward spells it {@code x.view(n, ...)}, code rather than a module (its module form,
 * {@code nn.Unflatten}, is {@link UnflattenKind}). See {@link Reshape}.
 *
 * <p>Twin: itself on tensors that are not transposed images; refused where a channels-first image
 * goes in or comes out, since the values keep their memory order.
 */
public final class ReshapeKind extends AbstractLayerKind<Reshape> {
  public static final String KERAS_CLASS = "Reshape";

  public ReshapeKind() {
    super(Reshape.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Reshape layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS,
        v -> new Reshape(Framework.KERAS, Arrays.stream(v.ints("targetShape")).boxed().toList())));
  }

  @Override
  public Reshape fromKeras(KerasLayerInput c) {
    return new Reshape(Framework.KERAS, Arrays.stream(c.ints("target_shape")).boxed().toList());
  }

  @Override
  public void writeKeras(Reshape layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    layer.targetShape().forEach(config.putArray("target_shape")::add);
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("a reshape is x.view(...) in a PyTorch forward, not a module (nn.Unflatten is read as Unflatten)");
  }

  @Override
  public Twin kerasTwin(Reshape layer, TwinContext context) {
    if (context.imageIn() || context.imageOut()) {
      return Twin.none("Reshape keeps the values' memory order, so reshaping a channels-first image is not the same "
          + "as reshaping its channels-last twin");
    }
    return Twin.of(new Reshape(Framework.KERAS, layer.targetShape()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public boolean keepsFeatureOrder() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Reshape(Framework.KERAS, List.of(6, 4)), Shape.of(2, 3, 4)),
        new Example(new Reshape(Framework.KERAS, List.of(-1, 3)), Shape.of(12)),
        new Example(new Reshape(Framework.KERAS, List.of(1, 1, 8)), Shape.of(8)));
  }
}
