package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerAttributes;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keras {@code Rescaling(scale, offset=0.0)} (Keras 3.15 {@code keras/src/layers/preprocessing/rescaling.py}:
 * {@code get_config} writes {@code scale} and {@code offset} through {@code serialize_keras_object},
 * a number or a list of numbers; tf_keras writes the same). No PyTorch module: PyTorch models take
 * inputs already scaled (torchvision's {@code transforms.Normalize} runs outside the model), so a
 * model in either vocabulary declares it with the Keras spelling {@code @Rescaling}.
 *
 * <p>Twin: itself, except that per-entry lists are refused over a channels-first image (they apply
 * to its last axis, which the twin's transpose moves).
 */
public final class RescalingKind extends AbstractLayerKind<Rescaling> {
  public static final String KERAS_CLASS = "Rescaling";
  /** Keras' {@code offset=0.0} default. */
  public static final double KERAS_OFFSET = 0.0;

  public RescalingKind() {
    super(Rescaling.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Rescaling layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> new Rescaling(Framework.KERAS,
        doubles(v.doubles("scale")), doubles(v.doubles("offset")))));
  }

  static List<Double> doubles(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  @Override
  public Rescaling fromKeras(KerasLayerInput c) {
    return new Rescaling(Framework.KERAS, values(c, "scale", null), values(c, "offset", KERAS_OFFSET));
  }

  /** A number or a flat list of numbers ({@code serialize_keras_object} of a float, list or tuple). */
  static List<Double> values(LayerAttributes c, String key, Double fallback) {
    Object v = c.get(key);
    if (v instanceof Map<?, ?> m && "__tuple__".equals(m.get("class_name")) && m.get("config") instanceof Map<?, ?> t) {
      v = t.get("value");
    }
    if (v == null && fallback != null) {
      return List.of(fallback);
    }
    if (v instanceof Number n) {
      return List.of(n.doubleValue());
    }
    if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(Number.class::isInstance)) {
      return l.stream().map(x -> ((Number) x).doubleValue()).toList();
    }
    throw c.unsupported(c.keyWord() + " " + key + " is " + v + ", expected a number or a flat list of numbers");
  }

  /** A number for one value, else a list, as Keras' config has them. */
  static void put(ObjectNode config, String key, List<Double> values) {
    if (values.size() == 1) {
      config.put(key, values.get(0));
    } else {
      ArrayNode a = config.putArray(key);
      values.forEach(a::add);
    }
  }

  @Override
  public void writeKeras(Rescaling layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    put(config, "scale", layer.scale());
    put(config, "offset", layer.offset());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no rescaling module (models take inputs already scaled; torchvision scales in "
        + "its transforms); declare it with the Keras spelling @Rescaling in either vocabulary");
  }

  @Override
  public Twin kerasTwin(Rescaling layer, TwinContext context) {
    if (context.imageIn() && (layer.scale().size() > 1 || layer.offset().size() > 1)) {
      return Twin.none("per-entry scale or offset applies to the last axis of a channels-first image, which the "
          + "channels-last twin moves");
    }
    return Twin.of(layer.framework() == Framework.KERAS ? layer
        : new Rescaling(Framework.KERAS, layer.scale(), layer.offset()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Rescaling(Framework.KERAS, List.of(1 / 255.0), List.of(0.0)), Shape.of(4, 4, 3)),
        new Example(new Rescaling(Framework.KERAS, List.of(0.5, 2.0, 1.5), List.of(0.1, -0.2, 0.3)),
            Shape.of(4, 4, 3)),
        new Example(new Rescaling(Framework.KERAS, List.of(2.0), List.of(-1.0, 1.0)), Shape.of(2)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(Rescaling layer) {
    return MaskUse.PASSES;
  }
}
