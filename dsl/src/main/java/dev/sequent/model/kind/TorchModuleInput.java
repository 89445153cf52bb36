package dev.sequent.model.kind;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One {@code torch.nn} module as a kind reads it from a pickle or TorchScript archive: its
 * attributes ({@code in_features}, {@code kernel_size}, {@code eps}, ... as Java Integer, Long,
 * Double, Boolean, String, List or null) and which of its tensors the file holds (which tells
 * {@code bias=False} apart).
 *
 * @param name the module's path in its parent ({@code 0}, {@code features.3})
 * @param className the class as the file names it ({@code torch.nn.modules.conv.Conv2d})
 * @param hasTensor whether the file has the state_dict tensor of this full name ({@code 0.bias})
 */
public record TorchModuleInput(String name, String className, Map<String, Object> attributes,
    Predicate<String> hasTensor) {

  /** The simple class name, e.g. {@code Conv2d}. */
  public String simpleName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }

  /** Whether the file holds this module's tensor {@code local} ({@code bias}). */
  public boolean has(String local) {
    return hasTensor.test(name + "." + local);
  }

  /** A refusal naming this module: "layer 0 (torch.nn.modules.conv.Conv2d): why". */
  public UnsupportedLayerException unsupported(String why) {
    return new UnsupportedLayerException("layer " + name + " (" + className + "): " + why);
  }

  public Object get(String key) {
    return attributes.get(key);
  }

  public int integer(String key) {
    Object v = attributes.get(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw v == null ? notRecorded(key) : unsupported("attribute " + key + " is " + v + ", expected an integer");
  }

  public double number(String key, double fallback) {
    return attributes.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    return attributes.get(key) instanceof Boolean b ? b : fallback;
  }

  /** An int or a 2-element list/tuple, as PyTorch stores kernel_size, stride, padding, dilation. */
  public int[] pair(String key) {
    Object v = attributes.get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> list && list.size() == 2) {
      return new int[] {((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue()};
    }
    throw v == null ? notRecorded(key) : unsupported("attribute " + key + " is " + v + ", expected an int or a pair");
  }

  /** An int or a list of ints ({@code normalized_shape}). */
  public int[] ints(String key) {
    Object v = attributes.get(key);
    if (v instanceof Number n) {
      return new int[] {n.intValue()};
    }
    if (v instanceof List<?> list && list.stream().allMatch(Number.class::isInstance)) {
      return list.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
    throw v == null ? notRecorded(key) : unsupported("attribute " + key + " is " + v + ", expected a list of ints");
  }

  private UnsupportedLayerException notRecorded(String key) {
    return unsupported("the file does not record its " + key + " (a traced TorchScript module keeps "
        + "hyperparameters only inside its forward's calls, and Sequent reads them only from the one call of a "
        + "layer type it knows; see docs/formats.md)");
  }
}
