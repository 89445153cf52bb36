package dev.sequent.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one sample, without the batch axis ({@code [1, 28, 28]} for a channels-first MNIST
 * image, {@code [784]} for a flat vector). Immutable.
 */
public record Shape(List<Integer> dims) {

  public Shape {
    dims = List.copyOf(dims);
  }

  public static Shape of(int... dims) {
    return new Shape(Arrays.stream(dims).boxed().toList());
  }

  public int rank() {
    return dims.size();
  }

  /** Dimension {@code i}; negative indices count from the end, as in Python. */
  public int dim(int i) {
    return dims.get(i < 0 ? dims.size() + i : i);
  }

  public int last() {
    return dim(-1);
  }

  /** Number of values in one sample. */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  public int[] toArray() {
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The dimensions of a batch of {@code n} such samples, batch axis first (an ND4J / NumPy shape). */
  public long[] withBatch(long n) {
    long[] shape = new long[dims.size() + 1];
    shape[0] = n;
    for (int i = 0; i < dims.size(); i++) {
      shape[i + 1] = dims.get(i);
    }
    return shape;
  }

  /** This shape with dimension {@code i} (negative counts from the end) replaced by {@code value}. */
  public Shape with(int i, int value) {
    List<Integer> copy = new ArrayList<>(dims);
    copy.set(i < 0 ? dims.size() + i : i, value);
    return new Shape(copy);
  }

  /** {@code [1,28,28]}: the form used in diagnostics and summaries. */
  @Override
  public String toString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
  }

  /** {@code (None, 26, 26, 32)}: the form Keras prints. */
  public String toKerasString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "(None, ", ")"));
  }

  /** {@code [1, 32, 26, 26]}: the form torchinfo prints for a batch of {@code batch}. */
  public String toTorchString(int batch) {
    StringBuilder sb = new StringBuilder("[").append(batch);
    for (int d : dims) {
      sb.append(", ").append(d);
    }
    return sb.append(']').toString();
  }
}
