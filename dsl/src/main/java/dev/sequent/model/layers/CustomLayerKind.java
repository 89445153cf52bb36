package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * User-written layers ({@code @Custom(MyLayer.class)}): their shapes are rules, their forward pass is
 * the user's Java class. Neither framework can rebuild one from a file without the user's own
 * Python class, so no Keras config or PyTorch module is read, the Keras 3 config names it
 * {@code registered_name "sequent>ClassName"} (Keras rebuilds it where such a class is registered)
 * and there is no Keras twin. Their DSL annotation names a class, read by the processor through
 * annotation mirrors.
 */
public final class CustomLayerKind extends AbstractLayerKind<CustomLayer> {
  /** Keras' {@code RandomUniform} default range, for tensors whose initialiser only the user's code knows. */
  public static final double INIT_RANGE = 0.05;

  public CustomLayerKind() {
    super(CustomLayer.class, List.of(), List.of());
  }

  @Override
  public String kerasClass(CustomLayer layer) {
    return layer.typeName();
  }

  @Override
  public String torchClass(CustomLayer layer) {
    return layer.typeName();
  }

  @Override
  public String kerasModule(CustomLayer layer) {
    return null;
  }

  @Override
  public Optional<String> kerasRegisteredName(CustomLayer layer) {
    return Optional.of("sequent>" + layer.typeName());
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public CustomLayer fromKeras(KerasLayerInput c) {
    throw c.unsupported("a custom layer; its Python class cannot be read from a config");
  }

  @Override
  public void writeKeras(CustomLayer layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    if (dialect == KerasDialect.TF_KERAS) {
      throw new IllegalArgumentException("layer " + inferred.name() + " (" + layer.typeName()
          + ") has no Keras 2 config");
    }
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("the module is the user's own Python class, which a file names but Sequent cannot run");
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("the layer is the user's own Python class, registered with Keras; a config names it but "
        + "Sequent cannot run it");
  }

  @Override
  public Twin kerasTwin(CustomLayer layer, TwinContext context) {
    return Twin.none("a custom layer; Keras rebuilds it from a config only with its Python class registered, "
        + "which the file cannot carry");
  }

  @Override
  public float[] initialValue(CustomLayer layer, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    return Initialisation.uniform((int) p.count(), INIT_RANGE, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new CustomLayer(Framework.KERAS, "AddVector", "example.AddVector",
        ShapeRule.parse("in"), List.of(new CustomLayer.Param("w", ShapeRule.parse("in[-1]"), true))), Shape.of(3, 4)));
  }
}
