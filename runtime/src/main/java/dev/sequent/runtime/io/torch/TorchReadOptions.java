package dev.sequent.runtime.io.torch;

import java.util.Optional;

/**
 * How to find the state_dict in a PyTorch file that wraps it, e.g. a training checkpoint
 * {@code {"model": ..., "optimizer": ..., "epoch": 3}}.
 *
 * @param entry the key (or dotted path of keys) of the state_dict; empty to pick the only
 *     candidate
 * @param stripPrefix a prefix to remove from every tensor name, e.g. {@code module.} left by
 *     {@code nn.DataParallel}; empty for none
 */
public record TorchReadOptions(Optional<String> entry, Optional<String> stripPrefix) {
  public static final TorchReadOptions DEFAULT = new TorchReadOptions(Optional.empty(), Optional.empty());

  public static TorchReadOptions entry(String entry) {
    return new TorchReadOptions(Optional.of(entry), Optional.empty());
  }

  public TorchReadOptions withStripPrefix(String prefix) {
    return new TorchReadOptions(entry, Optional.of(prefix));
  }
}
