package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
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
 * keras.applications' ConvNeXt {@code LayerScale}: config {@code init_values}, {@code projection_dim};
 * one weight, {@code gamma} ({@code add_weight(name="gamma")} in tf_keras, unnamed {@code vars/0} in
 * Keras 3), initialised to {@code init_values}. A class of the application module, not of
 * {@code keras.layers}: Keras 3 configs name its module and registered name, which Keras needs to
 * load a file written with it.
 */
public final class LayerScaleKind extends AbstractLayerKind<LayerScale> {
  public static final String KERAS_CLASS = "LayerScale";
  public static final String GAMMA = "gamma";
  /** Where Keras 3 finds the class when it loads a config. */
  public static final String KERAS_MODULE = "keras.src.applications.convnext";

  public LayerScaleKind() {
    super(LayerScale.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(LayerScale layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public String kerasModule(LayerScale layer) {
    return KERAS_MODULE;
  }

  @Override
  public Optional<String> kerasRegisteredName(LayerScale layer) {
    return Optional.of(KERAS_CLASS);
  }

  @Override
  public LayerScale fromKeras(KerasLayerInput c) {
    return new LayerScale(Framework.KERAS, c.integer("projection_dim"), c.number("init_values", 1e-6));
  }

  @Override
  public void writeKeras(LayerScale layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    config.put("init_values", layer.initValues());
    config.put("projection_dim", layer.projectionDim());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no layer-scale module: torchvision's ConvNeXt keeps the vector as a parameter "
        + "of its block and multiplies in forward()");
  }

  @Override
  public Twin kerasTwin(LayerScale layer, TwinContext context) {
    return Twin.of(layer);
  }

  @Override
  public float[] initialValue(LayerScale layer, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      java.util.Random random) {
    float[] gamma = new float[layer.projectionDim()];
    Arrays.fill(gamma, (float) layer.initValues());
    return gamma;
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new LayerScale(Framework.KERAS, 3, 1e-6), Shape.of(4, 4, 3)),
        new Example(new LayerScale(Framework.KERAS, 5, 0.5), Shape.of(5)));
  }
}
