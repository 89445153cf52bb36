package dev.sequent.model.kind;

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
    Predicate<String> hasTensor) implements LayerAttributes {

  /** The simple class name, e.g. {@code Conv2d}. */
  public String simpleName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }

  /** Whether the file holds this module's tensor {@code local} ({@code bias}). */
  public boolean has(String local) {
    return hasTensor.test(name + "." + local);
  }

  @Override
  public Map<String, Object> values() {
    return attributes;
  }

  @Override
  public String keyWord() {
    return "attribute";
  }

  /** A traced TorchScript module records hyperparameters only in its forward's calls. */
  @Override
  public UnsupportedLayerException missing(String key, String expected) {
    return unsupported("the file does not record its " + key + " (a traced TorchScript module keeps "
        + "hyperparameters only inside its forward's calls, and Sequent reads them only from the one call of a "
        + "layer type it knows; see docs/formats.md)");
  }
}
