package dev.sequent.runtime.exec;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native memory of intermediate values, reused from one layer and one call to the next: the
 * plan gives back each value once its last reader has run ({@link #give}), and the ops that make
 * large outputs take them from here ({@link #take}) instead of asking ND4J for a new array.
 *
 * <p>Why: a fresh ND4J array is written over once when it is made, and above glibc's mmap
 * threshold each one is a fresh mapping whose pages fault in one by one: a 4.8 MB array cost
 * 0.55 ms and a 16 MB one 9 ms here
 * (ResNet-18's stem convolution: 2.0 ms to make its output, 5.1 ms to fill it; docs/benchmarks.md,
 * "Third round"). A buffer taken from here is already mapped and is not cleared.
 *
 * <p>Buffers are matched by exact length (a model's layers at one batch size ask for the same
 * lengths on every call), shared by every thread and network of the JVM, and at most
 * {@link #maxBytes} are held; past that the oldest held buffers are freed. A buffer is handed to
 * one taker only, and nothing else keeps a reference to a value the plan gives back, so no two
 * live values ever share memory. The system property {@code sequent.buffers.maxBytes} (bytes; 0
 * turns reuse off) is read once.
 */
public final class ActivationBuffers {
  /** The property that caps the bytes held for reuse (default 1 GiB; 0: no reuse). */
  public static final String MAX_BYTES_PROPERTY = "sequent.buffers.maxBytes";

  /** Values below this many floats (64 KB) come from ND4J as before: they cost little to make. */
  static final long MIN_FLOATS = 1 << 14;

  private static final long MAX_BYTES = Long.getLong(MAX_BYTES_PROPERTY, 1L << 30);

  /**
   * A held buffer, compared by identity: ND4J's {@code DataBuffer.equals} compares values, which
   * the queues' {@code remove} must not do.
   */
  private static final class Held {
    final DataBuffer buffer;
    final long length;

    Held(DataBuffer buffer, long length) {
      this.buffer = buffer;
      this.length = length;
    }
  }

  private static final Map<Long, ArrayDeque<Held>> FREE = new HashMap<>();
  /** Every held buffer, oldest first: what is freed when the cap is reached. */
  private static final ArrayDeque<Held> AGE = new ArrayDeque<>();
  private static long heldBytes;

  private ActivationBuffers() {}

  /** The most bytes held for reuse. */
  public static long maxBytes() {
    return MAX_BYTES;
  }

  /** The bytes held for reuse now (for tests and measurements). */
  public static synchronized long heldBytes() {
    return heldBytes;
  }

  /**
   * A new c-ordered float32 array of {@code shape} whose values are undefined: a held buffer of
   * exactly its length where there is one, else a new array.
   */
  public static INDArray take(long... shape) {
    long length = 1;
    for (long d : shape) {
      length *= d;
    }
    if (length >= MIN_FLOATS && MAX_BYTES > 0) {
      DataBuffer b = poll(length);
      if (b != null) {
        return NdArrays.over(b, shape);
      }
    }
    return NdArrays.uninitialized(shape);
  }

  private static synchronized DataBuffer poll(long length) {
    ArrayDeque<Held> q = FREE.get(length);
    Held h = q == null ? null : q.pollLast();
    if (h == null) {
      return null;
    }
    AGE.remove(h);
    heldBytes -= length * Float.BYTES;
    return h.buffer;
  }

  /**
   * Takes back the memory of {@code a}, which no one reads any more: held for reuse when it is a
   * whole float32 buffer of its own (not a view of a larger one) and large enough, else freed.
   */
  public static void give(INDArray a) {
    give(a, MAX_BYTES);
  }

  /** {@link #give(INDArray)} with {@code cap} bytes held at most (tests check the eviction with a small one). */
  static void give(INDArray a, long cap) {
    if (a.isEmpty() || a.wasClosed()) {
      return;
    }
    DataBuffer b = a.data();
    long length = a.length();
    boolean whole = a.dataType() == DataType.FLOAT && !a.isView() && a.offset() == 0 && b.length() == length
        && !a.isAttached() && b.originalDataBuffer() == null;
    if (cap > 0 && whole && length >= MIN_FLOATS && length * Float.BYTES <= cap) {
      hold(b, length, cap);
      return;
    }
    a.close();
  }

  private static void hold(DataBuffer b, long length, long cap) {
    java.util.List<Held> evicted = new java.util.ArrayList<>();
    synchronized (ActivationBuffers.class) {
      Held h = new Held(b, length);
      FREE.computeIfAbsent(length, k -> new ArrayDeque<>()).addLast(h);
      AGE.addLast(h);
      heldBytes += length * Float.BYTES;
      for (Iterator<Held> it = AGE.iterator(); heldBytes > cap && it.hasNext(); ) {
        Held old = it.next();
        it.remove();
        FREE.get(old.length).remove(old);
        heldBytes -= old.length * Float.BYTES;
        evicted.add(old);
      }
    }
    for (Held old : evicted) {
      old.buffer.close();
    }
  }
}
