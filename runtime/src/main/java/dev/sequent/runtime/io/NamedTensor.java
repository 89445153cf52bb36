package dev.sequent.runtime.io;

import java.util.Arrays;

/**
 * One tensor as a weight file stores it: a name in the file's own naming ({@code 0.weight},
 * {@code conv2d/kernel:0}), its shape in the file's own layout, and float32 values in row-major
 * (C) order. Every format reader produces these; the mapping step turns them into model parameters.
 *
 * <p>{@code data} is owned by this record once constructed: readers hand over fresh arrays and
 * nobody writes into them afterwards, which keeps a failed load from touching a model's weights.
 */
public record NamedTensor(String name, long[] shape, float[] data) {

  public NamedTensor {
    long expected = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor " + name + ": negative dimension in " + Arrays.toString(shape));
      }
      expected *= d;
    }
    if (expected != data.length) {
      throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
          + " holds " + expected + " values but " + data.length + " were given");
    }
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
