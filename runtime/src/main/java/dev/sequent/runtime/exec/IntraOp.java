package dev.sequent.runtime.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
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
   * Values (read or written) below which an op's work runs on its own thread: waking a parked
   * helper costs tens of microseconds on a loaded machine, more than ResNet-18's 4x4 and 2x2
   * layers at batch 1 take in all. Since the caller spins for its helpers' last chunks rather
   * than parking ({@link #run}), a hand-off to the spinning helper is cheap enough for ops of a
   * quarter of the 65536 values this was: MobileNetV2 at batch 1 went from 4.10 to 3.85 ms
   * (medians of 11 interleaved pairs, 2 threads), ResNet-18 64x64, LeNet-5 and the CNN at batch 1
   * unchanged within the noise.
   */
  public static final long MIN_VALUES_TO_SPLIT = 1 << 14;

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
    Helpers.submit(worker, Math.min(helpers, chunks - 1));
    worker.run();
    // The helpers' last chunks: spin before parking, as the helpers do between chunks. Parked,
    // the caller waited 39 us on average for the helper's wake-up: MobileNetV2 at batch 1 parked
    // 11185 times in 700 passes, 0.69 ms a pass waiting (0.22 spinning, parking 72 times).
    long until = System.nanoTime() + Helpers.SPIN_NANOS;
    while (done.getCount() > 0 && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
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

  /**
   * The helper threads (daemons, as many as a pass has asked for, made when first needed), fed
   * from one queue of workers. After its last worker a helper spins for {@link #SPIN_NANOS} before
   * it parks, so the next op of the same pass finds it awake: on this 2-core VM a parked thread
   * (the common {@code ForkJoinPool}'s, used before) took from 0.02 to 1.9 ms to start, and a 3x3
   * convolution's 32 pieces of 80 us each were then mostly run by the caller alone.
   */
  private static final class Helpers {
    /** How long an idle helper spins: longer than the gaps between a pass's ops, short against a pass. */
    static final long SPIN_NANOS = 100_000;

    private static final ConcurrentLinkedQueue<Runnable> QUEUE = new ConcurrentLinkedQueue<>();
    private static final List<Helper> THREADS = new ArrayList<>();
    private static volatile Helper[] started = new Helper[0];

    private Helpers() {}

    /** Queues {@code copies} runs of {@code worker}, waking a parked helper for each. */
    static void submit(Runnable worker, int copies) {
      Helper[] all = started.length >= copies ? started : grow(copies);
      for (int i = 0; i < copies; i++) {
        QUEUE.offer(worker);
        for (Helper h : all) {
          if (h.parked) {
            h.parked = false;
            LockSupport.unpark(h);
            break;
          }
        }
      }
    }

    private static synchronized Helper[] grow(int count) {
      while (THREADS.size() < count) {
        Helper h = new Helper("sequent-intra-op-" + (THREADS.size() + 1));
        THREADS.add(h);
        h.start();
      }
      started = THREADS.toArray(new Helper[0]);
      return started;
    }

    private static final class Helper extends Thread {
      /** Set by the helper before it parks, cleared by whoever wakes it. */
      volatile boolean parked;

      Helper(String name) {
        super(name);
        setDaemon(true);
      }

      @Override
      public void run() {
        while (true) {
          Runnable r = QUEUE.poll();
          if (r != null) {
            r.run(); // IntraOp's workers catch and hand on their own failures
            continue;
          }
          long until = System.nanoTime() + SPIN_NANOS;
          while (QUEUE.isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          if (!QUEUE.isEmpty()) {
            continue;
          }
          parked = true;
          // a worker queued after the flag was set finds it and unparks; one queued before is seen here
          if (QUEUE.isEmpty()) {
            LockSupport.park(this);
          }
          parked = false;
        }
      }
    }
  }
}
