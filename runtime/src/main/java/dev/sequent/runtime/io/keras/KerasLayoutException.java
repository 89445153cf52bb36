package dev.sequent.runtime.io.keras;

/**
 * Thrown inside the Keras readers when a file is valid HDF5 (or zip) but not laid out as Keras
 * writes it, or to carry a reason with context ("model.weights.h5 in the archive: ...").
 * {@link KerasReader} turns it into a {@link dev.sequent.runtime.io.WeightFileException} naming the
 * file; it never leaves this package.
 */
final class KerasLayoutException extends RuntimeException {
  KerasLayoutException(String message) {
    super(message);
  }

  KerasLayoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
