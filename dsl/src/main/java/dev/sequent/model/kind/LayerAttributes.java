package dev.sequent.model.kind;

import java.util.List;
import java.util.Map;

/**
 * Typed reading of a layer's hyperparameters as a file states them (a Keras config object, a
 * PyTorch module's attributes): plain Java values (Number, Boolean, String, List, Map, null). A
 * value of the wrong type is refused naming the layer, the key and what it is.
 */
public interface LayerAttributes {

  /** The values by key. */
  Map<String, Object> values();

  /** The layer's name in its model ({@code conv}, {@code features.3}). */
  String name();

  /** The layer's class as the file names it ({@code Conv2D}, {@code torch.nn.modules.conv.Conv2d}). */
  String className();

  /** A refusal naming this layer: "layer conv (Conv2D): why". */
  default UnsupportedLayerException unsupported(String why) {
    return new UnsupportedLayerException("layer " + name() + " (" + className() + "): " + why);
  }

  /** What the file calls a key in messages: "config key", "attribute". */
  String keyWord();

  /** The refusal for a key the file does not state, where it has no default. */
  default UnsupportedLayerException missing(String key, String expected) {
    return unsupported(keyWord() + " " + key + " is null, expected " + expected);
  }

  default Object get(String key) {
    return values().get(key);
  }

  default int integer(String key) {
    Object v = get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw wrong(key, v, "an integer");
  }

  default int integer(String key, int fallback) {
    return get(key) instanceof Number n ? n.intValue() : fallback;
  }

  default double number(String key, double fallback) {
    return get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  default boolean bool(String key, boolean fallback) {
    return get(key) instanceof Boolean b ? b : fallback;
  }

  default String string(String key, String fallback) {
    return get(key) instanceof String s ? s : fallback;
  }

  /** An int or a one- or two-element list, as both frameworks store kernel sizes and strides. */
  default int[] pair(String key) {
    Object v = get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> l && l.size() == 2 && l.stream().allMatch(Number.class::isInstance)) {
      return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
    }
    if (v instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number x) {
      return new int[] {x.intValue(), x.intValue()};
    }
    throw wrong(key, v, "an int or a pair");
  }

  /** An int or a list of ints (Keras axes, PyTorch's normalized_shape). */
  default int[] ints(String key) {
    Object v = get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue()};
    }
    if (v instanceof List<?> l && l.stream().allMatch(Number.class::isInstance)) {
      return l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
    throw wrong(key, v, "an int or a list of ints");
  }

  private UnsupportedLayerException wrong(String key, Object v, String expected) {
    return v == null ? missing(key, expected) : unsupported(keyWord() + " " + key + " is " + v + ", expected " + expected);
  }
}
