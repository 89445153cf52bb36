package dev.sequent.model.kind;

import dev.sequent.model.Activation;
import dev.sequent.model.ShapeException;
import java.util.Arrays;
import java.util.Map;

/**
 * The attribute values of one layer annotation, defaults applied, as {@code javax.lang.model}
 * reports them converted to plain Java (Integer, Double, Boolean, String, {@code int[]},
 * {@code double[]}, {@code String[]}); typed access names the attribute in every error.
 */
public record AnnotationValues(Map<String, Object> map) {

  public Object get(String key) {
    if (!map.containsKey(key)) {
      throw new IllegalArgumentException("missing annotation attribute " + key);
    }
    return map.get(key);
  }

  public int integer(String key) {
    return ((Number) get(key)).intValue();
  }

  public double number(String key) {
    return ((Number) get(key)).doubleValue();
  }

  public boolean bool(String key) {
    return (Boolean) get(key);
  }

  public String string(String key) {
    return (String) get(key);
  }

  public int[] ints(String key) {
    return (int[]) get(key);
  }

  public double[] doubles(String key) {
    return (double[]) get(key);
  }

  /** {@code {3}} means (3, 3); {@code {3, 5}} means (3, 5). */
  public int[] pair(String key) {
    int[] a = ints(key);
    if (a.length == 1) {
      return new int[] {a[0], a[0]};
    }
    if (a.length == 2) {
      return a;
    }
    throw new ShapeException(key, key + " takes one value (same for height and width) or two. Received: "
        + Arrays.toString(a));
  }

  /** The Keras {@code activation} string attribute, parsed. */
  public Activation kerasActivation() {
    return Activation.fromKeras(string("activation"));
  }
}
