package dev.sequent.runtime.io;

import dev.sequent.runtime.io.keras.KerasReader;
import dev.sequent.runtime.io.safetensors.Safetensors;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.io.torch.TorchReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Reads any supported weight file, choosing the reader by content (not by extension, which users
 * get wrong): HDF5 → Keras; a zip holding {@code config.json} and {@code model.weights.h5} → a
 * Keras 3 archive; any other zip or a pickle → PyTorch; a JSON header after 8 bytes → safetensors.
 */
public final class WeightFiles {
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  static {
    LogLevels.setDefaults(); // before jhdf's first logger: reading may be the first thing a program does
  }

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
    byte[] head = head(file);
    boolean defaults = options.equals(TorchReadOptions.DEFAULT);
    if (startsWith(head, HDF5)) {
      return keras(file, defaults);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
      return isKerasArchive(file) ? keras(file, defaults) : TorchReader.read(file, options);
    }
    if (head.length >= 9 && head[8] == '{') {
      if (options.entry().isPresent()) {
        throw new WeightFileException(file, "a safetensors file holds one flat set of tensors, it has no entry \""
            + options.entry().get() + "\"");
      }
      WeightFile read = Safetensors.read(file); // 8-byte header length, then the JSON header
      return options.stripPrefix().map(read::withoutPrefix).orElse(read);
    }
    if (head.length >= 1 && (head[0] & 0xff) == 0x80) {
      return TorchReader.read(file, options); // a pickle: PyTorch's legacy (pre-1.6) format
    }
    throw new WeightFileException(file, "not a Keras (HDF5, .keras) or PyTorch (.pt zip or pickle) file"
        + (head.length == 0 ? ": the file is empty" : ""));
  }

  private static WeightFile keras(Path file, boolean defaultOptions) {
    if (!defaultOptions) {
      throw new WeightFileException(file, "a Keras file: the checkpoint entry and prefix options apply to PyTorch "
          + "files only");
    }
    return KerasReader.read(file);
  }

  private static byte[] head(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file, Files.exists(file) ? "not a regular file" : "no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(9);
    } catch (IOException e) {
      throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    if (a.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isKerasArchive(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry("config.json") != null && zip.getEntry("model.weights.h5") != null;
    } catch (IOException e) {
      return false; // not a readable zip: let the PyTorch reader explain what is wrong with it
    }
  }
}
