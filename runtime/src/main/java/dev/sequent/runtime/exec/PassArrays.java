package dev.sequent.runtime.exec;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The heap arrays of plain-Java passes, reused from one layer and one call to the next: the
 * plain-Java form of {@link ActivationBuffers}. A pass runs {@link #during} an arena of its own;
 * ops {@link #take} their outputs and temporaries from it and may {@link #give} their
 * temporaries back, and the plan gives each value back once its last reader has run.
 *
 * <p>Why: a new array is memory the collector hands out fresh, which the JVM clears before the
 * op writes it, both missing the caches. 25 arrays of 128 KB (what 16 samples of the benchmark's
 * Transformer make per call) cost 0.41 ms to allocate and touch here, and 0.08 ms to clear once
 * they are reused: a sixth of that pass's time.
 *
 * <p>An arena belongs to one pass on one thread at a time; it is lent from a shared pool of idle
 * arenas, so a JVM holds as many as it has passes in flight at once. Only arrays taken from the
 * pass's own arena are kept when given back (anything else, such as a parameter or an array an op
 * made itself, is ignored), each at most once, and the plan gives a value back only when no value
 * still alive is the same array: so no two live values ever share an array. An arena keeps at
 * most {@link #ARENA_BYTES} and all arenas together at most {@link #TOTAL_BYTES}; past that a
 * given-back array is left to the collector.
 */
public final class PassArrays {
  /** Arrays below this many floats (16 KB) come from {@code new}: the allocator's fast path serves them well. */
  static final int MIN_LENGTH = 1 << 12;
  /** The most bytes one arena holds for reuse. */
  static final long ARENA_BYTES = 32L << 20;
  /** The most bytes every arena together holds for reuse. */
  static final long TOTAL_BYTES = 256L << 20;

  /**
   * With {@code -Dsequent.passArrays.poison=true}, every array taken is first filled with NaN: an op
   * that reads a value it did not write then shows in its outputs (the test suite runs with it).
   */
  private static final boolean POISON = Boolean.getBoolean("sequent.passArrays.poison");

  private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();
  private static final ConcurrentLinkedQueue<Arena> IDLE = new ConcurrentLinkedQueue<>();
  private static final AtomicLong HELD_BYTES = new AtomicLong();

  private PassArrays() {}

  /** One pass's arrays: the free ones by length, and the ones it has taken and not given back. */
  private static final class Arena {
    final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    final Set<float[]> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    long heldBytes;
  }

  /**
   * Runs {@code pass} on this thread with an arena of its own, then ends it: arrays still taken (the
   * pass's outputs) are the caller's to keep. A pass inside another (an op that runs a plan of
   * its own) gets an arena of its own, and the outer one is current again afterwards.
   */
  public static <T> T during(Supplier<T> pass) {
    Arena outer = CURRENT.get();
    Arena arena = IDLE.poll();
    if (arena == null) {
      arena = new Arena();
    }
    CURRENT.set(arena);
    try {
      return pass.get();
    } finally {
      arena.taken.clear();
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
      IDLE.add(arena);
    }
  }

  /**
   * An array of {@code length} floats whose values are whatever it held before: the caller writes
   * every value it later reads. Outside a pass, or for short arrays, a new one.
   */
  public static float[] take(int length) {
    if (length < MIN_LENGTH) {
      return new float[length];
    }
    Arena arena = CURRENT.get();
    if (arena == null) {
      return new float[length];
    }
    ArrayDeque<float[]> free = arena.free.get(length);
    float[] a = free == null ? null : free.poll();
    if (a == null) {
      a = new float[length];
    } else {
      long bytes = 4L * length;
      arena.heldBytes -= bytes;
      HELD_BYTES.addAndGet(-bytes);
    }
    arena.taken.add(a);
    if (POISON) {
      Arrays.fill(a, Float.NaN);
    }
    return a;
  }

  /** {@link #take} with every value 0. */
  public static float[] takeZeroed(int length) {
    Arena arena = CURRENT.get();
    if (arena == null || length < MIN_LENGTH) {
      return new float[length];
    }
    float[] a = take(length);
    Arrays.fill(a, 0f);
    return a;
  }

  /** A copy of {@code a} in an array {@link #take}n. */
  public static float[] copyOf(float[] a) {
    float[] y = take(a.length);
    System.arraycopy(a, 0, y, 0, a.length);
    return y;
  }

  /**
   * Gives back an array this pass {@link #take took}, which nothing reads afterwards; any other
   * array, or one given back already, is ignored.
   */
  public static void give(float[] a) {
    Arena arena = CURRENT.get();
    if (arena == null || a == null || !arena.taken.remove(a)) {
      return;
    }
    long bytes = 4L * a.length;
    if (arena.heldBytes + bytes > ARENA_BYTES) {
      return;
    }
    if (HELD_BYTES.addAndGet(bytes) > TOTAL_BYTES) {
      HELD_BYTES.addAndGet(-bytes);
      return;
    }
    arena.heldBytes += bytes;
    arena.free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
  }
}
