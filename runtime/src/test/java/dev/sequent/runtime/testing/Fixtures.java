package dev.sequent.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The committed reference files made by real Keras and PyTorch ({@code fixtures/generate.py}),
 * and the comparison the compatibility tests use.
 */
public final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  public static Path root() {
    String property = System.getProperty("sequent.fixtures");
    Path dir = property != null ? Path.of(property) : Path.of("..", "fixtures");
    if (!Files.isDirectory(dir)) {
      fail("fixtures directory not found: " + dir.toAbsolutePath());
    }
    return dir;
  }

  /** {@code fixtures/reference/<model>/<file>}. */
  public static Path reference(String model, String file) {
    Path p = root().resolve("reference").resolve(model).resolve(file);
    assertTrue(Files.isRegularFile(p), "missing fixture " + p);
    return p;
  }

  /** {@code fixtures/io/torch/<parts...>}, made by {@code fixtures/io/make_torch_io_fixtures.py}. */
  public static Path torchIo(String... parts) {
    Path p = root().resolve("io").resolve("torch");
    for (String part : parts) {
      p = p.resolve(part);
    }
    assertTrue(Files.exists(p), "missing fixture " + p);
    return p;
  }

  /** A {@code .npy} file as float32. */
  public static INDArray npy(Path file) {
    return Nd4j.createFromNpyFile(file.toFile()).castTo(DataType.FLOAT);
  }

  /**
   * The arrays fixture_kit saved for a case: {@code <stem>_<kind>_<i>.npy} for a model with several
   * inputs or outputs, else {@code <stem>_<kind>.npy}; {@code kind} is {@code input} or {@code output}.
   */
  public static List<INDArray> arrays(Path dir, String stem, String kind) {
    List<INDArray> out = new ArrayList<>();
    while (Files.exists(dir.resolve(stem + "_" + kind + "_" + out.size() + ".npy"))) {
      out.add(npy(dir.resolve(stem + "_" + kind + "_" + out.size() + ".npy")));
    }
    if (out.isEmpty()) {
      out.add(npy(dir.resolve(stem + "_" + kind + ".npy")));
    }
    return out;
  }

  public static INDArray npy(String model, String file) {
    return Nd4j.createFromNpyFile(reference(model, file).toFile()).castTo(DataType.FLOAT);
  }

  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /**
   * The first {@code n} rows of {@code a}, its rows repeated as needed, in one concatenation: with
   * the Vector API kernels a plan's Java limit reaches tens of thousands of samples, and growing the
   * batch one copy at a time allocated quadratically (native memory the GC does not see).
   */
  public static INDArray rows(INDArray a, int n) {
    int copies = (int) ((n + a.size(0) - 1) / a.size(0));
    INDArray[] parts = new INDArray[Math.max(1, copies)];
    java.util.Arrays.fill(parts, a);
    INDArray tiled = parts.length == 1 ? a : org.nd4j.linalg.factory.Nd4j.concat(0, parts);
    return tiled.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup('c');
  }

  /** NCHW batch from an NHWC one and back. */
  public static INDArray toChannelsFirst(INDArray nhwc) {
    return nhwc.rank() == 4 ? nhwc.permute(0, 3, 1, 2).dup('c') : nhwc;
  }

  public static INDArray toChannelsLast(INDArray nchw) {
    return nchw.rank() == 4 ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
  }

  /**
   * Asserts {@code actual} equals the framework's {@code expected} within 1e-5 absolute, or 1e-4
   * relative where values exceed 1 (the tolerance), and returns the largest difference.
   */
  public static double assertClose(INDArray expected, INDArray actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    float[] e = expected.dup('c').reshape(-1).toFloatVector();
    float[] a = actual.dup('c').reshape(-1).toFloatVector();
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      double diff = Math.abs(e[i] - a[i]);
      double allowed = Math.abs(e[i]) > 1 ? 1e-4 * Math.abs(e[i]) : 1e-5;
      worst = Math.max(worst, diff);
      if (!(diff <= allowed)) {
        fail(what + ": element " + i + " expected " + e[i] + " but got " + a[i] + " (diff " + diff + "); "
            + "expected starts " + Arrays.toString(Arrays.copyOf(e, Math.min(6, e.length))) + ", actual starts "
            + Arrays.toString(Arrays.copyOf(a, Math.min(6, a.length))));
      }
    }
    return worst;
  }

  /**
   * {@code forward} of the whole batch {@code x}, then of each sample alone (batches of one take the
   * plain-Java path where the model allows it), against the framework's {@code expected}, by
   * {@link #assertClose}.
   */
  public static void assertBatchAndEachSample(UnaryOperator<INDArray> forward, INDArray x, INDArray expected,
      String what) {
    assertClose(expected, forward.apply(x), what + " batch of " + x.size(0));
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), forward.apply(one), what + " sample " + i);
    }
  }

  /**
   * Asserts {@code actual} is {@code expected} exactly: the same data type and shape and the same
   * float32 values bit for bit ({@link Arrays#equals(float[], float[])} of the raw data), not ND4J's
   * tolerant {@code equals}.
   */
  public static void assertBitForBit(INDArray expected, INDArray actual, String what) {
    assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    float[] e = expected.dup('c').data().asFloat();
    float[] a = actual.dup('c').data().asFloat();
    assertEquals(expected.length(), e.length, what + ": expected length");
    assertEquals(actual.length(), a.length, what + ": length");
    if (!Arrays.equals(e, a)) {
      int i = Arrays.mismatch(e, a);
      fail(what + ": element " + i + " is " + a[i] + ", expected exactly " + e[i]);
    }
  }
}
