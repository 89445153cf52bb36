package dev.sequent.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs {@code chunks} independent pieces of work on the calling thread and up to {@code helpers}
 * workers of the common {@link ForkJoinPool}. Chunks are handed out from one counter: the caller
 * takes the next chunk whenever it is free, so it never waits for a helper that has not started
 * (a pool busy with other work, or slow to wake on a loaded machine, costs nothing but the
 * submission); it waits only for chunks a helper is already running. The first failure is rethrown
 * on the caller, after every started chunk has finished.
 */
final class ChunkRunner {
  private ChunkRunner() {}

  static void run(int chunks, int helpers, IntConsumer work) {
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
