package dev.sequent.runtime.io;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor as a weight file stores it: a name in the file's own naming ({@code 0.weight},
 * {@code conv2d/kernel:0}), its shape in the file's own layout, and float32 values in row-major
 * (C) order. Every format reader produces these; the mapping step turns them into model parameters.
 *
 * <p>The values are either a Java array, owned by this tensor once constructed (readers hand over
 * fresh arrays and nobody writes into them afterwards, which keeps a failed load from touching a
 * model's weights), or a read-only view of a memory-mapped file (float32 tensors of PyTorch zip
 * archives and safetensors files): those are copied once, straight into the model's ND4J array by
 * {@link #copyTo}, instead of into the Java heap first, which halves the memory a large load needs.
 */
public final class NamedTensor {
  private final String name;
  private final long[] shape;
  private final float[] data; // null when mapped
  private final FloatBuffer mapped; // null when in memory
  private final Path source; // the mapped file, for errors
  private final long sourceSize; // its size when it was read

  public NamedTensor(String name, long[] shape, float[] data) {
    this(name, shape, data, null, null, -1, data.length);
  }

  private NamedTensor(String name, long[] shape, float[] data, FloatBuffer mapped, Path source, long sourceSize,
      long count) {
    long expected = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor " + name + ": negative dimension in " + Arrays.toString(shape));
      }
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
          + " holds " + expected + " values but " + count + " were given");
    }
    this.name = name;
    this.shape = shape.clone();
    this.data = data;
    this.mapped = mapped;
    this.source = source;
    this.sourceSize = sourceSize;
  }

  /**
   * A tensor whose values stay in a memory-mapped file until used.
   *
   * @param values the values in row-major order, in the file's byte order (read-only)
   * @param source the mapped file, named when reading the mapping fails (the file truncated or
   *     replaced meanwhile)
   * @param sourceSize the file's size when it was mapped: a file of another size is refused
   *     before its pages are touched
   */
  public static NamedTensor mapped(String name, long[] shape, FloatBuffer values, Path source, long sourceSize) {
    return new NamedTensor(name, shape, null, values.asReadOnlyBuffer(), source, sourceSize, values.remaining());
  }

  public String name() {
    return name;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }

  /** The number of values. */
  public int size() {
    return data != null ? data.length : mapped.remaining();
  }

  /** Whether the values are read from a memory-mapped file when used. */
  public boolean isMapped() {
    return mapped != null;
  }

  /**
   * The values in row-major order. An in-memory tensor returns its own array (callers must not
   * modify it); a mapped one returns a fresh copy on every call.
   */
  public float[] data() {
    if (data != null) {
      return data;
    }
    float[] copy = new float[mapped.remaining()];
    readMapped(() -> mapped.duplicate().get(copy));
    return copy;
  }

  /** Copies the values, in row-major order, into {@code target} at its position (bulk). */
  public void copyTo(FloatBuffer target) {
    if (data != null) {
      target.put(data);
    } else {
      readMapped(() -> target.put(mapped.duplicate()));
    }
  }

  /** The same values under another name, without copying them. */
  public NamedTensor renamed(String newName) {
    return new NamedTensor(newName, shape, data, mapped, source, sourceSize, size());
  }

  private void readMapped(Runnable read) {
    long now;
    try {
      now = java.nio.file.Files.size(source);
    } catch (java.io.IOException e) {
      throw new WeightFileException(source, "tensor " + name + " could not be read: the file changed or became "
          + "unreadable after it was opened (" + e + ")", e);
    }
    if (now != sourceSize) {
      // touching pages past the new end would fault (SIGBUS), reported asynchronously by the JVM
      throw new WeightFileException(source, "tensor " + name + " could not be read: the file changed or became "
          + "unreadable after it was opened (" + sourceSize + " bytes then, " + now + " now)");
    }
    try {
      read.run();
    } catch (InternalError e) {
      // what a fault in a memory-mapped region becomes: the file was truncated or replaced
      throw new WeightFileException(source, "tensor " + name + " could not be read: the file changed or became "
          + "unreadable after it was opened (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String toString() {
    return "NamedTensor[" + name + " " + shapeString() + (isMapped() ? ", mapped" : "") + "]";
  }
}
