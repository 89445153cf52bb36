package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Global pooling over height and width: Keras {@code GlobalAveragePooling2D} /
 * {@code GlobalMaxPooling2D}. PyTorch has no such module (its models use
 * {@code AdaptiveAvgPool2d(1)} then {@code Flatten}), so this kind reads no PyTorch module. See
 * {@link GlobalPool2D}.
 */
public final class GlobalPool2DKind extends AbstractLayerKind<GlobalPool2D> {
  public static final String KERAS_AVG = "GlobalAveragePooling2D";
  public static final String KERAS_MAX = "GlobalMaxPooling2D";

  public GlobalPool2DKind() {
    super(GlobalPool2D.class, List.of(KERAS_AVG, KERAS_MAX), List.of());
  }

  @Override
  public String kerasClass(GlobalPool2D g) {
    return g.kind() == Pool2D.Kind.MAX ? KERAS_MAX : KERAS_AVG;
  }

  /** No torch.nn module computes it; summaries show the Keras class. */
  @Override
  public String torchClass(GlobalPool2D g) {
    return kerasClass(g);
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_AVG,
            v -> new GlobalPool2D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST, v.bool("keepdims"))),
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_MAX,
            v -> new GlobalPool2D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST, v.bool("keepdims"))));
  }

  @Override
  public GlobalPool2D fromKeras(KerasLayerInput c) {
    return new GlobalPool2D(Framework.KERAS, c.className().equals(KERAS_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        c.dataFormat(), c.bool("keepdims", GlobalPool1DKind.KEEPDIMS));
  }

  @Override
  public void writeKeras(GlobalPool2D g, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("data_format", g.dataFormat().kerasName());
    c.put("keepdims", g.keepDims());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no global pooling module: its models use AdaptiveAvgPool2d(1) (or "
        + "AdaptiveMaxPool2d(1)) then Flatten, which this kind does not read");
  }

  @Override
  public Twin kerasTwin(GlobalPool2D g, TwinContext context) {
    return Twin.of(new GlobalPool2D(Framework.KERAS, g.kind(), DataFormat.CHANNELS_LAST, g.keepDims()));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new GlobalPool2D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST), Shape.of(4, 4, 3)),
        new Example(new GlobalPool2D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST), Shape.of(4, 5, 2)),
        new Example(new GlobalPool2D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST, true),
            Shape.of(3, 4, 2)));
  }
}
