package dev.sequent.runtime.io;

import java.nio.file.Path;

/** A weight file that cannot be read as what it claims to be. The message names the file. */
public class WeightFileException extends RuntimeException {
  public WeightFileException(Path file, String message) {
    super(file + ": " + message);
  }

  public WeightFileException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
