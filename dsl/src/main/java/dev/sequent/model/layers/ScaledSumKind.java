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
 * keras.applications' InceptionResNetV2 {@code CustomScaleLayer}: config {@code scale}; called on
 * the list {@code [trunk, branch]}. A class of the application module, not of {@code keras.layers}:
 * Keras 3 configs name its module and registered name, which Keras needs to load a file written
 * with it. PyTorch ports write {@code x + scale * branch} in {@code forward()}.
 */
public final class ScaledSumKind extends AbstractLayerKind<ScaledSum> {
  public static final String KERAS_CLASS = "CustomScaleLayer";
  /** Where Keras 3 finds the class when it loads a config. */
  public static final String KERAS_MODULE = "keras.src.applications.inception_resnet_v2";

  public ScaledSumKind() {
    super(ScaledSum.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(ScaledSum layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public String kerasModule(ScaledSum layer) {
    return KERAS_MODULE;
  }

  @Override
  public Optional<String> kerasRegisteredName(ScaledSum layer) {
    return Optional.of(KERAS_CLASS);
  }

  @Override
  public ScaledSum fromKeras(KerasLayerInput c) {
    Object scale = c.get("scale");
    if (!(scale instanceof Number n)) {
      throw c.unsupported(c.keyWord() + " scale is " + scale + ", expected a number");
    }
    return new ScaledSum(Framework.KERAS, n.doubleValue());
  }

  @Override
  public void writeKeras(ScaledSum layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    config.put("scale", layer.scale());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no scaled-sum module: its InceptionResNetV2 ports write x + scale * branch in "
        + "forward()");
  }

  @Override
  public Twin kerasTwin(ScaledSum layer, TwinContext context) {
    return Twin.of(layer);
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new ScaledSum(Framework.KERAS, 0.17), Shape.of(4, 4, 3)),
        new Example(new ScaledSum(Framework.KERAS, 1.0), Shape.of(6)));
  }
}
