package dev.sequent.runtime.io.torch;

import java.util.Optional;

/**
 * How to find the state_dict in a PyTorch file that wraps it, e.g. a training checkpoint
 * {@code {"model": ..., "ema": ..., "optimizer": ..., "epoch": 3}}, and how to rename its
 * tensors. {@code Network.loadWeights(Path, TorchReadOptions)}, {@code Network.load(Path, ...,
 * TorchReadOptions)} and the CLI's {@code --entry} / {@code --strip-prefix} take them.
 *
 * @param entry the key (or dotted path of keys, {@code state.model}) of the state_dict or pickled
 *     model; empty to pick the only candidate (a checkpoint with several is refused, listing them)
 * @param stripPrefix a prefix to remove from every tensor name that has it, e.g. {@code module.}
 *     left by {@code nn.DataParallel}; empty for none
 */
public record TorchReadOptions(Optional<String> entry, Optional<String> stripPrefix) {
  public static final TorchReadOptions DEFAULT = new TorchReadOptions(Optional.empty(), Optional.empty());

  public static TorchReadOptions entry(String entry) {
    return new TorchReadOptions(Optional.of(entry), Optional.empty());
  }

  public TorchReadOptions {
    entry.ifPresent(e -> {
      if (e.isBlank()) {
        throw new IllegalArgumentException("the checkpoint entry must not be blank");
      }
    });
  }

  public TorchReadOptions withStripPrefix(String prefix) {
    return new TorchReadOptions(entry, Optional.of(prefix));
  }
}
