package dev.sequent.model.kind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one layer is written in the DSL: its layer annotation (qualified name) and the attribute values
 * that give the layer, in the order a person would write them. The inverse of a kind's
 * {@link LayerKind#annotations() annotation builder}: building the annotation with these values (the
 * annotation's defaults for the rest) gives the layer back, which the source writer checks for every
 * layer it writes. Attributes equal to the annotation's defaults may be given; the writer leaves them out.
 *
 * <p>Values are plain Java as {@link AnnotationValues} holds them: Integer, Double, Boolean, String,
 * {@code int[]}, {@code double[]}, {@code String[]}. A merge's {@code from} is not given: the writer
 * fills it from the node's inputs.
 */
public record SourceForm(String annotation, Map<String, Object> attributes) {
  public SourceForm {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** An annotation of the Keras vocabulary, {@code dev.sequent.dsl.keras.<simpleName>}. */
  public static SourceForm keras(String simpleName) {
    return new SourceForm("dev.sequent.dsl.keras." + simpleName, Map.of());
  }

  /** An annotation of the PyTorch vocabulary, {@code dev.sequent.dsl.torch.<simpleName>}. */
  public static SourceForm torch(String simpleName) {
    return new SourceForm("dev.sequent.dsl.torch." + simpleName, Map.of());
  }

  /** This form with one more attribute. */
  public SourceForm with(String attribute, Object value) {
    Map<String, Object> a = new LinkedHashMap<>(attributes);
    a.put(attribute, value);
    return new SourceForm(annotation, a);
  }

  /** A height/width pair as the annotations take it: {@code {h}} when both are equal. */
  public static int[] pair(int h, int w) {
    return h == w ? new int[] {h} : new int[] {h, w};
  }
}
