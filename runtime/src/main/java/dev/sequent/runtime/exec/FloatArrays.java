package dev.sequent.runtime.exec;

import dev.sequent.runtime.io.NamedTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between Java {@code float[]} and ND4J arrays. ND4J's own {@code Nd4j.create(float[])},
 * {@code toFloatVector()} and {@code data().asFloat()} move one element per call through an
 * indexer (about 20 ns each: 1 s per 50 M weights when loading or saving a large model); a copy
 * through the buffer's NIO view is a memcpy.
 */
public final class FloatArrays {
  private FloatArrays() {}

  /**
   * Slot {@code which} of a thread's scratch arrays, replaced by a new one where it holds fewer
   * than {@code size} values (its contents are then lost): kernels that reuse scratch between
   * calls keep their arrays in a {@code ThreadLocal<float[][]>}.
   */
  public static float[] grown(float[][] slots, int which, int size) {
    if (slots[which].length < size) {
      slots[which] = new float[size];
    }
    return slots[which];
  }

  /** The values of {@code a} in row-major order, as a fresh Java array. */
  public static float[] copyOf(INDArray a) {
    INDArray c = Elementwise.contiguous(a);
    float[] out = new float[Math.toIntExact(c.length())];
    if (out.length > 0) {
      Elementwise.buffer(c).get(0, out);
    }
    // The NIO view does not keep the array's native memory alive; the array must outlive the copy.
    java.lang.ref.Reference.reachabilityFence(c);
    return out;
  }

  /**
   * A new c-ordered float32 array of {@code shape} holding the tensor's values, copied once from
   * wherever they are (a Java array or a memory-mapped file).
   */
  public static INDArray of(NamedTensor values, long... shape) {
    if (values.size() == 0) {
      return Nd4j.create(DataType.FLOAT, shape, 'c');
    }
    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    values.copyTo(Elementwise.buffer(a));
    return a;
  }

  /**
   * A new c-ordered float32 array of {@code shape} holding {@code values} (row-major), in a reused
   * buffer where one is free ({@link ActivationBuffers#take}).
   */
  public static INDArray of(float[] values, long... shape) {
    if (values.length == 0) {
      return Nd4j.create(DataType.FLOAT, shape, 'c');
    }
    INDArray a = ActivationBuffers.take(shape);
    Elementwise.buffer(a).put(0, values);
    return a;
  }
}
