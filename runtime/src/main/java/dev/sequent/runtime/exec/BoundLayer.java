package dev.sequent.runtime.exec;

/**
 * A layer bound to its parameters, in its two forms: {@code nd4j} runs any batch; {@code java}
 * runs batches of up to {@code javaMaxBatch} samples (0 when the layer has no Java form, as custom
 * layers, or is too large for one).
 */
public record BoundLayer(LayerOp nd4j, SmallOp java, int javaMaxBatch) {
  public BoundLayer {
    if (java == null && javaMaxBatch != 0) {
      throw new IllegalArgumentException("no Java form, so no Java batch limit");
    }
  }

  public static BoundLayer nd4jOnly(LayerOp nd4j) {
    return new BoundLayer(nd4j, null, 0);
  }

  /** The largest batch within {@code limit} units of work at {@code perSample} units each. */
  public static int maxBatch(long limit, long perSample) {
    return (int) Math.min(Integer.MAX_VALUE, limit / Math.max(1, perSample));
  }
}
