package dev.sequent.runtime.exec;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.cpu.nativecpu.buffer.LongBuffer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * New c-ordered float32 ND4J arrays for the values a pass makes, each shape's description built
 * once.
 *
 * <p>Why: ND4J builds a fresh shape description (a native buffer, its Java wrapper, a view of the
 * data buffer) for every array it makes, and that is most of what a small array costs: 8-10 us for
 * a 1x10 array through {@code Nd4j.createUninitialized}, against 2.5 us for the same data buffer
 * with a description made earlier (2 cores, AMD EPYC, nd4j-native 1.0.0-M2.1). A pass that returns
 * a classifier's 10 outputs spent half of its 16 us making the output. The description is
 * constant (ND4J itself hands out one native copy per shape, and an array's {@code close} frees its
 * data only), so every array of a shape can share one.
 *
 * <p>At most {@link #MAX_SHAPES} descriptions are kept; past that the cache starts again (a model
 * asks for a few shapes per batch size). Where the arrays are not nd4j-native's (another backend),
 * or for scalars and empty shapes, ND4J makes them as usual.
 */
public final class NdArrays {
  /** Shapes whose descriptions are kept. */
  static final int MAX_SHAPES = 1024;

  private static final ConcurrentHashMap<Key, Pair<DataBuffer, long[]>> DESCRIPTIONS = new ConcurrentHashMap<>();

  /** Whether this JVM's arrays are nd4j-native's, whose descriptions {@link NDArray} takes as given. */
  private static final boolean NATIVE_CPU = Nd4j.getShapeInfoProvider()
      .createShapeInformation(new long[] {1}, 'c', DataType.FLOAT).getFirst() instanceof LongBuffer
      && Nd4j.createUninitialized(DataType.FLOAT, new long[] {1}, 'c') instanceof NDArray;

  private NdArrays() {}

  /** A new array of {@code shape} whose values are undefined. */
  public static INDArray uninitialized(long... shape) {
    long length = length(shape);
    if (!shared(shape, length)) {
      return Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    }
    return over(Nd4j.createBuffer(DataType.FLOAT, length, false), shape);
  }

  /**
   * An array of {@code shape} over all of {@code data}, a float32 buffer of its own of exactly the
   * shape's length (not a view of a larger one).
   */
  public static INDArray over(DataBuffer data, long... shape) {
    long length = length(shape);
    if (data.length() != length || data.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("a buffer of " + data.length() + " " + data.dataType() + " values for a float "
          + Arrays.toString(shape) + " array");
    }
    if (!shared(shape, length)) {
      return Nd4j.create(data, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', DataType.FLOAT);
    }
    Pair<DataBuffer, long[]> d = description(shape);
    return new NDArray(data, (LongBuffer) d.getFirst(), d.getSecond());
  }

  /** Descriptions held now (for tests). */
  static int heldDescriptions() {
    return DESCRIPTIONS.size();
  }

  private static boolean shared(long[] shape, long length) {
    return NATIVE_CPU && shape.length > 0 && length > 0;
  }

  private static Pair<DataBuffer, long[]> description(long[] shape) {
    Key key = new Key(shape);
    Pair<DataBuffer, long[]> d = DESCRIPTIONS.get(key);
    if (d == null) {
      if (DESCRIPTIONS.size() >= MAX_SHAPES) {
        DESCRIPTIONS.clear();
      }
      d = DESCRIPTIONS.computeIfAbsent(new Key(shape.clone()),
          k -> Nd4j.getShapeInfoProvider().createShapeInformation(k.shape, 'c', DataType.FLOAT));
    }
    return d;
  }

  private static long length(long[] shape) {
    long length = 1;
    for (long s : shape) {
      length *= s;
    }
    return length;
  }

  /** A shape compared by value. */
  private static final class Key {
    final long[] shape;
    final int hash;

    Key(long[] shape) {
      this.shape = shape;
      this.hash = Arrays.hashCode(shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(shape, k.shape);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
