package dev.sequent.runtime.io;

import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.keras.KerasArchiveFormat;
import dev.sequent.runtime.io.keras.KerasHdf5Format;
import dev.sequent.runtime.io.safetensors.SafetensorsFormat;
import dev.sequent.runtime.io.torch.TorchPickleFormat;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.io.torch.TorchZipFormat;
import dev.sequent.runtime.io.torch.export.ExportedProgramFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every weight-file format Sequent reads or writes, listed once: a file is read by the first
 * format that recognises its content (not its extension, which users get wrong), and written by
 * the format whose extension its name ends in.
 *
 * <p>The order of {@link #ALL} is the order of recognition: HDF5 → Keras; a zip holding
 * {@code config.json} and {@code model.weights.h5} → a Keras 3 archive; a zip whose {@code
 * archive_format} says {@code pt2} → a {@code torch.export} program; any other zip → PyTorch; a
 * JSON header after 8 bytes → safetensors; a pickle → PyTorch's legacy format.
 */
public final class WeightFormats {
  static {
    LogLevels.setDefaults(); // before jhdf's first logger: reading may be the first thing a program does
  }

  /** The formats, in the order they are asked to recognise a file. */
  public static final List<WeightFormat> ALL = List.of(
      new KerasHdf5Format(),
      new KerasArchiveFormat(),
      new ExportedProgramFormat(),
      new TorchZipFormat(),
      new SafetensorsFormat(),
      new TorchPickleFormat());

  private WeightFormats() {}

  /**
   * Reads {@code file} with the first format that recognises it. See {@link WeightFiles#read(Path,
   * TorchReadOptions)}.
   *
   * @throws WeightFileException when the file is missing, unreadable, of no known format, or
   *     cannot be read by its format
   */
  public static WeightFile read(Path file, TorchReadOptions options) {
    FileHead head = FileHead.of(file);
    for (WeightFormat format : ALL) {
      if (format.recognises(head)) {
        return format.read(file, options);
      }
    }
    throw new WeightFileException(file, RuntimeMessage.UNRECOGNISED_WEIGHT_FILE.format(
        head.length() == 0 ? RuntimeMessage.EMPTY_FILE_CLAUSE.format() : ""));
  }

  /** Every file-name ending that some format writes, in {@link #ALL}'s order. */
  public static List<String> writableExtensions() {
    return ALL.stream().flatMap(f -> f.writtenExtensions().stream()).toList();
  }

  /** The format that writes files named like {@code file}, if any. */
  public static Optional<WeightFormat> writerFor(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(f -> f.writtenExtensions().stream().anyMatch(name::endsWith)).findFirst();
  }

  /**
   * The format that writes files named like {@code file}.
   *
   * @throws UnsupportedOperationException for a name no format writes
   */
  public static WeightFormat forWriting(Path file) {
    return writerFor(file).orElseThrow(() ->
        new UnsupportedOperationException(RuntimeMessage.UNSUPPORTED_SAVE_EXTENSION.format(file)));
  }
}
