package dev.sequent.runtime.exec;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The intra-op threads of one forward pass, shared by the plan and the ops in it. The plan splits a
 * plain-Java pass into chunks of samples ({@link #run(int, int, IntConsumer)}); an op whose work
 * splits further on its own (a convolution's patches, depthwise planes) asks {@link #share},
 * which uses the helpers the plan gave this thread's pass ({@link #withHelpers}): none inside a
 * chunk that already runs beside others, so work never nests and the pass never runs more
 * threads than ND4J's intra-op setting.
 *
 * <p>{@link #run(int, int, IntConsumer)} runs {@code chunks} independent pieces of work on the
 * calling thread and up to {@code helpers} workers of the common {@link ForkJoinPool}. Chunks are
 * handed out from one counter: the caller
 * takes the next chunk whenever it is free, so it never waits for a helper that has not started
 * (a pool busy with other work, or slow to wake on a loaded machine, costs nothing but the
 * submission); it waits only for chunks a helper is already running. The first failure is rethrown
 * on the caller, after every started chunk has finished.
 */
public final class IntraOp {
  private IntraOp() {}

  /** Helpers this thread's op may use; -1: none set (an op called outside a plan's pass). */
  private static final ThreadLocal<int[]> HELPERS = ThreadLocal.withInitial(() -> new int[] {-1});

  /**
   * The helper threads an op running on this thread may use besides it: what the plan set for the
   * pass ({@link #withHelpers}), 0 inside a piece of work {@link #run(int, int, IntConsumer)} hands out, and ND4J's
   * intra-op threads less one for a thread no pass set.
   */
  public static int helpers() {
    int h = HELPERS.get()[0];
    return h >= 0 ? h : Math.max(0, org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads() - 1);
  }

  /** Runs {@code pass} with {@code helpers} helpers for the ops it calls on this thread. */
  public static <T> T withHelpers(int helpers, java.util.function.Supplier<T> pass) {
    int[] h = HELPERS.get();
    int before = h[0];
    h[0] = Math.max(0, helpers);
    try {
      return pass.get();
    } finally {
      h[0] = before;
    }
  }

  /**
   * Values (read or written) below which an op's work runs on its own thread: handing work to a
   * pool thread costs tens of microseconds on a loaded machine (waking it), more than ResNet-18's
   * 4x4 and 2x2 layers at batch 1 take in all.
   */
  public static final long MIN_VALUES_TO_SPLIT = 1 << 16;

  /**
   * {@code tasks} independent pieces of work on this thread and the helpers {@link #helpers}
   * allows, all on this thread when they touch fewer than {@link #MIN_VALUES_TO_SPLIT} values.
   */
  public static void share(int tasks, long values, IntConsumer work) {
    run(tasks, values < MIN_VALUES_TO_SPLIT ? 0 : helpers(), work);
  }

  /**
   * {@code chunks} independent pieces of work on this thread and up to {@code helpers} workers of
   * the common pool; work they run sees no helpers of its own ({@link #helpers} is 0 there).
   */
  public static void run(int chunks, int helpers, IntConsumer work) {
    if (chunks <= 1 || helpers <= 0) {
      for (int c = 0; c < chunks; c++) {
        work.accept(c);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(chunks);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      int[] h = HELPERS.get();
      int before = h[0];
      h[0] = 0;
      try {
        for (int c; (c = next.getAndIncrement()) < chunks; ) {
          try {
            if (failure.get() == null) {
              work.accept(c);
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            done.countDown();
          }
        }
      } finally {
        h[0] = before;
      }
    };
    ForkJoinPool pool = ForkJoinPool.commonPool();
    for (int h = 0; h < Math.min(helpers, chunks - 1); h++) {
      pool.execute(worker);
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the helpers still write into the caller's arrays: wait for them
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }
}
