package dev.sequent.runtime.io;

/**
 * Told as each tensor is loaded into a network or written to a file, so a caller can show
 * progress on large models (the CLI's {@code convert} draws a bar for files over 50 MB).
 * Called on the loading or saving thread, in file order; keep it cheap.
 */
@FunctionalInterface
public interface WeightProgress {
  /** Reports nothing. */
  WeightProgress NONE = (tensor, bytes) -> {};

  /**
   * One tensor is done.
   *
   * @param tensor its name in the file being read or written
   * @param bytes its size as float32 (4 bytes per value)
   */
  void tensorDone(String tensor, long bytes);
}
