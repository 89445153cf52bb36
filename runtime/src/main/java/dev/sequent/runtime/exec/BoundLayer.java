package dev.sequent.runtime.exec;

/**
 * A layer bound to its parameters, in its two forms: {@code nd4j} runs any batch; {@code java}
 * runs batches of up to {@code javaMaxBatch} samples (0 when the layer has no Java form, as custom
 * layers, or is too large for one).
 *
 * @param javaAnyBatch whether {@code javaMaxBatch} bounds only the memory of one call, not where
 *     the ND4J form gets faster: the Java form is the ND4J form's own kernel (a direct
 *     convolution, depthwise planes, a same-shaped merge), so a larger batch may run in the
 *     plain-Java pass in chunks of at most {@code javaMaxBatch} samples
 * @param channelsLast the Java form on channels-last values ({@code (n, h, w, c)} for every 4-D input
 *     and output) of a layer whose own values are channels first, where it has one; null where it
 *     has none. Which layers run it: {@link ChannelLayouts}
 * @param followsInputs whether the layer gains nothing from the layout itself (a pass-through, a
 *     per-value activation, a merge of same-shaped inputs, a global pooling), so it runs
 *     {@code channelsLast} only where every value it reads is kept channels last
 */
public record BoundLayer(LayerOp nd4j, SmallOp java, int javaMaxBatch, boolean javaAnyBatch, SmallOp channelsLast,
    boolean followsInputs) {
  public BoundLayer {
    if (java == null && javaMaxBatch != 0) {
      throw new IllegalArgumentException("no Java form, so no Java batch limit");
    }
    if (javaAnyBatch && javaMaxBatch < 1) {
      throw new IllegalArgumentException("chunks of the plain-Java pass need a Java form for one sample");
    }
    if (channelsLast != null && java == null) {
      throw new IllegalArgumentException("a channels-last form is a Java form");
    }
    if (followsInputs && channelsLast == null) {
      throw new IllegalArgumentException("a layer that follows its inputs' layout needs a channels-last form");
    }
  }

  public BoundLayer(LayerOp nd4j, SmallOp java, int javaMaxBatch, boolean javaAnyBatch) {
    this(nd4j, java, javaMaxBatch, javaAnyBatch, null, false);
  }

  /** This layer with {@code form} as its channels-last Java form (see {@link #channelsLast}, {@link #followsInputs}). */
  public BoundLayer withChannelsLast(SmallOp form, boolean followsInputs) {
    return new BoundLayer(nd4j, java, javaMaxBatch, javaAnyBatch, form, followsInputs);
  }

  /** This layer, whose Java form maps values to values without reading their layout, on either layout. */
  public BoundLayer layoutFreeForm() {
    return withChannelsLast(java, true);
  }

  /** A layer whose Java form is faster than its ND4J form up to {@code javaMaxBatch} samples only. */
  public BoundLayer(LayerOp nd4j, SmallOp java, int javaMaxBatch) {
    this(nd4j, java, javaMaxBatch, false);
  }

  public static BoundLayer nd4jOnly(LayerOp nd4j) {
    return new BoundLayer(nd4j, null, 0);
  }

  /** The largest batch within {@code limit} units of work at {@code perSample} units each. */
  public static int maxBatch(long limit, long perSample) {
    return (int) Math.min(Integer.MAX_VALUE, limit / Math.max(1, perSample));
  }
}
