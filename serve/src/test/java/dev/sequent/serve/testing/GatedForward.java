package dev.sequent.serve.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A real forward pass (a {@link dev.sequent.runtime.Network}'s) that a test can hold shut, so the
 * predictor's worker is known to be busy while the test queues requests behind it; it records the
 * shape of every batch it is given.
 */
public final class GatedForward implements Function<INDArray, INDArray> {
  private final Function<INDArray, INDArray> forward;
  private final CountDownLatch open = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final List<long[]> batchShapes = Collections.synchronizedList(new ArrayList<>());

  public GatedForward(Function<INDArray, INDArray> forward) {
    this.forward = forward;
  }

  @Override
  public INDArray apply(INDArray batch) {
    batchShapes.add(batch.shape());
    entered.countDown();
    try {
      if (!open.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return forward.apply(batch);
  }

  /** Waits until the first batch is inside the forward pass (held at the gate). */
  public void awaitFirstBatch() throws InterruptedException {
    if (!entered.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no batch reached the forward pass within 30 s");
    }
  }

  public void open() {
    open.countDown();
  }

  /** The shapes of the batches run so far, in order. */
  public List<long[]> batchShapes() {
    synchronized (batchShapes) {
      return new ArrayList<>(batchShapes);
    }
  }

  /** The batch sizes (first dimension) run so far, in order. */
  public List<Long> batchSizes() {
    return batchShapes().stream().map(s -> s[0]).toList();
  }
}
