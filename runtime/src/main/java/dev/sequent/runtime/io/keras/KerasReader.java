package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.FileArchitecture;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Reads any Keras weight file into a {@link WeightFile}: a whole-model {@code .h5} from Keras 2
 * (tf_keras) or Keras 3, a {@code save_weights} {@code .h5}, a Keras 3 {@code .weights.h5}, or a
 * Keras 3 {@code .keras} archive (see {@link KerasFormat}). The form is recognised from the
 * content (HDF5 signature, zip header, then the HDF5 structure), never from the file name.
 *
 * <p>Tensor names are the file's own: the {@code weight_names} entries in the {@code .h5} layouts
 * ({@code conv2d/kernel:0} from tf_keras, {@code sequential/conv2d/kernel} from Keras 3), the
 * dataset paths in the Keras 3 weights layout ({@code layers/conv2d/vars/0}). The layer order is
 * the file's {@code layer_names} order in the {@code .h5} layouts; a Keras 3 weights file does not
 * record the order, so it comes from {@code config.json} in a {@code .keras} archive and otherwise
 * follows Keras's walk order as far as the names show it (see {@link Keras3WeightsReader}). In the
 * Keras 3 layout a layer's name in {@code layerOrder} is its Keras name from the {@code vars}
 * group's {@code name} attribute, or the group path when the file has none.
 *
 * <p>Values are float32; float64 and float16 tensors are converted (logged at WARN). Integer and
 * other non-float datasets (counters, seed states) are not weights and are left out, as is
 * optimizer state. Any file that cannot be read this way fails with a {@link WeightFileException}
 * naming the file and the reason in one line.
 */
public final class KerasReader {
  private static final int HEAD_BYTES = 8;

  private KerasReader() {}

  /**
   * Reads {@code file}.
   *
   * @throws WeightFileException when the file is missing, empty, damaged, or not a Keras file
   */
  public static WeightFile read(Path file) {
    try {
      return readChecked(file);
    } catch (WeightFileException e) {
      throw e;
    } catch (KerasLayoutException e) {
      throw new WeightFileException(file, e.getMessage(), e);
    } catch (HdfException e) {
      throw new WeightFileException(file, "cannot be read as HDF5: " + firstLine(e.getMessage()), e);
    } catch (ZipException e) {
      throw new WeightFileException(file, "is not a readable zip archive: " + firstLine(e.getMessage()), e);
    } catch (NoSuchFileException e) {
      throw new WeightFileException(file, "no such file", e);
    } catch (IOException e) {
      throw new WeightFileException(file, "cannot be read: " + reason(e), e);
    } catch (RuntimeException | StackOverflowError e) {
      // jhdf meets damaged files with whatever breaks first: BufferUnderflowException,
      // IllegalArgumentException, NegativeArraySizeException, IndexOutOfBoundsException, ...
      throw new WeightFileException(file, "is damaged or not a Keras file: " + reason(e), e);
    }
  }

  /**
   * Reads {@code file} as {@link dev.sequent.runtime.io.WeightFiles#read(Path, TorchReadOptions)}
   * does: Keras files take none of the options, which are PyTorch's.
   *
   * @throws WeightFileException as {@link #read(Path)}, and for options other than the defaults
   */
  public static WeightFile read(Path file, TorchReadOptions options) {
    if (!options.equals(TorchReadOptions.DEFAULT)) {
      throw new WeightFileException(file, RuntimeMessage.KERAS_TAKES_NO_TORCH_OPTIONS.format());
    }
    return read(file);
  }

  private static WeightFile readChecked(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new KerasLayoutException("is a directory, not a Keras file");
    }
    byte[] head;
    long start;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() == 0) {
        throw new KerasLayoutException("empty file");
      }
      ByteBuffer buffer = ByteBuffer.allocate(HEAD_BYTES);
      channel.read(buffer, 0);
      head = Arrays.copyOf(buffer.array(), buffer.position());
      start = Hdf5Signature.find(channel).orElse(-1);
    }
    if (start >= 0) {
      KerasH5File.Contents h5 = KerasH5File.read(file, file.toString(), Optional.empty(), false);
      return new WeightFile(file, h5.format().id(), h5.weights().tensors, h5.weights().layerOrder,
          architecture(h5.modelConfig()));
    }
    if (isZip(head)) {
      KerasArchiveReader.Contents archive = KerasArchiveReader.read(file);
      return new WeightFile(file, KerasFormat.KERAS3_ARCHIVE.id(), archive.weights().weights().tensors,
          archive.weights().weights().layerOrder, architecture(archive.configJson()));
    }
    throw new KerasLayoutException("not a Keras file: neither HDF5 (no \\x89HDF signature) nor a zip archive"
        + " (first bytes: " + HexFormat.ofDelimiter(" ").formatHex(head) + ")");
  }

  private static Optional<FileArchitecture> architecture(Optional<String> modelConfig) {
    return modelConfig.map(KerasConfigArchitecture::new);
  }

  /**
   * The model config JSON a Keras file carries (its {@link KerasConfigArchitecture}): a
   * {@code .h5}'s {@code model_config}, a {@code .keras} archive's {@code config.json}; empty for a
   * weights-only file and for files of other formats.
   */
  public static Optional<String> modelConfig(WeightFile file) {
    return file.architecture().flatMap(a -> a instanceof KerasConfigArchitecture k
        ? Optional.of(k.json()) : Optional.empty());
  }

  /** "PK\3\4" starts a zip with entries, "PK\5\6" an empty one. */
  private static boolean isZip(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
        && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
  }

  /** A throwable as one line: its class and the first line of its message. */
  static String reason(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + firstLine(message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
