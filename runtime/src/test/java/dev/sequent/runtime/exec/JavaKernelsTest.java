package dev.sequent.runtime.exec;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both kernel sets ({@link JavaKernels#scalar()}, and {@link JavaKernels#vector()} where this JVM
 * has {@code jdk.incubator.vector}: the surefire execution {@code vector-kernels} runs this class
 * with the module, and fails if the vector kernels did not load) agree with a double-precision
 * reference, over sizes that leave every remainder of the vector blocks (rows not a multiple of
 * four, units shorter than a vector and between whole vectors, inputs past one depth block),
 * zeros in the inputs, and the
 * activations' saturated ends.
 */
class JavaKernelsTest {
  private static List<JavaKernels> kernels() {
    List<JavaKernels> all = new ArrayList<>();
    all.add(JavaKernels.scalar());
    JavaKernels.vector().ifPresent(all::add);
    return all;
  }

  @Test
  void theVectorKernelsLoadWhereTheModuleIsPresent() {
    boolean expected = Boolean.getBoolean("sequent.expectVectorKernels");
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertThat(JavaKernels.vector().isPresent()).as("vector kernels with the module").isEqualTo(present);
    if (expected) {
      assertThat(JavaKernels.active().description()).startsWith("vector");
    }
    if (!present) {
      assertThat(JavaKernels.active()).isSameAs(JavaKernels.scalar());
    }
  }

  @Test
  void denseMatchesADoubleReference() {
    Random random = new Random(7);
    int[][] sizes = {{1, 1, 1}, {1, 784, 128}, {3, 17, 5}, {4, 64, 512}, {5, 33, 70}, {8, 128, 512}, {9, 20, 47},
        {32, 64, 16}, {2, 3, 100},
        // past one depth block and one row block of the vector kernel (its partial sums go through
        // y), every width of its column blocks (four, two and one vectors) and a scalar tail, no inputs
        {6, 300, 131}, {13, 129, 112}, {261, 20, 35}, {7, 0, 20},
        // a classifier's head: every column past the last whole vector, four rows at a time and the rest
        {9, 600, 10}, {8, 128, 10},
        // the rows past the last four in pairs and alone, over two panels at once and over a
        // panel without a neighbour (three panels of four vectors and a tail at 16 lanes)
        {3, 70, 200}, {11, 40, 256}};
    for (int[] s : sizes) {
      int rows = s[0];
      int in = s[1];
      int units = s[2];
      float[] x = values(random, rows * in, 0.3);
      float[] w = values(random, in * units, 0);
      float[] bias = values(random, units, 0);
      for (boolean withBias : new boolean[] {true, false}) {
        double[] reference = new double[rows * units];
        for (int r = 0; r < rows; r++) {
          for (int u = 0; u < units; u++) {
            double acc = withBias ? bias[u] : 0;
            for (int k = 0; k < in; k++) {
              acc += (double) x[r * in + k] * w[k * units + u];
            }
            reference[r * units + u] = acc;
          }
        }
        for (JavaKernels k : kernels()) {
          float[] y = new float[rows * units];
          java.util.Arrays.fill(y, Float.NaN); // every value must be written
          k.dense(x, rows, in, w, withBias ? bias : null, units, y);
          assertClose(Nd4j.create(reference), Nd4j.create(y).castTo(DataType.DOUBLE), k.description() + " dense " + rows + "x" + in + "x" + units);
          float[] packedY = new float[rows * units];
          java.util.Arrays.fill(packedY, Float.NaN);
          float[] before = w.clone();
          k.dense(x, rows, k.pack(w, in, units), withBias ? bias : null, packedY);
          assertThat(packedY).as(k.description() + " dense on the packed kernel, " + rows + "x" + in + "x" + units)
              .isEqualTo(y);
          assertThat(w).as("packing leaves the kernel as it was").isEqualTo(before);
          // the same kernel written row by row into the packed layout (a convolution's patches):
          // the same layout as pack's, whatever stands in the columns not written
          float[] rowByRow = new float[in * units + 5];
          java.util.Arrays.fill(rowByRow, 7f);
          for (int r = 0; r < in; r++) {
            k.packRow(w, r * units, units, r, in, units, rowByRow);
          }
          float[] rowByRowY = new float[rows * units];
          k.dense(x, rows, new JavaKernels.PackedKernel(k, in, units, rowByRow), withBias ? bias : null, rowByRowY);
          assertThat(rowByRowY).as(k.description() + " dense on a kernel packed row by row, " + rows + "x" + in + "x"
              + units).isEqualTo(y);
          // each row alone: the same bits as among the rows around it (the vector kernel takes
          // four rows at a time, in the panels and in the columns past the last whole vector)
          for (int r = 0; r < rows; r++) {
            float[] alone = new float[units];
            k.dense(java.util.Arrays.copyOfRange(x, r * in, (r + 1) * in), 1, k.pack(w, in, units),
                withBias ? bias : null, alone);
            assertThat(alone).as(k.description() + " dense, row " + r + " alone, " + rows + "x" + in + "x" + units)
                .isEqualTo(java.util.Arrays.copyOfRange(y, r * units, (r + 1) * units));
          }
          // in column pieces of whole panels, as denseShared splits it among threads: the same bits
          int step = k.denseColumnStep();
          for (int per = step; per < units; per += 2 * step) {
            float[] piecesY = new float[rows * units];
            java.util.Arrays.fill(piecesY, Float.NaN);
            JavaKernels.PackedKernel packed = k.pack(w, in, units);
            for (int from = 0; from < units; from += per) {
              k.dense(x, rows, packed, withBias ? bias : null, piecesY, from, Math.min(units, from + per));
            }
            assertThat(piecesY).as(k.description() + " dense in pieces of " + per + " columns, " + rows + "x" + in + "x"
                + units).isEqualTo(y);
          }
          if (units > 1 && in > 0) {
            // a shorter row leaves its last columns as they were: only those outputs can change
            float[] partial = rowByRow.clone();
            k.packRow(new float[units], 0, units - 1, 0, in, units, partial);
            float[] partialY = new float[rows * units];
            k.dense(x, rows, new JavaKernels.PackedKernel(k, in, units, partial), withBias ? bias : null, partialY);
            for (int r = 0; r < rows; r++) {
              assertThat(partialY[r * units + units - 1]).as("the column packRow did not write").isEqualTo(y[r * units + units - 1]);
            }
          }
        }
      }
    }
  }

  /**
   * A product over ranges of rows (how {@link SmallKernels#denseShared} shares one whose column
   * panels do not split evenly) gives each row exactly the whole product's values, past whole
   * blocks of four rows and whole panels, and writes no row outside its range.
   */
  @Test
  void denseOverRowRangesMatchesTheWholeProductBitForBit() {
    Random random = new Random(14);
    for (int units : new int[] {10, 64, 150, 160}) {
      int rows = 13;
      int in = 70;
      float[] x = values(random, rows * in, 0.1);
      float[] w = values(random, in * units, 0);
      float[] bias = values(random, units, 0);
      for (JavaKernels k : kernels()) {
        JavaKernels.PackedKernel packed = k.pack(w, in, units);
        float[] whole = new float[rows * units];
        k.dense(x, rows, packed, bias, whole);
        float[] pieces = new float[rows * units];
        Arrays.fill(pieces, Float.NaN);
        for (int[] range : new int[][] {{0, 4}, {4, 9}, {9, 13}}) {
          k.dense(x, range[0], range[1], packed, bias, pieces, 0, units);
          for (int i = range[1] * units; i < rows * units; i++) {
            assertThat(pieces[i]).as(k.description() + " past rows " + range[1]).isNaN();
          }
        }
        assertThat(pieces).as(k.description() + " " + units + " units in three row ranges").isEqualTo(whole);
      }
    }
  }

  /** A packed kernel's layout is its kernel set's: the other set refuses it rather than misreading it. */
  @Test
  void aKernelPackedByOneSetIsRefusedByTheOther() {
    JavaKernels.vector().ifPresent(vector -> {
      float[] w = new float[3 * 40];
      JavaKernels.PackedKernel packed = vector.pack(w, 3, 40);
      assertThatThrownBy(() -> JavaKernels.scalar().dense(new float[3], 1, packed, null, new float[40]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed by the vector");
      JavaKernels.PackedKernel scalar = JavaKernels.scalar().pack(w, 3, 40);
      assertThatThrownBy(() -> vector.dense(new float[3], 1, scalar, null, new float[40]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed by the scalar");
    });
  }

  @Test
  void accumulateAndDotMatchADoubleReference() {
    Random random = new Random(11);
    for (int len : new int[] {1, 7, 16, 31, 64, 100}) {
      float[] src = values(random, 4 * len + 3, 0);
      float[] start = values(random, len + 2, 0);
      float[] a = values(random, 4, 0);
      double[] four = new double[len + 2];
      double[] one = new double[len + 2];
      for (int j = 0; j < len + 2; j++) {
        four[j] = start[j];
        one[j] = start[j];
      }
      double dot = 0;
      for (int j = 0; j < len; j++) {
        four[2 + j] = start[2 + j] + (double) a[0] * src[1 + j] + (double) a[1] * src[1 + len + j]
            + (double) a[2] * src[1 + 2 * len + j] + (double) a[3] * src[1 + 3 * len + j];
        one[1 + j] = start[1 + j] + (double) a[0] * src[3 + j];
        dot += (double) src[j] * src[2 + len + j];
      }
      for (JavaKernels k : kernels()) {
        float[] acc = start.clone();
        k.accumulate4(acc, 2, len, src, a[0], 1, a[1], 1 + len, a[2], 1 + 2 * len, a[3], 1 + 3 * len);
        assertClose(Nd4j.create(four), Nd4j.create(acc).castTo(DataType.DOUBLE),
            k.description() + " accumulate4 " + len);
        acc = start.clone();
        k.accumulate(acc, 1, len, src, a[0], 3);
        assertClose(Nd4j.create(one), Nd4j.create(acc).castTo(DataType.DOUBLE),
            k.description() + " accumulate " + len);
        assertClose(Nd4j.scalar(dot), Nd4j.scalar((double) k.dot(src, 0, src, 2 + len, len)),
            k.description() + " dot " + len);
      }
    }
  }

  /** A bias and a clamp on the way out: every length past whole vectors, NaN kept, a negative zero kept without bias. */
  @Test
  void shiftClampAddsTheShiftThenClamps() {
    Random random = new Random(13);
    for (int len : new int[] {1, 7, 16, 33, 100}) {
      float[] src = values(random, len + 3, 0);
      src[3] = Float.NaN;
      src[2] = -0f;
      for (float[] bounds : new float[][] {{0f, 6f}, {0f, Float.POSITIVE_INFINITY}, {-0.5f, 0.5f},
          {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}}) {
        for (float shift : new float[] {0.75f, -0f}) {
          for (JavaKernels k : kernels()) {
            float[] dst = new float[len + 5];
            k.shiftClamp(src, 2, len, shift, bounds[0], bounds[1], dst, 4);
            for (int j = 0; j < len; j++) {
              float expected = Math.max(bounds[0], Math.min(bounds[1], src[2 + j] + shift));
              assertThat(Float.floatToRawIntBits(dst[4 + j])).as(k.description() + " shiftClamp " + len + " at " + j)
                  .isEqualTo(Float.floatToRawIntBits(expected));
            }
            assertThat(dst[3]).isZero();
          }
        }
      }
    }
    // no bias on a linear layer: the sums unchanged, a negative zero's sign too
    float[] same = {-0f};
    JavaKernels.scalar().shiftClamp(same, 0, 1, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, same, 0);
    assertThat(Float.floatToRawIntBits(same[0])).isEqualTo(Float.floatToRawIntBits(-0f));
  }

  /**
   * A depthwise plane's taps: every length past whole vectors and blocks of four, taps at any
   * offset, in order, unclamped and clamped (as ReLU6, its lower bound reached, and as a Hardtanh,
   * both reached).
   */
  @Test
  void tapsMatchADoubleReference() {
    Random random = new Random(12);
    int[] starts = {0, 1, 2, 113, 114, 115, 226, 227, 228};
    float[][] bounds = {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, 6f}, {-0.5f, 0.5f}};
    for (int len : new int[] {1, 7, 16, 31, 64, 65, 100, 200, 1000}) {
      float[] src = values(random, len + 229, 0);
      float[] w = values(random, 11, 0);
      for (float[] b : bounds) {
        double[] expected = new double[len];
        for (int j = 0; j < len; j++) {
          double acc = -0.25;
          for (int t = 0; t < starts.length; t++) {
            acc += (double) w[2 + t] * src[starts[t] + j];
          }
          expected[j] = Math.max(b[0], Math.min(b[1], acc));
        }
        for (JavaKernels k : kernels()) {
          float[] out = new float[len + 1];
          k.taps(out, len, src, starts, w, 2, -0.25f, b[0], b[1]);
          String what = k.description() + " taps " + len + " in [" + b[0] + ", " + b[1] + "]";
          assertThat(out[len]).as(what).isZero();
          assertClose(Nd4j.create(expected), Nd4j.create(Arrays.copyOf(out, len)).castTo(DataType.DOUBLE), what);
        }
      }
    }
  }

  /**
   * A depthwise output position channels last: channel counts past whole pairs of vectors, single
   * vectors and the scalar tail, a border position's few taps and a full window's, unclamped and
   * clamped as ReLU6; nothing written outside the position's channels.
   */
  @Test
  void depthwiseChannelsLastMatchesADoubleReference() {
    Random random = new Random(13);
    int[] inputAt = {0, 1, 2, 5, 6, 7, 10, 11, 12};
    int[] tapOf = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    float[][] bounds = {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, 6f}};
    for (int channels : new int[] {1, 7, 16, 31, 32, 33, 48, 64, 81, 100, 960}) {
      float[] x = values(random, 3 + 13 * channels, 0);
      float[] w = values(random, 9 * channels, 0);
      float[] bias = values(random, channels, 0);
      for (int[] taps : new int[][] {{0, 9}, {4, 4}, {8, 1}}) {
        for (float[] b : bounds) {
          double[] expected = new double[channels];
          for (int c = 0; c < channels; c++) {
            double acc = bias[c];
            for (int k = taps[0]; k < taps[0] + taps[1]; k++) {
              acc += (double) x[3 + inputAt[k] * channels + c] * w[tapOf[k] * channels + c];
            }
            expected[c] = Math.max(b[0], Math.min(b[1], acc));
          }
          for (JavaKernels k : kernels()) {
            float[] y = new float[channels + 2];
            // in two blocks of channels, the second starting past whole vectors where there are any
            int split = Math.min(channels, 17);
            k.depthwiseChannelsLast(x, 3, inputAt, tapOf, taps[0], taps[1], channels, 0, split, w, bias, b[0], b[1], y, 1);
            k.depthwiseChannelsLast(x, 3, inputAt, tapOf, taps[0], taps[1], channels, split, channels, w, bias, b[0], b[1],
                y, 1);
            String what = k.description() + " depthwise channels last, " + channels + " channels, taps "
                + taps[0] + "+" + taps[1] + " in [" + b[0] + ", " + b[1] + "]";
            assertThat(y[0]).as(what).isZero();
            assertThat(y[channels + 1]).as(what).isZero();
            assertClose(Nd4j.create(expected), Nd4j.create(Arrays.copyOfRange(y, 1, channels + 1)).castTo(DataType.DOUBLE),
                what);
          }
        }
      }
    }
  }

  /**
   * A 3x3 depthwise window's positions inside the input, its weights held: exactly the general
   * form's values over the same taps listed in order (bit for bit), at stride 1 and 2 and
   * dilations of 1 and 2 (where stride and dilation are equal, neighbouring windows share their
   * input loads), over runs of positions past whole blocks of four and channel ranges past whole
   * vectors.
   */
  @Test
  void depthwise3x3ChannelsLastIsTheGeneralFormBitForBit() {
    Random random = new Random(15);
    int width = 24;
    for (int channels : new int[] {5, 16, 40, 96}) {
      float[] x = values(random, 9 * width * channels, 0);
      float[] w = values(random, 9 * channels, 0);
      float[] bias = values(random, channels, 0);
      for (int[] geometry : new int[][] {{1, 1}, {2, 1}, {1, 2}, {2, 2}}) {
        int stride = geometry[0];
        int dilation = geometry[1];
        for (int positions : new int[] {1, 3, 4, 5, 9}) {
          int[] inputAt = new int[9 * positions];
          int[] tapOf = new int[9 * positions];
          for (int i = 0; i < positions; i++) {
            for (int t = 0; t < 9; t++) {
              inputAt[9 * i + t] = (t / 3) * dilation * width + i * stride + (t % 3) * dilation + 1;
              tapOf[9 * i + t] = t;
            }
          }
          for (JavaKernels k : kernels()) {
            for (int[] range : new int[][] {{0, channels}, {Math.min(channels, 3), channels}}) {
              float[] general = new float[positions * channels];
              for (int i = 0; i < positions; i++) {
                k.depthwiseChannelsLast(x, 0, inputAt, tapOf, 9 * i, 9, channels, range[0], range[1], w, bias, 0f, 6f,
                    general, i * channels);
              }
              float[] held = new float[positions * channels];
              k.depthwise3x3ChannelsLast(x, channels, stride * channels, dilation * width * channels,
                  dilation * channels, positions, channels, range[0], range[1], w, bias, 0f, 6f, held, 0);
              assertThat(held).as(k.description() + " 3x3 depthwise, " + channels + " channels " + range[0] + "-"
                  + range[1] + ", " + positions + " positions, stride " + stride + ", dilation " + dilation)
                  .isEqualTo(general);
            }
          }
        }
      }
    }
  }

  /**
   * A max pooling plane's taps: every length past whole vectors and blocks of four, taps at any
   * offset, the maximum in tap order as Math.max takes it (NaN wins; compared as bits), nothing
   * written past the range.
   */
  @Test
  void maxTapsTakeTheLargestValueAndNaN() {
    Random random = new Random(13);
    int[] starts = {5, 0, 1, 113, 114, 115, 226, 227, 228};
    for (int len : new int[] {1, 7, 16, 33, 64, 65, 100, 1000}) {
      float[] src = values(random, len + 229, 0);
      src[114 + len / 2] = Float.NaN;
      src[5] = Float.NEGATIVE_INFINITY;
      for (JavaKernels k : kernels()) {
        float[] out = new float[len + 1];
        k.maxTaps(out, len, src, starts);
        for (int j = 0; j < len; j++) {
          float m = src[starts[0] + j];
          for (int t = 1; t < starts.length; t++) {
            m = Math.max(m, src[starts[t] + j]);
          }
          assertThat(Float.floatToIntBits(out[j])).as(k.description() + " maxTaps " + len + " at " + j)
              .isEqualTo(Float.floatToIntBits(m));
        }
        assertThat(out[len]).as("after the range").isZero();
      }
    }
  }

  /**
   * A row split into its even and odd values, every lane and the tails, bit for bit (NaNs with
   * their payloads, negative zeros), nothing written outside the ranges.
   */
  @Test
  void deinterleaveCopiesEvenAndOddValuesBitForBit() {
    Random random = new Random(23);
    for (int count : new int[] {1, 3, 7, 8, 9, 16, 17, 33, 56, 100}) {
      float[] src = values(random, 2 * count + 5, 0);
      src[3] = Float.intBitsToFloat(0x7fc0_1234);
      src[4 + count] = -0f;
      for (JavaKernels k : kernels()) {
        float[] evens = new float[count + 2];
        float[] odds = new float[count + 4];
        k.deinterleave(src, 3, count, evens, 1, odds, 2);
        String what = k.description() + ", " + count + " pairs";
        assertThat(evens[0]).as(what).isZero();
        assertThat(evens[count + 1]).as(what).isZero();
        assertThat(odds[0]).as(what).isZero();
        assertThat(odds[1]).as(what).isZero();
        assertThat(odds[count + 2]).as(what).isZero();
        assertThat(odds[count + 3]).as(what).isZero();
        for (int i = 0; i < count; i++) {
          assertThat(Float.floatToRawIntBits(evens[1 + i])).as(what + ", even " + i)
              .isEqualTo(Float.floatToRawIntBits(src[3 + 2 * i]));
          assertThat(Float.floatToRawIntBits(odds[2 + i])).as(what + ", odd " + i)
              .isEqualTo(Float.floatToRawIntBits(src[4 + 2 * i]));
        }
      }
    }
  }

  /**
   * The copies that may run past their ends: the run itself bit for bit (NaN payloads, negative
   * zeros), nothing written before it, and nothing past the run rounded up to {@link
   * JavaKernels#runMultiple} (half of it in pairs for the deinterleave); a fill writes exactly
   * {@code runMultiple} values.
   */
  @Test
  void copiesOverARunCopyItBitForBitAndWriteNoFurtherThanItsRounding() {
    Random random = new Random(29);
    for (int count : new int[] {0, 1, 3, 7, 8, 9, 14, 16, 17, 33, 63}) {
      for (JavaKernels k : kernels()) {
        int m = k.runMultiple();
        int run = (count + m - 1) / m * m;
        float[] src = values(random, 3 + 2 * run + 2 * m, 0);
        src[3] = Float.intBitsToFloat(0x7fc0_1234);
        src[4 + count / 2] = -0f;
        float[] dst = new float[2 + run + 4];
        java.util.Arrays.fill(dst, 42f);
        k.copyOver(src, 3, count, dst, 2);
        String what = k.description() + ", copy of " + count;
        assertThat(dst[0]).as(what).isEqualTo(42f);
        assertThat(dst[1]).as(what).isEqualTo(42f);
        for (int i = 0; i < count; i++) {
          assertThat(Float.floatToRawIntBits(dst[2 + i])).as(what + ", value " + i)
              .isEqualTo(Float.floatToRawIntBits(src[3 + i]));
        }
        for (int i = 2 + run; i < dst.length; i++) {
          assertThat(dst[i]).as(what + ", past its rounding at " + i).isEqualTo(42f);
        }
        int half = Math.max(1, m / 2);
        int pairs = (count + half - 1) / half * half;
        float[] evens = new float[1 + pairs + 3];
        float[] odds = new float[2 + pairs + 3];
        java.util.Arrays.fill(evens, 42f);
        java.util.Arrays.fill(odds, 42f);
        k.deinterleaveOver(src, 3, count, evens, 1, odds, 2);
        what = k.description() + ", " + count + " pairs";
        assertThat(evens[0]).as(what).isEqualTo(42f);
        assertThat(odds[0]).as(what).isEqualTo(42f);
        assertThat(odds[1]).as(what).isEqualTo(42f);
        for (int i = 0; i < count; i++) {
          assertThat(Float.floatToRawIntBits(evens[1 + i])).as(what + ", even " + i)
              .isEqualTo(Float.floatToRawIntBits(src[3 + 2 * i]));
          assertThat(Float.floatToRawIntBits(odds[2 + i])).as(what + ", odd " + i)
              .isEqualTo(Float.floatToRawIntBits(src[4 + 2 * i]));
        }
        for (int i = 1 + pairs; i < evens.length; i++) {
          assertThat(evens[i]).as(what + ", even past its rounding at " + i).isEqualTo(42f);
        }
        for (int i = 2 + pairs; i < odds.length; i++) {
          assertThat(odds[i]).as(what + ", odd past its rounding at " + i).isEqualTo(42f);
        }
      }
    }
    for (JavaKernels k : kernels()) {
      float[] dst = new float[k.runMultiple() + 2];
      k.fillOver(dst, 1, -0f);
      assertThat(dst[0]).isZero();
      assertThat(Float.floatToRawIntBits(dst[0])).as(k.description()).isZero();
      assertThat(Float.floatToRawIntBits(dst[dst.length - 1])).as(k.description()).isZero();
      for (int i = 1; i <= k.runMultiple(); i++) {
        assertThat(Float.floatToRawIntBits(dst[i])).as(k.description() + ", filled " + i)
            .isEqualTo(Float.floatToRawIntBits(-0f));
      }
    }
  }

  /**
   * The two steps of pooling in pairs: two rows combined (in place too) and pairs of columns, as
   * Math.max (NaN wins) or a sum, every lane and the tails, nothing written outside the range.
   */
  @Test
  void combineAndCombinePairsTakeTheMaxOrSumOfTheirInputs() {
    Random random = new Random(17);
    for (int len : new int[] {1, 7, 16, 17, 26, 33, 100}) {
      float[] a = values(random, len + 3, 0);
      float[] b = values(random, 2 * len + 5, 0);
      a[1 + len / 2] = Float.NaN;
      b[2 + len] = Float.NaN;
      for (boolean max : new boolean[] {true, false}) {
        for (JavaKernels k : kernels()) {
          float[] out = new float[len + 2];
          k.combine(a, 1, b, 2, len, max, out, 1);
          float[] inPlace = a.clone();
          k.combine(inPlace, 1, b, 2, len, max, inPlace, 1);
          float[] pairs = new float[len + 2];
          k.combinePairs(b, 3, len, max, pairs, 1);
          assertThat(out[0]).isZero();
          assertThat(out[len + 1]).isZero();
          assertThat(pairs[0]).isZero();
          assertThat(pairs[len + 1]).isZero();
          for (int j = 0; j < len; j++) {
            float expected = max ? Math.max(a[1 + j], b[2 + j]) : a[1 + j] + b[2 + j];
            float pair = max ? Math.max(b[3 + 2 * j], b[4 + 2 * j]) : b[3 + 2 * j] + b[4 + 2 * j];
            String what = k.description() + (max ? " max " : " sum ") + len + " at " + j;
            // compared as bits: NaN must come out as NaN
            assertThat(Float.floatToIntBits(out[1 + j])).as("combine, " + what).isEqualTo(Float.floatToIntBits(expected));
            assertThat(Float.floatToIntBits(inPlace[1 + j])).as("combine in place, " + what)
                .isEqualTo(Float.floatToIntBits(expected));
            assertThat(Float.floatToIntBits(pairs[1 + j])).as("combinePairs, " + what).isEqualTo(Float.floatToIntBits(pair));
          }
        }
      }
    }
  }

  /**
   * The direct convolution's block: every output channel of the block at every position of the
   * range is the sum over the steps, in order, of one fused multiply-add each, so both kernel sets
   * give exactly the bits of that sum (checked as bits); positions outside the range and rows past
   * the block are left alone. Ranges of one tile and of several, with and without a last short tile.
   */
  @Test
  void directConvolutionBlocksSumTheirStepsInOrder() {
    Random random = new Random(23);
    int block = JavaKernels.DIRECT_BLOCK;
    for (JavaKernels k : kernels()) {
      int tile = k.directTile();
      for (int tiles : new int[] {1, 3, 4, 7}) {
        for (int depth : new int[] {1, 9, 40}) {
          int from = 2 * tile;
          int to = from + tiles * tile;
          int pitch = to + 5;
          int[] offsets = new int[depth];
          for (int d = 0; d < depth; d++) {
            offsets[d] = random.nextInt(50);
          }
          float[] x = values(random, 50 + to, 0);
          float[] w = values(random, 3 + depth * block, 0);
          float[] y = values(random, 4 + (block + 1) * pitch, 0);
          float[] before = y.clone();
          k.directConv(x, offsets, depth, w, 3, from, to, y, 4, pitch);
          for (int i = 0; i < y.length; i++) {
            int c = (i - 4) / pitch;
            int q = (i - 4) % pitch;
            boolean written = i >= 4 && c < block && q >= from && q < to;
            float expected = before[i];
            if (written) {
              expected = 0f;
              for (int d = 0; d < depth; d++) {
                expected = Math.fma(w[3 + d * block + c], x[offsets[d] + q], expected);
              }
            }
            assertThat(Float.floatToIntBits(y[i])).as("%s, %d tiles, depth %d, value %d", k.description(), tiles, depth, i)
                .isEqualTo(Float.floatToIntBits(expected));
          }
        }
      }
    }
  }

  @Test
  void activationsMatchADoubleReference() {
    Random random = new Random(5);
    for (int len : new int[] {1, 5, 16, 40, 515}) {
      float[] x = values(random, len + 3, 0);
      for (int i = 0; i < x.length; i++) {
        x[i] *= 6; // past both saturations of tanh and sigmoid
      }
      x[0] = 0f;
      x[x.length - 1] = -100f;
      x[x.length - 2] = 100f;
      x[x.length / 2] = 1e-7f;
      double[] tanh = new double[x.length];
      double[] sigmoid = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        boolean inside = i >= 2 && i < 2 + len;
        tanh[i] = inside ? Math.tanh(x[i]) : x[i];
        sigmoid[i] = inside ? 1 / (1 + Math.exp(-x[i])) : x[i];
      }
      for (JavaKernels k : kernels()) {
        float[] t = x.clone();
        k.tanh(t, 2, len);
        assertClose(Nd4j.create(tanh), Nd4j.create(t).castTo(DataType.DOUBLE),
            k.description() + " tanh " + len);
        float[] s = x.clone();
        k.sigmoid(s, 2, len);
        assertClose(Nd4j.create(sigmoid), Nd4j.create(s).castTo(DataType.DOUBLE),
            k.description() + " sigmoid " + len);
      }
    }
  }

  /**
   * An LSTM step, the gates and states from offsets into their arrays (the values around them
   * untouched), units under, at and between whole vectors, gate sums past both saturations,
   * against a double reference of the same float sums.
   */
  @Test
  void lstmCellMatchesADoubleReference() {
    Random random = new Random(13);
    for (int units : new int[] {1, 5, 16, 20, 128}) {
      float[] a = values(random, 4 * units + 3, 0);
      float[] b = values(random, 4 * units + 1, 0);
      for (int i = 0; i < a.length; i++) {
        a[i] *= 12;
      }
      float[] cell = values(random, units + 4, 0);
      float[] state = values(random, units + 4, 0);
      double[] expectedCell = new double[cell.length];
      double[] expectedState = new double[state.length];
      for (int i = 0; i < cell.length; i++) {
        expectedCell[i] = cell[i];
        expectedState[i] = state[i];
      }
      for (int j = 0; j < units; j++) {
        double in = sigmoid(a[3 + j] + b[1 + j]);
        double forget = sigmoid(a[3 + units + j] + b[1 + units + j]);
        double candidate = Math.tanh(a[3 + 2 * units + j] + b[1 + 2 * units + j]);
        double out = sigmoid(a[3 + 3 * units + j] + b[1 + 3 * units + j]);
        double c = forget * cell[2 + j] + in * candidate;
        expectedCell[2 + j] = c;
        expectedState[2 + j] = out * Math.tanh(c);
      }
      for (JavaKernels k : kernels()) {
        float[] c = cell.clone();
        float[] h = state.clone();
        k.lstmCell(a, 3, b, 1, c, h, 2, units);
        assertClose(Nd4j.create(expectedCell), Nd4j.create(c).castTo(DataType.DOUBLE),
            k.description() + " LSTM cell state of " + units);
        assertClose(Nd4j.create(expectedState), Nd4j.create(h).castTo(DataType.DOUBLE),
            k.description() + " LSTM output of " + units);
      }
    }
  }

  private static double sigmoid(float v) {
    return 1 / (1 + Math.exp(-v));
  }

  /**
   * Softmax rows, from an offset into the array (the values before and after untouched), widths
   * under, at and between whole vectors, with values far apart, equal, and at negative infinity
   * (a causal mask's), against a double reference of the same scaled floats.
   */
  @Test
  void softmaxRowsMatchADoubleReference() {
    Random random = new Random(7);
    float scale = 0.25f;
    for (int width : new int[] {1, 5, 10, 16, 32, 40, 515}) {
      // rows narrower than a vector: enough of them for the vector kernel to take them all at once
      int rows = width < 16 ? 11 : 3;
      float[] x = values(random, rows * width + 4, 0);
      for (int i = 0; i < x.length; i++) {
        x[i] *= 40;
      }
      if (width > 1) {
        x[2 + width / 2] = Float.NEGATIVE_INFINITY;
      }
      Arrays.fill(x, 2 + width, 2 + 2 * width, 3f);
      double[] expected = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        expected[i] = x[i];
      }
      for (int r = 0; r < rows; r++) {
        int base = 2 + r * width;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = base; j < base + width; j++) {
          max = Math.max(max, x[j] * scale);
        }
        double sum = 0;
        for (int j = base; j < base + width; j++) {
          sum += Math.exp(x[j] * scale - max);
        }
        for (int j = base; j < base + width; j++) {
          expected[j] = Math.exp(x[j] * scale - max) / sum;
        }
      }
      for (JavaKernels k : kernels()) {
        float[] a = x.clone();
        k.softmaxRows(a, 2, rows, width, scale);
        assertClose(Nd4j.create(expected), Nd4j.create(a).castTo(DataType.DOUBLE),
            k.description() + " softmax rows of " + width);
        if (width > 1) {
          assertThat(a[2 + width / 2]).as(k.description() + " a masked position").isZero();
        }
      }
    }
  }

  /**
   * Layer normalisation, from an offset into the array (the values before and after untouched),
   * widths under, at and between whole vectors, rows near zero and far from it (1000 +- 0.01,
   * where a float sum of the raw values would move the mean), each of gamma and beta present or not.
   */
  @Test
  void layerNormMatchesADoubleReference() {
    Random random = new Random(11);
    for (int width : new int[] {1, 5, 16, 35, 64, 200}) {
      int rows = 3;
      float[] gamma = values(random, width, 0);
      float[] beta = values(random, width, 0);
      for (double offset : new double[] {0, 1000}) {
        float[] x = new float[rows * width + 4];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (offset + random.nextGaussian() * (offset == 0 ? 1 : 0.01));
        }
        for (int variant = 0; variant < 4; variant++) {
          float[] g = (variant & 1) == 0 ? gamma : null;
          float[] b = (variant & 2) == 0 ? beta : null;
          double[] expected = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            expected[i] = x[i];
          }
          for (int r = 0; r < rows; r++) {
            int base = 2 + r * width;
            double mean = 0;
            for (int k = 0; k < width; k++) {
              mean += x[base + k];
            }
            mean /= width;
            double var = 0;
            for (int k = 0; k < width; k++) {
              var += (x[base + k] - mean) * (x[base + k] - mean);
            }
            double inv = 1 / Math.sqrt(var / width + 1e-5);
            for (int k = 0; k < width; k++) {
              expected[base + k] = (x[base + k] - mean) * inv * (g == null ? 1 : g[k]) + (b == null ? 0 : b[k]);
            }
          }
          for (JavaKernels k : kernels()) {
            float[] y = x.clone();
            k.layerNorm(y, 2, rows, width, g, b, 1e-5);
            assertClose(Nd4j.create(expected), Nd4j.create(y).castTo(DataType.DOUBLE), k.description()
                + " layerNorm width " + width + ", offset " + offset + ", gamma " + (g != null) + ", beta " + (b != null));
          }
        }
      }
    }
  }

  /**
   * The element-wise activations of the plain-Java path: each kernel against the frameworks'
   * definition in double (GELU's erf through {@link Erf}, itself checked against real values in
   * {@code ErfTest}), over lengths that leave every vector remainder, both saturated ends, zeros
   * and a value far below float resolution; and the vector kernels within a few float ulps of the
   * scalar ones (the tolerance of {@code assertClose} alone is far looser).
   */
  @Test
  void pointwiseActivationsMatchADoubleReference() {
    Random random = new Random(9);
    for (int len : new int[] {1, 5, 16, 40, 515}) {
      float[] x = values(random, len + 3, 0.1);
      for (int i = 0; i < x.length; i++) {
        x[i] *= 7; // past relu6's top, GELU's and the hard sigmoid's flat ends
      }
      x[x.length - 1] = -100f;
      x[x.length - 2] = 100f;
      x[x.length / 2] = 1e-7f;
      x[(x.length + 1) / 3] = -3f;
      // perInput: absolute error allowed per unit of |x| on top of 4 ulps (GELU's 1 + erf cancels
      // towards 0 for negative x: 1 ulp of erf's float near -1, times x / 2)
      record Case(String name, java.util.function.DoubleUnaryOperator f,
          java.util.function.BiConsumer<JavaKernels, float[]> run, double perInput) {
        Case(String name, java.util.function.DoubleUnaryOperator f, java.util.function.BiConsumer<JavaKernels, float[]> run) {
          this(name, f, run, 0);
        }
      }
      double rootHalf = Math.sqrt(0.5);
      double c = Math.sqrt(2 / Math.PI);
      int from = 2;
      List<Case> cases = List.of(
          new Case("relu", v -> Math.max(v, 0), (k, a) -> k.relu(a, from, len)),
          new Case("leaky", v -> v < 0 ? 0.01 * v : v, (k, a) -> k.leakyRelu(a, from, len, 0.01f)),
          new Case("relu6", v -> Math.min(Math.max(v, 0), 6), (k, a) -> k.clamp(a, from, len, 0f, 6f)),
          new Case("hardtanh", v -> Math.min(Math.max(v, -1), 2), (k, a) -> k.clamp(a, from, len, -1f, 2f)),
          new Case("gelu", v -> 0.5 * v * (1 + Erf.erf(v * rootHalf)), (k, a) -> k.gelu(a, from, len, false), 3e-7),
          new Case("gelu tanh", v -> 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v))),
              (k, a) -> k.gelu(a, from, len, true), 3e-7),
          new Case("silu", v -> v / (1 + Math.exp(-v)), (k, a) -> k.silu(a, from, len)),
          new Case("hard sigmoid", v -> Math.min(Math.max(v + 3, 0), 6) / 6,
              (k, a) -> k.hardSigmoid(a, from, len, false)),
          new Case("hard silu", v -> v * Math.min(Math.max(v + 3, 0), 6) / 6,
              (k, a) -> k.hardSigmoid(a, from, len, true)));
      for (Case t : cases) {
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          expected[i] = i >= from && i < from + len ? t.f().applyAsDouble(x[i]) : x[i];
        }
        float[] scalar = x.clone();
        t.run().accept(JavaKernels.scalar(), scalar);
        for (JavaKernels k : kernels()) {
          float[] y = x.clone();
          t.run().accept(k, y);
          assertClose(Nd4j.create(expected), Nd4j.create(y).castTo(DataType.DOUBLE),
              k.description() + " " + t.name() + " " + len);
          for (int i = 0; i < y.length; i++) {
            double tolerance = 4 * Math.ulp(scalar[i]) + t.perInput() * Math.abs(x[i]);
            assertThat((double) Math.abs(y[i] - scalar[i])).as("%s %s(%s) at %d: %s vs scalar %s",
                k.description(), t.name(), x[i], i, y[i], scalar[i]).isLessThanOrEqualTo(tolerance);
          }
        }
      }
    }
  }

  /** Uniform in (-1, 1); a share {@code zeros} of them exactly zero (as after relu). */
  private static float[] values(Random random, int n, double zeros) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble() < zeros ? 0f : (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
