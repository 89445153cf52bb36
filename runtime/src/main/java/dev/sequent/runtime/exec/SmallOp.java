package dev.sequent.runtime.exec;

import java.util.List;

/**
 * A layer's plain-Java form for small batches, on Java arrays of row-major float32 values with
 * the batch axis first. A whole forward pass through these creates one ND4J array (the result)
 * instead of one or more per layer: each ND4J array costs about 13 us to create on this kind of
 * machine, which is most of a batch-1 forward pass of a small model.
 */
@FunctionalInterface
public interface SmallOp {
  /**
   * @param inputs the layer's inputs, which it must not modify
   * @param batch the batch size
   * @return a new array, or an input itself for layers that only reinterpret it (flatten, dropout)
   */
  float[] apply(List<float[]> inputs, int batch);
}
