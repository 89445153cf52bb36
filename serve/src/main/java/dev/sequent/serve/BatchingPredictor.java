package dev.sequent.serve;

import dev.sequent.runtime.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent predictions on one model into batched forward passes, the way Triton's
 * dynamic batcher does, and hands each caller its own rows back.
 *
 * <p>Why: a forward pass over 32 samples costs far less than 32 passes over one (the kernels get
 * work large enough to use every core), but a service receives samples one request at a time.
 * This class is what a service embeds to get that throughput without changing its request
 * handling; {@code ./sequent serve} is built on it.
 *
 * <p>Semantics (Triton's {@code max_batch_size} and {@code max_queue_delay_microseconds}):
 *
 * <ul>
 *   <li>A request is a batch {@code [n, ...sample]} of one or more samples. Requests wait in one
 *       queue in arrival order. A batch is formed from the oldest request and the requests after
 *       it that have the <b>same sample shape</b> (requests of different shapes are never merged),
 *       up to {@code maxBatch} samples in all; it is dispatched as soon as it is full (the next
 *       request of that shape would not fit) or the oldest request has waited {@code maxDelay},
 *       whichever comes first. With {@code maxDelay} 0 (the default, as Triton's), whatever is
 *       queued when a worker becomes free is run at once: batches form only under load, and an
 *       idle predictor adds no latency.
 *   <li>A request larger than {@code maxBatch} is run alone, never split.
 *   <li>The queue holds at most {@code queueCapacity} requests; beyond that {@link #submit} fails
 *       at once with {@link PredictionRejectedException} ({@link
 *       PredictionRejectedException.Reason#QUEUE_FULL QUEUE_FULL}) instead of letting latency
 *       grow without bound.
 *   <li>A request may carry a timeout. If it is still queued when the timeout passes it is failed
 *       ({@link PredictionRejectedException.Reason#DEADLINE_EXCEEDED DEADLINE_EXCEEDED}) and never
 *       run; one already in a running batch gets its result.
 *   <li>{@code instances} worker threads run batches, each one batch at a time (Triton's
 *       {@code instance_count}); {@link Network#forward} is thread-safe, so they share one network.
 *   <li>{@link #close()} stops accepting requests, runs everything already queued (without waiting
 *       for {@code maxDelay}) and returns when the workers are done.
 * </ul>
 *
 * <p>Thread safety: every method may be called from any thread. Input arrays must not be changed
 * until their future completes. Results are new arrays owned by the caller.
 */
public final class BatchingPredictor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingPredictor.class);

  private final String name;
  private final Function<INDArray, INDArray> forward;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final int queueCapacity;
  private final Duration defaultTimeout;
  private final BatchObserver observer;
  private final List<Thread> workers = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a request arrives or leaves the queue, or the predictor closes. */
  private final Condition changed = lock.newCondition();
  /** Requests not yet taken into a batch, oldest first. Guarded by {@link #lock}. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Guarded by {@link #lock}. */
  private boolean closed;

  private BatchingPredictor(Builder b) {
    this.name = b.name;
    this.forward = b.forward;
    this.maxBatch = b.maxBatch;
    this.maxDelayNanos = b.maxDelay.toNanos();
    this.queueCapacity = b.queueCapacity;
    this.defaultTimeout = b.defaultTimeout;
    this.observer = b.observer;
    for (int i = 0; i < b.instances; i++) {
      Thread worker = new Thread(this::work, "sequent-batcher-" + name + "-" + i);
      // Daemon: a service that forgets close() can still exit; close() is what drains.
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  /** A builder for a predictor over {@code network}, named after it. */
  public static Builder builder(Network network) {
    return new Builder(network.name(), network::forward);
  }

  /**
   * A builder for a predictor over any batch function (rows in, rows out, batch axis first), for
   * example a {@link Network}'s forward with pre- or post-processing around it.
   */
  public static Builder builder(String name, Function<INDArray, INDArray> forward) {
    return new Builder(name, forward);
  }

  /** The name given at construction (the network's name by default), used in thread names and messages. */
  public String name() {
    return name;
  }

  public int maxBatch() {
    return maxBatch;
  }

  /** The number of requests waiting to be taken into a batch. */
  public int queueDepth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #submit(INDArray, Duration)} with the default timeout (none unless the builder set one). */
  public CompletableFuture<INDArray> submit(INDArray samples) {
    return submit(samples, defaultTimeout);
  }

  /**
   * Queues {@code samples} ({@code [n, ...sample]}, batch axis first, float32; other types are
   * converted) and returns a future of the model's output for them ({@code [n, ...output]}).
   *
   * <p>The future fails with {@link PredictionRejectedException} when the queue is full, the
   * predictor is closed, or {@code timeout} passes while the request is still queued; with the
   * network's exception (for example {@link dev.sequent.runtime.InputShapeException}) when the
   * forward pass fails. Cancelling the future before a batch takes the request keeps it from
   * being run.
   *
   * @param timeout how long the request may wait in the queue; null for no limit
   * @throws IllegalArgumentException when {@code samples} has no batch axis or an empty one
   */
  public CompletableFuture<INDArray> submit(INDArray samples, Duration timeout) {
    Objects.requireNonNull(samples, "samples");
    if (samples.rank() < 1 || samples.size(0) < 1) {
      throw new IllegalArgumentException("a prediction needs a batch [n, ...sample] with n >= 1, got shape "
          + Arrays.toString(samples.shape()));
    }
    INDArray input = samples.dataType() == DataType.FLOAT ? samples : samples.castTo(DataType.FLOAT);
    Pending pending = new Pending(input, System.nanoTime());
    lock.lock();
    try {
      if (closed) {
        return rejected(pending, PredictionRejectedException.Reason.CLOSED,
            "predictor " + name + " is closed");
      }
      if (queue.size() >= queueCapacity) {
        return rejected(pending, PredictionRejectedException.Reason.QUEUE_FULL,
            "the queue of " + name + " is full (" + queueCapacity + " requests waiting); try again later");
      }
      queue.addLast(pending);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (timeout != null) {
      CompletableFuture.delayedExecutor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)
          .execute(() -> expire(pending, timeout));
    }
    return pending.result;
  }

  /**
   * Runs {@code samples} through the model in whatever batch forms, and waits for its rows.
   *
   * @throws PredictionRejectedException when the request was not run (see {@link #submit})
   * @throws RuntimeException the network's own exception when the forward pass failed
   */
  public INDArray predict(INDArray samples) {
    CompletableFuture<INDArray> result = submit(samples);
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a prediction from " + name, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Stops accepting requests, runs every queued one and waits for the workers to finish. */
  @Override
  public void close() {
    close(null);
  }

  /**
   * As {@link #close()}, waiting at most {@code timeout} (null: no limit). Requests still queued
   * when it passes are failed ({@link PredictionRejectedException.Reason#CLOSED CLOSED}); a batch
   * already running is not interrupted.
   *
   * @return whether everything queued was run within {@code timeout}
   */
  public boolean close(Duration timeout) {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    boolean drained = true;
    for (Thread worker : workers) {
      try {
        if (timeout == null) {
          worker.join();
        } else {
          long left = deadline - System.nanoTime();
          if (left > 0) {
            TimeUnit.NANOSECONDS.timedJoin(worker, left);
          }
          drained &= !worker.isAlive();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        drained = false;
        break;
      }
    }
    if (!drained) {
      failQueued();
    }
    return drained;
  }

  // ---------------------------------------------------------------- workers

  private void work() {
    try {
      for (List<Pending> batch = nextBatch(); batch != null; batch = nextBatch()) {
        run(batch);
      }
    } catch (InterruptedException e) {
      LOG.warn("batcher worker {} interrupted; it stops", Thread.currentThread().getName());
    }
  }

  /** The next batch to run, waiting as the batching rules say; null once closed and empty. */
  private List<Pending> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        queue.removeIf(p -> p.result.isDone()); // cancelled by their callers
        if (queue.isEmpty()) {
          if (closed) {
            return null;
          }
          changed.await();
          continue;
        }
        Pending oldest = queue.peekFirst();
        long waited = System.nanoTime() - oldest.enqueuedNanos;
        Gathered gathered = gather(oldest, false);
        if (gathered.full || closed || waited >= maxDelayNanos) {
          List<Pending> batch = gather(oldest, true).members;
          changed.signalAll(); // another worker may form the next batch from what is left
          return batch;
        }
        changed.awaitNanos(maxDelayNanos - waited);
      }
    } finally {
      lock.unlock();
    }
  }

  private record Gathered(List<Pending> members, boolean full) {}

  /**
   * The oldest request and the following ones of its sample shape that fit in {@code maxBatch},
   * in arrival order; removed from the queue when {@code take}. Full when no more can join: the
   * batch holds {@code maxBatch} samples, or the next request of that shape would not fit.
   */
  private Gathered gather(Pending oldest, boolean take) {
    List<Pending> members = new ArrayList<>();
    long samples = 0;
    boolean full = false;
    for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p != oldest && !Arrays.equals(p.sampleShape, oldest.sampleShape)) {
        continue;
      }
      if (p != oldest && samples + p.count > maxBatch) {
        full = true;
        break;
      }
      members.add(p);
      samples += p.count;
      if (take) {
        it.remove();
      }
      if (samples >= maxBatch) {
        full = true;
        break;
      }
    }
    return new Gathered(members, full);
  }

  private void run(List<Pending> batch) {
    int samples = batch.stream().mapToInt(p -> p.count).sum();
    long start = System.nanoTime();
    try {
      INDArray input = batch.size() == 1 ? batch.get(0).samples
          : Nd4j.concat(0, batch.stream().map(p -> p.samples).toArray(INDArray[]::new));
      INDArray output = forward.apply(input);
      if (output.rank() < 1 || output.size(0) != samples) {
        throw new IllegalStateException("the forward pass of " + name + " returned shape "
            + Arrays.toString(output.shape()) + " for a batch of " + samples + " samples");
      }
      long offset = 0;
      for (Pending p : batch) {
        p.result.complete(batch.size() == 1 ? output : rows(output, offset, p.count));
        offset += p.count;
      }
    } catch (RuntimeException | Error e) {
      if (e instanceof Error) {
        LOG.error("forward pass of {} failed", name, e);
      }
      batch.forEach(p -> p.result.completeExceptionally(e));
    } finally {
      long nanos = System.nanoTime() - start;
      try {
        observer.batchRun(samples, batch.size(), nanos);
      } catch (RuntimeException e) {
        LOG.warn("batch observer of {} failed", name, e);
      }
    }
  }

  /** Rows {@code [offset, offset + count)} of {@code output}, as a new array. */
  private static INDArray rows(INDArray output, long offset, int count) {
    INDArrayIndex[] index = new INDArrayIndex[output.rank()];
    index[0] = NDArrayIndex.interval(offset, offset + count);
    for (int i = 1; i < index.length; i++) {
      index[i] = NDArrayIndex.all();
    }
    return output.get(index).dup('c');
  }

  // ---------------------------------------------------------------- rejections

  private CompletableFuture<INDArray> rejected(Pending pending, PredictionRejectedException.Reason reason,
      String message) {
    pending.result.completeExceptionally(new PredictionRejectedException(reason, message));
    notifyRejected(reason);
    return pending.result;
  }

  private void expire(Pending pending, Duration timeout) {
    boolean wasQueued;
    lock.lock();
    try {
      wasQueued = queue.remove(pending);
      if (wasQueued) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (wasQueued && pending.result.completeExceptionally(new PredictionRejectedException(
        PredictionRejectedException.Reason.DEADLINE_EXCEEDED,
        "the request waited its whole timeout of " + timeout.toMillis() + " ms in the queue of " + name
            + " and was not run"))) {
      notifyRejected(PredictionRejectedException.Reason.DEADLINE_EXCEEDED);
    }
  }

  private void failQueued() {
    List<Pending> left;
    lock.lock();
    try {
      left = new ArrayList<>(queue);
      queue.clear();
    } finally {
      lock.unlock();
    }
    for (Pending p : left) {
      if (p.result.completeExceptionally(new PredictionRejectedException(PredictionRejectedException.Reason.CLOSED,
          "predictor " + name + " was closed before the request was run"))) {
        notifyRejected(PredictionRejectedException.Reason.CLOSED);
      }
    }
  }

  private void notifyRejected(PredictionRejectedException.Reason reason) {
    try {
      observer.rejected(reason);
    } catch (RuntimeException e) {
      LOG.warn("batch observer of {} failed", name, e);
    }
  }

  /** A queued request. */
  private static final class Pending {
    final INDArray samples;
    final long[] sampleShape;
    final int count;
    final long enqueuedNanos;
    final CompletableFuture<INDArray> result = new CompletableFuture<>();

    Pending(INDArray samples, long enqueuedNanos) {
      this.samples = samples;
      long[] shape = samples.shape();
      this.sampleShape = Arrays.copyOfRange(shape, 1, shape.length);
      this.count = Math.toIntExact(shape[0]);
      this.enqueuedNanos = enqueuedNanos;
    }
  }

  /** Options for a {@link BatchingPredictor}; each has Triton's meaning. */
  public static final class Builder {
    private final String name;
    private final Function<INDArray, INDArray> forward;
    private int maxBatch = 32;
    private Duration maxDelay = Duration.ZERO;
    private int queueCapacity = 1024;
    private int instances = 1;
    private Duration defaultTimeout;
    private BatchObserver observer = BatchObserver.NONE;

    private Builder(String name, Function<INDArray, INDArray> forward) {
      this.name = Objects.requireNonNull(name, "name");
      this.forward = Objects.requireNonNull(forward, "forward");
    }

    /** The most samples merged into one forward pass (default 32). */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /** How long the oldest queued request may wait for a batch to fill (default 0: no waiting). */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    /** The most requests waiting at once; more are rejected (default 1024). */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** The number of batches run at once, each on its own worker thread (default 1). */
    public Builder instances(int instances) {
      this.instances = instances;
      return this;
    }

    /** The queue timeout of requests submitted without one (default: none). */
    public Builder defaultTimeout(Duration defaultTimeout) {
      this.defaultTimeout = defaultTimeout;
      return this;
    }

    /** Told of every batch run and every rejection (for metrics). */
    public Builder observer(BatchObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * The predictor, its workers started.
     *
     * @throws IllegalArgumentException naming the option out of range
     */
    public BatchingPredictor build() {
      require(maxBatch >= 1, "maxBatch must be at least 1, got " + maxBatch);
      require(!maxDelay.isNegative(), "maxDelay must not be negative, got " + maxDelay);
      require(queueCapacity >= 1, "queueCapacity must be at least 1, got " + queueCapacity);
      require(instances >= 1, "instances must be at least 1, got " + instances);
      require(defaultTimeout == null || !defaultTimeout.isNegative(),
          "defaultTimeout must not be negative, got " + defaultTimeout);
      return new BatchingPredictor(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
