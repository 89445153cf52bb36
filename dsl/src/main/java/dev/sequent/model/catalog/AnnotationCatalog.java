package dev.sequent.model.catalog;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.layers.ElementwiseMerge;
import java.util.Map;
import java.util.Optional;

/**
 * From a layer annotation (its attribute values, defaults applied) to a layer record, for the
 * processor. Each vocabulary's spelling and defaults are decided by the layer's kind (its
 * {@link dev.sequent.model.kind.LayerKind#annotations builders}); this class only finds the
 * builder. The wiring annotations ({@code @Add}, {@code @Custom}) are the processor's own. A layer
 * annotation with a {@code String[] from} attribute (the merges: {@code @Concatenate}, {@code @Cat},
 * {@code @Multiply}, ...) reads the layers it names there.
 *
 * <p>Values are what {@code javax.lang.model} reports, converted to plain Java: Integer, Double,
 * Boolean, String, {@code int[]}, {@code double[]} and {@code String[]}.
 */
public final class AnnotationCatalog {
  private static final String KERAS = "dev.sequent.dsl.keras.";
  private static final String TORCH = "dev.sequent.dsl.torch.";

  private AnnotationCatalog() {}

  /** Whether the annotation (qualified name) declares a layer. */
  public static boolean isLayer(String annotation) {
    return LayerKinds.annotation(annotation).isPresent() || annotation.equals("dev.sequent.dsl.Add")
        || annotation.equals("dev.sequent.dsl.Custom");
  }

  /** The vocabulary an annotation belongs to, or empty for the common ones (Add, Custom). */
  public static Optional<Framework> vocabulary(String annotation) {
    if (annotation.startsWith(KERAS)) {
      return Optional.of(Framework.KERAS);
    }
    if (annotation.startsWith(TORCH)) {
      return Optional.of(Framework.TORCH);
    }
    return Optional.empty();
  }

  /**
   * The layer record for an annotation of {@code dev.sequent.dsl.keras}/{@code .torch}.
   *
   * @throws ShapeException naming the attribute when a hyperparameter is invalid
   * @throws IllegalArgumentException when the annotation is not a layer annotation of the catalogue
   */
  public static LayerSpec layer(String annotation, Map<String, Object> values) {
    return LayerKinds.annotation(annotation)
        .orElseThrow(() -> new IllegalArgumentException("not a layer annotation: " + annotation))
        .build().apply(new AnnotationValues(values));
  }

  /** The attribute of a merge annotation that names the layers it reads. */
  public static final String FROM = "from";

  /**
   * The layers a merge annotation reads ({@code from}), or null for an annotation that has none or
   * leaves it empty (an attention layer's {@code from} defaults to none: it reads the previous layer).
   */
  public static String[] from(Map<String, Object> values) {
    return values.get(FROM) instanceof String[] from && from.length > 0 ? from : null;
  }

  /**
   * The attribute naming the layers whose outputs a layer takes as further inputs after its own:
   * a recurrent layer's initial states (Keras {@code initial_state=[h, c]}, PyTorch
   * {@code lstm(x, (h0, c0))}).
   */
  public static final String INITIAL_STATE = "initialState";

  /** The layers named in {@link #INITIAL_STATE}, or an empty array for an annotation that has none. */
  public static String[] initialState(Map<String, Object> values) {
    return values.get(INITIAL_STATE) instanceof String[] s ? s : new String[0];
  }

  /** Element-wise sum; its vocabulary is the model's. */
  public static LayerSpec add(Framework framework, int inputs) {
    return ElementwiseMerge.add(framework, inputs);
  }
}
