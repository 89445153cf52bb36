package dev.sequent.runtime.io;

import dev.sequent.model.Framework;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One weight-file format, its reader and its writer side by side: how its files are recognised
 * by content, how they are read into a {@link WeightFile}, which file extensions it writes, and
 * how. {@link WeightFormats} lists every format once and chooses among them.
 */
public interface WeightFormat {
  /** A short name, for listings and messages ({@code "keras-hdf5"}, {@code "pytorch-zip"}, ...). */
  String name();

  /** The framework whose models the format's files are for. */
  Framework framework();

  /**
   * Whether {@code head} starts a file of this format. {@link WeightFormats} asks the formats in
   * its order and reads with the first that says yes, so a format may claim what an earlier one
   * left (any zip that is not a Keras archive is a PyTorch file).
   */
  boolean recognises(FileHead head);

  /**
   * Reads a file this format {@link #recognises}.
   *
   * @throws WeightFileException naming the file and what is wrong with it, also for
   *     {@code options} the format does not take
   */
  WeightFile read(Path file, TorchReadOptions options);

  /**
   * The file-name endings, lower case, that this format writes ({@code ".pt"}); empty for a format
   * Sequent reads only.
   */
  List<String> writtenExtensions();

  /**
   * Writes {@code weights} to {@code file}, whose name ends in one of {@link #writtenExtensions},
   * replacing it atomically.
   *
   * @throws IOException naming the file (and the layer, where one is at fault)
   * @throws UnsupportedOperationException for a format Sequent does not write
   */
  void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException;
}
