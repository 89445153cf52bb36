package dev.sequent.spark;

/**
 * A row whose input cannot be scored (null, or not one sample of the model's input shape), with
 * {@code handleInvalid} "error". The message names the row by its position: the partition's index
 * and the row's 0-based offset in that partition, the order in which the partition holds it.
 */
public final class InvalidRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long offset;

  InvalidRowException(int partition, long offset, String problem) {
    super("row " + offset + " of partition " + partition + ": " + problem
        + " (setHandleInvalid(\"keep\") writes a null output for such rows, \"skip\" drops them)");
    this.partition = partition;
    this.offset = offset;
  }

  /** The index of the partition that holds the row ({@code TaskContext.partitionId()}). */
  public int partition() {
    return partition;
  }

  /** The row's 0-based position in its partition. */
  public long offset() {
    return offset;
  }
}
