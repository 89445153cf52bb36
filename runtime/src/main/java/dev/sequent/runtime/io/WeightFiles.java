package dev.sequent.runtime.io;

import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.nio.file.Path;

/**
 * Reads any supported weight file, choosing the reader by content (not by extension, which users
 * get wrong): HDF5 → Keras; a zip holding {@code config.json} and {@code model.weights.h5} → a
 * Keras 3 archive; any other zip or a pickle → PyTorch; a JSON header after 8 bytes → safetensors.
 * The formats and their order are {@link WeightFormats}'.
 */
public final class WeightFiles {
  private WeightFiles() {}

  public static WeightFile read(Path file) {
    return read(file, TorchReadOptions.DEFAULT);
  }

  /**
   * As {@link #read(Path)}, finding the state_dict of a PyTorch checkpoint and renaming tensors as
   * {@code options} say. {@code stripPrefix} applies to PyTorch and safetensors files, {@code
   * entry} to pickled PyTorch files; Keras files take neither.
   */
  public static WeightFile read(Path file, TorchReadOptions options) {
    return WeightFormats.read(file, options);
  }
}
