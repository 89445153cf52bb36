package dev.sequent.model.kind;

import dev.sequent.model.DataFormat;
import java.util.List;
import java.util.Map;

/**
 * One layer of a Keras config as a kind reads it: its class and name, its {@code config} object as
 * plain Java values (String, Integer, Long, Double, Boolean, null, List, Map) in either dialect
 * (Keras 3 or tf_keras), and what the layer's place in the model tells.
 *
 * @param inputCount how many tensors the layer is called on
 * @param imageFormat the data format of the images reaching the layer (the last image layer's, else channels-last)
 */
public record KerasLayerInput(String className, String name, Map<String, Object> config, int inputCount,
    DataFormat imageFormat) {

  /** A refusal naming this layer: "layer conv (Conv2D): why". */
  public UnsupportedLayerException unsupported(String why) {
    return new UnsupportedLayerException("layer " + name + " (" + className + "): " + why);
  }

  public Object get(String key) {
    return config.get(key);
  }

  public int integer(String key) {
    Object v = config.get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw unsupported("config key " + key + " is " + v + ", expected an integer");
  }

  public int integer(String key, int fallback) {
    return config.get(key) instanceof Number n ? n.intValue() : fallback;
  }

  public double number(String key, double fallback) {
    return config.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    return config.get(key) instanceof Boolean b ? b : fallback;
  }

  public String string(String key, String fallback) {
    return config.get(key) instanceof String s ? s : fallback;
  }

  /** An int or a one- or two-element list, as Keras stores kernel sizes and strides. */
  public int[] pair(String key) {
    Object v = config.get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> l && l.size() == 2) {
      return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
    }
    if (v instanceof List<?> l && l.size() == 1) {
      int x = ((Number) l.get(0)).intValue();
      return new int[] {x, x};
    }
    throw unsupported("config key " + key + " is " + v + ", expected an int or a pair");
  }

  /** An int or a list of ints (Keras axes: tf_keras writes {@code [3]} where Keras 3 writes {@code -1}). */
  public int[] ints(String key, int fallback) {
    Object v = config.get(key);
    if (v == null) {
      return new int[] {fallback};
    }
    if (v instanceof Number n) {
      return new int[] {n.intValue()};
    }
    if (v instanceof List<?> l && l.stream().allMatch(Number.class::isInstance)) {
      return l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
    throw unsupported("config key " + key + " is " + v + ", expected an int or a list of ints");
  }

  /** The layer's {@code data_format}: channels-last unless it says channels_first. */
  public DataFormat dataFormat() {
    return "channels_first".equals(config.get("data_format")) ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
  }
}
