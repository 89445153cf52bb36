package dev.sequent.runtime.io.torch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code torch.nn.Module} as read from a pickle, without executing anything: its class (as the
 * pickle names it, e.g. {@code torch.nn.modules.conv.Conv2d}), its plain attributes
 * ({@code in_features}, {@code kernel_size}, {@code eps}, ... as Java Integer, Long, Double,
 * Boolean, String, List or null) and its child modules in registration order.
 * Parameters and buffers are not kept here: they are in
 * {@link dev.sequent.runtime.io.WeightFile#tensors()} under their state_dict names.
 */
public record TorchModule(String className, Map<String, Object> attributes, Map<String, TorchModule> children) {
  public TorchModule {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
  }

  /** The simple class name, e.g. {@code Conv2d}. */
  public String simpleName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }
}
