package dev.sequent.runtime.exec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JavaKernels} on the JDK's Vector API ({@code jdk.incubator.vector}), in the CPU's widest
 * float vectors (16 lanes with AVX-512, 8 with AVX2). Only {@link JavaKernels.Selected} names this
 * class, reflectively, and only when the module is in the boot layer: nothing else may refer to it,
 * or the runtime would stop linking without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>No kernel branches on the data (the scalar dense product skips zero inputs; these do not):
 * a branch the JIT has not seen taken sends compiled vector code back to the interpreter.
 *
 * <p>The dense product keeps a block of the output in registers while it runs over the inputs
 * (four rows by four vectors of units: 16 accumulators, 4 weight vectors and a broadcast of the
 * 32 AVX-512 registers; narrower blocks where fewer columns are left, one row where fewer rows
 * are), one fused multiply-add per weight vector and row, so each weight vector is loaded once per
 * four rows rather than once per row. The kernel is read in {@link #pack}'s column panels, where
 * each input's weights for the block's columns are at a constant stride from the last input's (the
 * plain layout's stride, {@code units}, is a variable, and C2 then checks every vector load's
 * bounds: about a third of the product's time). It runs over the inputs in blocks of {@link #DEPTH_BLOCK}
 * (and the rows in blocks of {@link #ROW_BLOCK}), the partial sums going through {@code y}, so
 * a column panel's weights stay in the L1 cache while every row block reads them. Columns past the
 * last whole vector (all of a product narrower than a vector) are vectorised dot products over the
 * inputs, their weights stored transposed. {@code exp} is the Vector API's (the JIT's SVML stub on x86), accurate
 * to a few float ulps; tanh and erf are rational functions in plain lane arithmetic (see {@link #tanh(FloatVector)}).
 */
final class VectorKernels implements JavaKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final float SQRT_HALF = (float) Math.sqrt(0.5);
  private static final float GELU_TANH_SCALE = (float) Math.sqrt(2 / Math.PI);

  /**
   * Calls of each kernel in {@link #warmUp}: enough for the JIT's profile to see every branch taken.
   * 2000 (past C2's invocation thresholds) took 2.3-3.5 s on the loaded 2-core machine, most of it
   * vector code in the interpreter, and C2 still compiled the kernels only later, behind the rest
   * of the compile queue.
   */
  private static final int WARM_UP_CALLS = 200;

  /**
   * Inputs per pass of the dense product over a block of rows: one column panel's weights for this
   * many inputs (128 x 64 floats, 32 KiB) stay in the L1 cache while every row block of the pass
   * reads them. Without it a product with a long input (an im2col convolution's 2304 or 4608)
   * streamed the whole kernel from memory once per four rows: 49x4608x512 ran at 16 GF/s.
   */
  static final int DEPTH_BLOCK = 128;

  /** Rows per pass: their inputs for one depth block (256 x 128 floats, 128 KiB) stay in L2. */
  static final int ROW_BLOCK = 256;

  VectorKernels() {
    // With fewer lanes the Vector API runs without a SIMD unit, far slower than the plain loops.
    if (L < 4) {
      throw new UnsupportedOperationException("only " + L + " float lanes");
    }
    warmUp();
  }

  /**
   * Runs every kernel through every branch (rows past a multiple of four, each width of column
   * block and a scalar tail, with and without a bias, one depth block and two, lengths under and
   * over a vector) on tiny
   * arrays, once per JVM when the kernels load. Vector API code runs 50-100x slower than the
   * scalar loops until C2 compiles it (the interpreter and C1 box every vector), and a branch first
   * taken after C2 compiled a kernel (never seen in its profile) sends it back there for a while:
   * on the loaded 2-core machine an LSTM pass took 160 ms instead of 7 in the benchmark's first
   * case. With every branch in the profile, C2's code covers them all.
   */
  /** Three taps, for {@link #warmUp}. */
  private static final int[] TAP_WARM_UP_STARTS = {0, 1, 2};

  private void warmUp() {
    int units = 4 * L + 2 * L + L + 3;
    int in = 5;
    int rows = 5;
    // past one depth block, for the blocks that start from the partial sums (every tenth call:
    // the interpreter runs this 20x longer than the short one)
    int deep = DEPTH_BLOCK + 1;
    float[] x = new float[rows * deep];
    float[] w = new float[deep * units];
    float[] bias = new float[units];
    float[] y = new float[rows * units];
    float[] a = new float[2 * L + 3];
    float[] cell = new float[L + 3];
    float[] state = new float[L + 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 3) * 0.25f;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 5) * 0.125f - 0.25f;
    }
    for (int c = 0; c < WARM_UP_CALLS; c++) {
      dense(x, rows, in, w, (c & 1) == 0 ? bias : null, units, y);
      dense(x, 1, in, w, (c & 1) == 0 ? null : bias, units, y);
      dense(x, rows, in, w, bias, L, y); // one panel: pack's no-copy branch
      if (c % 10 == 0) {
        dense(x, rows, deep, w, (c & 1) == 0 ? bias : null, units, y);
      }
      accumulate4(y, 0, L + 3, w, 0.5f, 0, 0.25f, 1, 0.125f, 2, 1f, 3);
      accumulate(y, 1, L + 3, w, 0.5f, 2);
      combine(w, 0, x, 1, (c & 1) == 0 ? L + 3 : 3, (c & 2) == 0, y, 0);
      combinePairs(w, 1, (c & 1) == 0 ? L + 3 : 3, (c & 2) == 0, y, 0);
      deinterleave(w, 1, (c & 1) == 0 ? L + 3 : 3, y, 0, a, 0);
      deinterleaveOver(w, 1, (c & 1) == 0 ? L / 2 + 3 : 3, y, 0, a, 0);
      copyOver(w, 1, (c & 1) == 0 ? L + 3 : 3, y, 2);
      fillOver(y, 1, 0.5f);
      taps(y, (c & 1) == 0 ? 4 * L + L + 3 : 3, w, TAP_WARM_UP_STARTS, w, 1, 0.5f, (c & 2) == 0 ? 0f : -1f, 6f);
      maxTaps(y, (c & 1) == 0 ? 4 * L + L + 3 : 3, w, TAP_WARM_UP_STARTS);
      dot(w, 0, w, 3, (c & 1) == 0 ? L + 3 : 3);
      for (int i = 0; i < a.length; i++) {
        a[i] = i * 0.1f - 1f;
      }
      tanh(a, 0, L + 3);
      sigmoid(a, 1, L + 3);
      softmaxRows(a, 0, 2, (c & 1) == 0 ? L + 1 : 3, 0.5f);
      lstmCell(x, 0, x, 1, cell, state, 0, (c & 1) == 0 ? L + 3 : 3);
      layerNorm(a, 0, 2, L + 1, (c & 2) == 0 ? w : null, (c & 1) == 0 ? bias : null, 1e-5);
      relu(a, 0, L + 3);
      leakyRelu(a, 1, L + 3, 0.01f);
      clamp(a, 0, L + 3, 0f, 6f);
      gelu(a, 1, L + 3, (c & 1) == 0);
      silu(a, 0, L + 3);
      hardSigmoid(a, 1, L + 3, (c & 1) == 0);
    }
    // The direct convolution's tiles are C2-compiled here, not during a model's first calls: its
    // C1 form boxes every vector (50-100x slower), and C2 takes it up only after 600 calls and
    // 15000 loop iterations; LeNet-5's first benchmark case ran 1.4 ms a call instead of 0.1 while
    // it waited. 700 calls of 24 steps pass both thresholds.
    int[] directOffsets = new int[DIRECT_WARM_UP_DEPTH];
    for (int k = 0; k < directOffsets.length; k++) {
      directOffsets[k] = k % 3;
    }
    float[] directOut = new float[DIRECT_BLOCK * 4 * L];
    for (int c = 0; c < DIRECT_WARM_UP_CALLS; c++) {
      directConv(w, directOffsets, DIRECT_WARM_UP_DEPTH, w, 0, 0, 4 * L, directOut, 0, 4 * L);
    }
  }

  private static final int DIRECT_WARM_UP_CALLS = 3000;
  private static final int DIRECT_WARM_UP_DEPTH = 24;

  /**
   * The plain layout, packed for this call (a copy of {@code in * units} values, except where it is
   * one panel already): a kernel used more than once is faster {@link #pack}ed once.
   */
  @Override
  public void dense(float[] x, int rows, int in, float[] kernel, float[] bias, int units, float[] y) {
    dense(x, rows, pack(kernel, in, units), bias, y);
  }

  /**
   * Column panels in the order the product takes them: four vectors of columns while at least four
   * are left, then two, then one, then the columns past the last whole vector; the panel starting
   * at column {@code j} of width {@code w} holds, from {@code in * j}, its {@code w} columns of
   * each input in turn. A kernel of one panel is its plain layout, and is not copied (it must not
   * change afterwards).
   */
  @Override
  public PackedKernel pack(float[] kernel, int in, int units) {
    if (kernel.length < (long) in * units) {
      throw new IllegalArgumentException("a " + in + "x" + units + " kernel of " + kernel.length + " values");
    }
    int vectorColumns = units - units % L;
    if (units == 1 || (vectorColumns == units && panelWidth(units) == units)) {
      // one panel of one, two or four vectors (or one column): the plain layout already, no copy
      return new PackedKernel(this, in, units, kernel);
    }
    float[] packed = new float[in * units];
    for (int j = 0; j < vectorColumns;) {
      int width = panelWidth(units - j);
      int base = in * j;
      for (int k = 0; k < in; k++) {
        System.arraycopy(kernel, k * units + j, packed, base + k * width, width);
      }
      j += width;
    }
    for (int c = vectorColumns; c < units; c++) {
      int base = in * vectorColumns + (c - vectorColumns) * in;
      for (int k = 0; k < in; k++) {
        packed[base + k] = kernel[k * units + c];
      }
    }
    return new PackedKernel(this, in, units, packed);
  }

  /** Row {@code k}'s values panel by panel, as {@link #pack} lays them out (the tail columns transposed). */
  @Override
  public void packRow(float[] src, int from, int len, int k, int in, int units, float[] packed) {
    int vectorColumns = units - units % L;
    int j = 0;
    for (; j < Math.min(len, vectorColumns);) {
      int width = panelWidth(units - j);
      System.arraycopy(src, from + j, packed, in * j + k * width, Math.min(width, len - j));
      j += width;
    }
    for (int c = vectorColumns; c < len; c++) {
      packed[in * vectorColumns + (c - vectorColumns) * in + k] = src[from + c];
    }
  }

  /** The width of the panel that starts with {@code left} columns to go (see {@link #pack}). */
  private static int panelWidth(int left) {
    return left >= 4 * L ? 4 * L : left >= 2 * L ? 2 * L : left >= L ? L : left;
  }

  @Override
  public void dense(float[] x, int rows, PackedKernel kernel, float[] bias, float[] y) {
    dense(x, rows, kernel, bias, y, 0, kernel.units());
  }

  @Override
  public int denseColumnStep() {
    return 4 * L;
  }

  /**
   * Panels start at multiples of {@link #denseColumnStep} (four vectors each while four are left),
   * so a range that starts at one walks the same panels as the whole product does.
   */
  @Override
  public void dense(float[] x, int rowFrom, int rowTo, PackedKernel kernel, float[] bias, float[] y, int from,
      int to) {
    float[] w = kernel.checkedFor(this).values();
    int in = kernel.in();
    int units = kernel.units();
    int vectorColumns = units - units % L;
    int vectorEnd = Math.min(to, vectorColumns);
    for (int r0 = rowFrom; r0 < rowTo; r0 += ROW_BLOCK) {
      int r1 = Math.min(rowTo, r0 + ROW_BLOCK);
      // every block adds to y, which starts as the bias: no branch on the first block or the bias
      // in the blocks' code (a branch C2 has not seen taken sends compiled code back to the interpreter)
      for (int r = r0; r < r1 && from < vectorEnd; r++) {
        if (bias == null) {
          java.util.Arrays.fill(y, r * units + from, r * units + vectorEnd, 0f);
        } else {
          System.arraycopy(bias, from, y, r * units + from, vectorEnd - from);
        }
      }
      for (int k0 = 0; k0 < in; k0 += DEPTH_BLOCK) {
        int k1 = Math.min(in, k0 + DEPTH_BLOCK);
        for (int j = from; j < vectorEnd;) {
          int width = panelWidth(units - j);
          int base = in * j;
          if (width == 4 * L) {
            // the rows past the last four in pairs, a lone row over this panel and the next at
            // once: eight chains of sums in flight rather than four, so twice the kernel's
            // memory is read at a time (one row of a 512x512 kernel from memory: 7-8 GB/s with
            // four, 17-24 with eight); each output's sum in the same order either way
            boolean pair = j + 8 * L <= vectorEnd && panelWidth(units - j - 4 * L) == 4 * L;
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
              fourRowsFourVectors(x, r, in, w, base, units, y, j, k0, k1);
            }
            for (int p = r0; pair && p + 4 <= r1; p += 4) {
              fourRowsFourVectors(x, p, in, w, base + in * 4 * L, units, y, j + 4 * L, k0, k1);
            }
            for (; r + 2 <= r1; r += 2) {
              if (pair) {
                twoRowsTwoPanels(x, r, in, w, base, units, y, j, k0, k1);
              } else {
                twoRowsFourVectors(x, r, in, w, base, units, y, j, k0, k1);
              }
            }
            if (r < r1 && pair) {
              oneRowTwoPanels(x, r, in, w, base, units, y, j, k0, k1);
            } else if (r < r1) {
              oneRowFourVectors(x, r, in, w, base, units, y, j, k0, k1);
            }
            if (pair) {
              width = 8 * L;
            }
          } else if (width == 2 * L) {
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
              fourRowsTwoVectors(x, r, in, w, base, units, y, j, k0, k1);
            }
            for (; r < r1; r++) {
              oneRowTwoVectors(x, r, in, w, base, units, y, j, k0, k1);
            }
          } else {
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
              fourRowsOneVector(x, r, in, w, base, units, y, j, k0, k1);
            }
            for (; r < r1; r++) {
              oneRowOneVector(x, r, in, w, base, units, y, j, k0, k1);
            }
          }
          j += width;
        }
      }
    }
    if (vectorColumns < units && to == units) {
      tailColumns(x, rowFrom, rowTo, in, w, in * vectorColumns, bias, units, y, vectorColumns);
    }
  }

  private static void fourRowsFourVectors(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int y0 = r * units + j;
    int y1 = y0 + units;
    int y2 = y1 + units;
    int y3 = y2 + units;
    FloatVector a00 = FloatVector.fromArray(S, y, y0);
    FloatVector a01 = FloatVector.fromArray(S, y, y0 + L);
    FloatVector a02 = FloatVector.fromArray(S, y, y0 + 2 * L);
    FloatVector a03 = FloatVector.fromArray(S, y, y0 + 3 * L);
    FloatVector a10 = FloatVector.fromArray(S, y, y1);
    FloatVector a11 = FloatVector.fromArray(S, y, y1 + L);
    FloatVector a12 = FloatVector.fromArray(S, y, y1 + 2 * L);
    FloatVector a13 = FloatVector.fromArray(S, y, y1 + 3 * L);
    FloatVector a20 = FloatVector.fromArray(S, y, y2);
    FloatVector a21 = FloatVector.fromArray(S, y, y2 + L);
    FloatVector a22 = FloatVector.fromArray(S, y, y2 + 2 * L);
    FloatVector a23 = FloatVector.fromArray(S, y, y2 + 3 * L);
    FloatVector a30 = FloatVector.fromArray(S, y, y3);
    FloatVector a31 = FloatVector.fromArray(S, y, y3 + L);
    FloatVector a32 = FloatVector.fromArray(S, y, y3 + 2 * L);
    FloatVector a33 = FloatVector.fromArray(S, y, y3 + 3 * L);
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (4 * L);
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
      FloatVector b = FloatVector.broadcast(S, x[x0 + k]);
      a00 = w0.fma(b, a00);
      a01 = w1.fma(b, a01);
      a02 = w2.fma(b, a02);
      a03 = w3.fma(b, a03);
      b = FloatVector.broadcast(S, x[x1 + k]);
      a10 = w0.fma(b, a10);
      a11 = w1.fma(b, a11);
      a12 = w2.fma(b, a12);
      a13 = w3.fma(b, a13);
      b = FloatVector.broadcast(S, x[x2 + k]);
      a20 = w0.fma(b, a20);
      a21 = w1.fma(b, a21);
      a22 = w2.fma(b, a22);
      a23 = w3.fma(b, a23);
      b = FloatVector.broadcast(S, x[x3 + k]);
      a30 = w0.fma(b, a30);
      a31 = w1.fma(b, a31);
      a32 = w2.fma(b, a32);
      a33 = w3.fma(b, a33);
    }
    a00.intoArray(y, y0);
    a01.intoArray(y, y0 + L);
    a02.intoArray(y, y0 + 2 * L);
    a03.intoArray(y, y0 + 3 * L);
    a10.intoArray(y, y1);
    a11.intoArray(y, y1 + L);
    a12.intoArray(y, y1 + 2 * L);
    a13.intoArray(y, y1 + 3 * L);
    a20.intoArray(y, y2);
    a21.intoArray(y, y2 + L);
    a22.intoArray(y, y2 + 2 * L);
    a23.intoArray(y, y2 + 3 * L);
    a30.intoArray(y, y3);
    a31.intoArray(y, y3 + L);
    a32.intoArray(y, y3 + 2 * L);
    a33.intoArray(y, y3 + 3 * L);
  }

  private static void fourRowsTwoVectors(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int y0 = r * units + j;
    int y1 = y0 + units;
    int y2 = y1 + units;
    int y3 = y2 + units;
    FloatVector a00 = FloatVector.fromArray(S, y, y0);
    FloatVector a01 = FloatVector.fromArray(S, y, y0 + L);
    FloatVector a10 = FloatVector.fromArray(S, y, y1);
    FloatVector a11 = FloatVector.fromArray(S, y, y1 + L);
    FloatVector a20 = FloatVector.fromArray(S, y, y2);
    FloatVector a21 = FloatVector.fromArray(S, y, y2 + L);
    FloatVector a30 = FloatVector.fromArray(S, y, y3);
    FloatVector a31 = FloatVector.fromArray(S, y, y3 + L);
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (2 * L);
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector b = FloatVector.broadcast(S, x[x0 + k]);
      a00 = w0.fma(b, a00);
      a01 = w1.fma(b, a01);
      b = FloatVector.broadcast(S, x[x1 + k]);
      a10 = w0.fma(b, a10);
      a11 = w1.fma(b, a11);
      b = FloatVector.broadcast(S, x[x2 + k]);
      a20 = w0.fma(b, a20);
      a21 = w1.fma(b, a21);
      b = FloatVector.broadcast(S, x[x3 + k]);
      a30 = w0.fma(b, a30);
      a31 = w1.fma(b, a31);
    }
    a00.intoArray(y, y0);
    a01.intoArray(y, y0 + L);
    a10.intoArray(y, y1);
    a11.intoArray(y, y1 + L);
    a20.intoArray(y, y2);
    a21.intoArray(y, y2 + L);
    a30.intoArray(y, y3);
    a31.intoArray(y, y3 + L);
  }

  private static void fourRowsOneVector(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int y0 = r * units + j;
    int y1 = y0 + units;
    int y2 = y1 + units;
    int y3 = y2 + units;
    FloatVector a0 = FloatVector.fromArray(S, y, y0);
    FloatVector a1 = FloatVector.fromArray(S, y, y1);
    FloatVector a2 = FloatVector.fromArray(S, y, y2);
    FloatVector a3 = FloatVector.fromArray(S, y, y3);
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * L;
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      a0 = w0.fma(FloatVector.broadcast(S, x[x0 + k]), a0);
      a1 = w0.fma(FloatVector.broadcast(S, x[x1 + k]), a1);
      a2 = w0.fma(FloatVector.broadcast(S, x[x2 + k]), a2);
      a3 = w0.fma(FloatVector.broadcast(S, x[x3 + k]), a3);
    }
    a0.intoArray(y, y0);
    a1.intoArray(y, y1);
    a2.intoArray(y, y2);
    a3.intoArray(y, y3);
  }

  /** Two rows over one panel of four vectors: each weight read once for both. */
  private static void twoRowsFourVectors(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int y0 = r * units + j;
    int y1 = y0 + units;
    FloatVector a00 = FloatVector.fromArray(S, y, y0);
    FloatVector a01 = FloatVector.fromArray(S, y, y0 + L);
    FloatVector a02 = FloatVector.fromArray(S, y, y0 + 2 * L);
    FloatVector a03 = FloatVector.fromArray(S, y, y0 + 3 * L);
    FloatVector a10 = FloatVector.fromArray(S, y, y1);
    FloatVector a11 = FloatVector.fromArray(S, y, y1 + L);
    FloatVector a12 = FloatVector.fromArray(S, y, y1 + 2 * L);
    FloatVector a13 = FloatVector.fromArray(S, y, y1 + 3 * L);
    int x0 = r * in;
    int x1 = x0 + in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (4 * L);
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
      FloatVector b = FloatVector.broadcast(S, x[x0 + k]);
      a00 = w0.fma(b, a00);
      a01 = w1.fma(b, a01);
      a02 = w2.fma(b, a02);
      a03 = w3.fma(b, a03);
      b = FloatVector.broadcast(S, x[x1 + k]);
      a10 = w0.fma(b, a10);
      a11 = w1.fma(b, a11);
      a12 = w2.fma(b, a12);
      a13 = w3.fma(b, a13);
    }
    a00.intoArray(y, y0);
    a01.intoArray(y, y0 + L);
    a02.intoArray(y, y0 + 2 * L);
    a03.intoArray(y, y0 + 3 * L);
    a10.intoArray(y, y1);
    a11.intoArray(y, y1 + L);
    a12.intoArray(y, y1 + 2 * L);
    a13.intoArray(y, y1 + 3 * L);
  }

  /** Two rows over two adjacent panels of four vectors ({@code base} and the panel after it). */
  private static void twoRowsTwoPanels(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int y0 = r * units + j;
    int y1 = y0 + units;
    int next = base + in * 4 * L;
    FloatVector a0 = FloatVector.fromArray(S, y, y0);
    FloatVector a1 = FloatVector.fromArray(S, y, y0 + L);
    FloatVector a2 = FloatVector.fromArray(S, y, y0 + 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, y, y0 + 3 * L);
    FloatVector a4 = FloatVector.fromArray(S, y, y0 + 4 * L);
    FloatVector a5 = FloatVector.fromArray(S, y, y0 + 5 * L);
    FloatVector a6 = FloatVector.fromArray(S, y, y0 + 6 * L);
    FloatVector a7 = FloatVector.fromArray(S, y, y0 + 7 * L);
    FloatVector c0 = FloatVector.fromArray(S, y, y1);
    FloatVector c1 = FloatVector.fromArray(S, y, y1 + L);
    FloatVector c2 = FloatVector.fromArray(S, y, y1 + 2 * L);
    FloatVector c3 = FloatVector.fromArray(S, y, y1 + 3 * L);
    FloatVector c4 = FloatVector.fromArray(S, y, y1 + 4 * L);
    FloatVector c5 = FloatVector.fromArray(S, y, y1 + 5 * L);
    FloatVector c6 = FloatVector.fromArray(S, y, y1 + 6 * L);
    FloatVector c7 = FloatVector.fromArray(S, y, y1 + 7 * L);
    int x0 = r * in;
    int x1 = x0 + in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (4 * L);
      int wn = next + k * (4 * L);
      FloatVector b = FloatVector.broadcast(S, x[x0 + k]);
      FloatVector d = FloatVector.broadcast(S, x[x1 + k]);
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      a0 = w0.fma(b, a0);
      c0 = w0.fma(d, c0);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      a1 = w1.fma(b, a1);
      c1 = w1.fma(d, c1);
      FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
      a2 = w2.fma(b, a2);
      c2 = w2.fma(d, c2);
      FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
      a3 = w3.fma(b, a3);
      c3 = w3.fma(d, c3);
      FloatVector w4 = FloatVector.fromArray(S, w, wn);
      a4 = w4.fma(b, a4);
      c4 = w4.fma(d, c4);
      FloatVector w5 = FloatVector.fromArray(S, w, wn + L);
      a5 = w5.fma(b, a5);
      c5 = w5.fma(d, c5);
      FloatVector w6 = FloatVector.fromArray(S, w, wn + 2 * L);
      a6 = w6.fma(b, a6);
      c6 = w6.fma(d, c6);
      FloatVector w7 = FloatVector.fromArray(S, w, wn + 3 * L);
      a7 = w7.fma(b, a7);
      c7 = w7.fma(d, c7);
    }
    a0.intoArray(y, y0);
    a1.intoArray(y, y0 + L);
    a2.intoArray(y, y0 + 2 * L);
    a3.intoArray(y, y0 + 3 * L);
    a4.intoArray(y, y0 + 4 * L);
    a5.intoArray(y, y0 + 5 * L);
    a6.intoArray(y, y0 + 6 * L);
    a7.intoArray(y, y0 + 7 * L);
    c0.intoArray(y, y1);
    c1.intoArray(y, y1 + L);
    c2.intoArray(y, y1 + 2 * L);
    c3.intoArray(y, y1 + 3 * L);
    c4.intoArray(y, y1 + 4 * L);
    c5.intoArray(y, y1 + 5 * L);
    c6.intoArray(y, y1 + 6 * L);
    c7.intoArray(y, y1 + 7 * L);
  }

  /** One row over two adjacent panels of four vectors ({@code base} and the panel after it). */
  private static void oneRowTwoPanels(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int yo = r * units + j;
    int next = base + in * 4 * L;
    FloatVector a0 = FloatVector.fromArray(S, y, yo);
    FloatVector a1 = FloatVector.fromArray(S, y, yo + L);
    FloatVector a2 = FloatVector.fromArray(S, y, yo + 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, y, yo + 3 * L);
    FloatVector c0 = FloatVector.fromArray(S, y, yo + 4 * L);
    FloatVector c1 = FloatVector.fromArray(S, y, yo + 5 * L);
    FloatVector c2 = FloatVector.fromArray(S, y, yo + 6 * L);
    FloatVector c3 = FloatVector.fromArray(S, y, yo + 7 * L);
    int xo = r * in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (4 * L);
      int wn = next + k * (4 * L);
      FloatVector b = FloatVector.broadcast(S, x[xo + k]);
      a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
      a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
      a2 = FloatVector.fromArray(S, w, wo + 2 * L).fma(b, a2);
      a3 = FloatVector.fromArray(S, w, wo + 3 * L).fma(b, a3);
      c0 = FloatVector.fromArray(S, w, wn).fma(b, c0);
      c1 = FloatVector.fromArray(S, w, wn + L).fma(b, c1);
      c2 = FloatVector.fromArray(S, w, wn + 2 * L).fma(b, c2);
      c3 = FloatVector.fromArray(S, w, wn + 3 * L).fma(b, c3);
    }
    a0.intoArray(y, yo);
    a1.intoArray(y, yo + L);
    a2.intoArray(y, yo + 2 * L);
    a3.intoArray(y, yo + 3 * L);
    c0.intoArray(y, yo + 4 * L);
    c1.intoArray(y, yo + 5 * L);
    c2.intoArray(y, yo + 6 * L);
    c3.intoArray(y, yo + 7 * L);
  }

  private static void oneRowFourVectors(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int yo = r * units + j;
    FloatVector a0 = FloatVector.fromArray(S, y, yo);
    FloatVector a1 = FloatVector.fromArray(S, y, yo + L);
    FloatVector a2 = FloatVector.fromArray(S, y, yo + 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, y, yo + 3 * L);
    int xo = r * in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (4 * L);
      FloatVector b = FloatVector.broadcast(S, x[xo + k]);
      a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
      a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
      a2 = FloatVector.fromArray(S, w, wo + 2 * L).fma(b, a2);
      a3 = FloatVector.fromArray(S, w, wo + 3 * L).fma(b, a3);
    }
    a0.intoArray(y, yo);
    a1.intoArray(y, yo + L);
    a2.intoArray(y, yo + 2 * L);
    a3.intoArray(y, yo + 3 * L);
  }

  private static void oneRowTwoVectors(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int yo = r * units + j;
    FloatVector a0 = FloatVector.fromArray(S, y, yo);
    FloatVector a1 = FloatVector.fromArray(S, y, yo + L);
    int xo = r * in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * (2 * L);
      FloatVector b = FloatVector.broadcast(S, x[xo + k]);
      a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
      a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
    }
    a0.intoArray(y, yo);
    a1.intoArray(y, yo + L);
  }

  private static void oneRowOneVector(float[] x, int r, int in, float[] w, int base, int units,
      float[] y, int j, int k0, int k1) {
    int yo = r * units + j;
    FloatVector a = FloatVector.fromArray(S, y, yo);
    int xo = r * in;
    for (int k = k0; k < k1; k++) {
      int wo = base + k * L;
      a = FloatVector.fromArray(S, w, wo).fma(FloatVector.broadcast(S, x[xo + k]), a);
    }
    a.intoArray(y, yo);
  }

  /**
   * The columns past the last whole vector, each a vectorised dot product of a row with the
   * column's weights, which {@link #pack} stores transposed (contiguous over the inputs): a
   * classifier's 10 outputs are all tail, and as broadcast-and-add over 10 columns they were 37 %
   * of the CNN's samples at batch 1 (its 5408x10 layer). Four rows and two columns at a time, eight
   * sums in flight: one sum at a time waits on each multiply-add's latency (the CNN's 5408x10 head
   * ran at 11 GMAC/s at batch 32, the MLP's 128x10 head took a quarter of its pass). Each sum is
   * {@link #dot}'s, in its order, so the bits do not depend on the rows around it.
   */
  private void tailColumns(float[] x, int rowFrom, int rowTo, int in, float[] w, int base, float[] bias, int units,
      float[] y, int from) {
    // rows in blocks of four and columns in pairs where the inputs fill a vector, the rest one dot each
    int blocked = in >= L ? rowFrom + (rowTo - rowFrom) / 4 * 4 : rowFrom;
    int paired = from + (units - from) / 2 * 2;
    for (int r = rowFrom; r < blocked; r += 4) {
      for (int c = from; c < paired; c += 2) {
        fourRowsTwoDots(x, r, in, w, base + (c - from) * in, bias, units, y, c);
      }
    }
    for (int r = rowFrom; r < rowTo; r++) {
      for (int c = r < blocked ? paired : from; c < units; c++) {
        y[r * units + c] = (bias == null ? 0f : bias[c]) + dot(x, r * in, w, base + (c - from) * in, in);
      }
    }
  }

  /** {@link #tailColumns} for rows {@code r..r+3} and columns {@code c, c+1} ({@code in >= L}): {@link #dot}'s sums. */
  private static void fourRowsTwoDots(float[] x, int r, int in, float[] w, int wo, float[] bias, int units, float[] y,
      int c) {
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    int w1 = wo + in;
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = FloatVector.zero(S);
    FloatVector a10 = FloatVector.zero(S);
    FloatVector a11 = FloatVector.zero(S);
    FloatVector a20 = FloatVector.zero(S);
    FloatVector a21 = FloatVector.zero(S);
    FloatVector a30 = FloatVector.zero(S);
    FloatVector a31 = FloatVector.zero(S);
    int d = 0;
    for (; d + L <= in; d += L) {
      FloatVector b0 = FloatVector.fromArray(S, w, wo + d);
      FloatVector b1 = FloatVector.fromArray(S, w, w1 + d);
      FloatVector v0 = FloatVector.fromArray(S, x, x0 + d);
      FloatVector v1 = FloatVector.fromArray(S, x, x1 + d);
      FloatVector v2 = FloatVector.fromArray(S, x, x2 + d);
      FloatVector v3 = FloatVector.fromArray(S, x, x3 + d);
      a00 = v0.fma(b0, a00);
      a01 = v0.fma(b1, a01);
      a10 = v1.fma(b0, a10);
      a11 = v1.fma(b1, a11);
      a20 = v2.fma(b0, a20);
      a21 = v2.fma(b1, a21);
      a30 = v3.fma(b0, a30);
      a31 = v3.fma(b1, a31);
    }
    float s00 = a00.reduceLanes(VectorOperators.ADD);
    float s01 = a01.reduceLanes(VectorOperators.ADD);
    float s10 = a10.reduceLanes(VectorOperators.ADD);
    float s11 = a11.reduceLanes(VectorOperators.ADD);
    float s20 = a20.reduceLanes(VectorOperators.ADD);
    float s21 = a21.reduceLanes(VectorOperators.ADD);
    float s30 = a30.reduceLanes(VectorOperators.ADD);
    float s31 = a31.reduceLanes(VectorOperators.ADD);
    for (; d < in; d++) {
      s00 += x[x0 + d] * w[wo + d];
      s01 += x[x0 + d] * w[w1 + d];
      s10 += x[x1 + d] * w[wo + d];
      s11 += x[x1 + d] * w[w1 + d];
      s20 += x[x2 + d] * w[wo + d];
      s21 += x[x2 + d] * w[w1 + d];
      s30 += x[x3 + d] * w[wo + d];
      s31 += x[x3 + d] * w[w1 + d];
    }
    float bias0 = bias == null ? 0f : bias[c];
    float bias1 = bias == null ? 0f : bias[c + 1];
    int y0 = r * units + c;
    y[y0] = bias0 + s00;
    y[y0 + 1] = bias1 + s01;
    y[y0 + units] = bias0 + s10;
    y[y0 + units + 1] = bias1 + s11;
    y[y0 + 2 * units] = bias0 + s20;
    y[y0 + 2 * units + 1] = bias1 + s21;
    y[y0 + 3 * units] = bias0 + s30;
    y[y0 + 3 * units + 1] = bias1 + s31;
  }

  @Override
  public int directTile() {
    return L;
  }

  /**
   * Three vectors of positions at a time while they last (24 accumulators, 3 input vectors and a
   * broadcast of the 32 AVX-512 registers: each input vector feeds eight multiply-adds, each
   * broadcast weight three), then one vector at a time. The weights are read at a constant stride
   * ({@link #DIRECT_BLOCK}), so C2 checks their bounds once per loop; the inputs' offsets come from
   * a table, so each input vector load is checked.
   */
  @Override
  public void directConv(float[] x, int[] offsets, int depth, float[] w, int wAt, int from, int to, float[] y, int yAt,
      int pitch) {
    int q = from;
    for (; q + 3 * L <= to; q += 3 * L) {
      directThree(x, offsets, depth, w, wAt, q, y, yAt, pitch);
    }
    for (; q < to; q += L) {
      directOne(x, offsets, depth, w, wAt, q, y, yAt, pitch);
    }
  }

  /** {@link #directConv} for one tile of 3 vectors of positions at {@code q}: 24 accumulators. */
  private static void directThree(float[] x, int[] offsets, int depth, float[] w, int wAt, int q, float[] y, int yAt,
      int pitch) {
    // each accumulator its own zero: one vector shared by all of them as their start kept C2 from
    // keeping them in registers (boxed vectors, 1.8 against 60-110 GF/s, measured)
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = FloatVector.zero(S);
    FloatVector a02 = FloatVector.zero(S);
    FloatVector a10 = FloatVector.zero(S);
    FloatVector a11 = FloatVector.zero(S);
    FloatVector a12 = FloatVector.zero(S);
    FloatVector a20 = FloatVector.zero(S);
    FloatVector a21 = FloatVector.zero(S);
    FloatVector a22 = FloatVector.zero(S);
    FloatVector a30 = FloatVector.zero(S);
    FloatVector a31 = FloatVector.zero(S);
    FloatVector a32 = FloatVector.zero(S);
    FloatVector a40 = FloatVector.zero(S);
    FloatVector a41 = FloatVector.zero(S);
    FloatVector a42 = FloatVector.zero(S);
    FloatVector a50 = FloatVector.zero(S);
    FloatVector a51 = FloatVector.zero(S);
    FloatVector a52 = FloatVector.zero(S);
    FloatVector a60 = FloatVector.zero(S);
    FloatVector a61 = FloatVector.zero(S);
    FloatVector a62 = FloatVector.zero(S);
    FloatVector a70 = FloatVector.zero(S);
    FloatVector a71 = FloatVector.zero(S);
    FloatVector a72 = FloatVector.zero(S);
    for (int k = 0; k < depth; k++) {
      int o = offsets[k] + q;
      FloatVector x0 = FloatVector.fromArray(S, x, o);
      FloatVector x1 = FloatVector.fromArray(S, x, o + L);
      FloatVector x2 = FloatVector.fromArray(S, x, o + 2 * L);
      int wk = wAt + k * DIRECT_BLOCK;
      FloatVector b0 = FloatVector.broadcast(S, w[wk]);
      a00 = x0.fma(b0, a00);
      a01 = x1.fma(b0, a01);
      a02 = x2.fma(b0, a02);
      FloatVector b1 = FloatVector.broadcast(S, w[wk + 1]);
      a10 = x0.fma(b1, a10);
      a11 = x1.fma(b1, a11);
      a12 = x2.fma(b1, a12);
      FloatVector b2 = FloatVector.broadcast(S, w[wk + 2]);
      a20 = x0.fma(b2, a20);
      a21 = x1.fma(b2, a21);
      a22 = x2.fma(b2, a22);
      FloatVector b3 = FloatVector.broadcast(S, w[wk + 3]);
      a30 = x0.fma(b3, a30);
      a31 = x1.fma(b3, a31);
      a32 = x2.fma(b3, a32);
      FloatVector b4 = FloatVector.broadcast(S, w[wk + 4]);
      a40 = x0.fma(b4, a40);
      a41 = x1.fma(b4, a41);
      a42 = x2.fma(b4, a42);
      FloatVector b5 = FloatVector.broadcast(S, w[wk + 5]);
      a50 = x0.fma(b5, a50);
      a51 = x1.fma(b5, a51);
      a52 = x2.fma(b5, a52);
      FloatVector b6 = FloatVector.broadcast(S, w[wk + 6]);
      a60 = x0.fma(b6, a60);
      a61 = x1.fma(b6, a61);
      a62 = x2.fma(b6, a62);
      FloatVector b7 = FloatVector.broadcast(S, w[wk + 7]);
      a70 = x0.fma(b7, a70);
      a71 = x1.fma(b7, a71);
      a72 = x2.fma(b7, a72);
    }
    int r = yAt + q;
    a00.intoArray(y, r);
    a01.intoArray(y, r + L);
    a02.intoArray(y, r + 2 * L);
    r += pitch;
    a10.intoArray(y, r);
    a11.intoArray(y, r + L);
    a12.intoArray(y, r + 2 * L);
    r += pitch;
    a20.intoArray(y, r);
    a21.intoArray(y, r + L);
    a22.intoArray(y, r + 2 * L);
    r += pitch;
    a30.intoArray(y, r);
    a31.intoArray(y, r + L);
    a32.intoArray(y, r + 2 * L);
    r += pitch;
    a40.intoArray(y, r);
    a41.intoArray(y, r + L);
    a42.intoArray(y, r + 2 * L);
    r += pitch;
    a50.intoArray(y, r);
    a51.intoArray(y, r + L);
    a52.intoArray(y, r + 2 * L);
    r += pitch;
    a60.intoArray(y, r);
    a61.intoArray(y, r + L);
    a62.intoArray(y, r + 2 * L);
    r += pitch;
    a70.intoArray(y, r);
    a71.intoArray(y, r + L);
    a72.intoArray(y, r + 2 * L);
  }

  /** {@link #directConv} for one tile of 1 vector of positions at {@code q}: 8 accumulators. */
  private static void directOne(float[] x, int[] offsets, int depth, float[] w, int wAt, int q, float[] y, int yAt,
      int pitch) {
    // each accumulator its own zero: one vector shared by all of them as their start kept C2 from
    // keeping them in registers (boxed vectors, 1.8 against 60-110 GF/s, measured)
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a10 = FloatVector.zero(S);
    FloatVector a20 = FloatVector.zero(S);
    FloatVector a30 = FloatVector.zero(S);
    FloatVector a40 = FloatVector.zero(S);
    FloatVector a50 = FloatVector.zero(S);
    FloatVector a60 = FloatVector.zero(S);
    FloatVector a70 = FloatVector.zero(S);
    for (int k = 0; k < depth; k++) {
      int o = offsets[k] + q;
      FloatVector x0 = FloatVector.fromArray(S, x, o);
      int wk = wAt + k * DIRECT_BLOCK;
      FloatVector b0 = FloatVector.broadcast(S, w[wk]);
      a00 = x0.fma(b0, a00);
      FloatVector b1 = FloatVector.broadcast(S, w[wk + 1]);
      a10 = x0.fma(b1, a10);
      FloatVector b2 = FloatVector.broadcast(S, w[wk + 2]);
      a20 = x0.fma(b2, a20);
      FloatVector b3 = FloatVector.broadcast(S, w[wk + 3]);
      a30 = x0.fma(b3, a30);
      FloatVector b4 = FloatVector.broadcast(S, w[wk + 4]);
      a40 = x0.fma(b4, a40);
      FloatVector b5 = FloatVector.broadcast(S, w[wk + 5]);
      a50 = x0.fma(b5, a50);
      FloatVector b6 = FloatVector.broadcast(S, w[wk + 6]);
      a60 = x0.fma(b6, a60);
      FloatVector b7 = FloatVector.broadcast(S, w[wk + 7]);
      a70 = x0.fma(b7, a70);
    }
    int r = yAt + q;
    a00.intoArray(y, r);
    r += pitch;
    a10.intoArray(y, r);
    r += pitch;
    a20.intoArray(y, r);
    r += pitch;
    a30.intoArray(y, r);
    r += pitch;
    a40.intoArray(y, r);
    r += pitch;
    a50.intoArray(y, r);
    r += pitch;
    a60.intoArray(y, r);
    r += pitch;
    a70.intoArray(y, r);
  }

  @Override
  public void accumulate4(float[] acc, int at, int len, float[] src, float a0, int f0, float a1, int f1,
      float a2, int f2, float a3, int f3) {
    FloatVector b0 = FloatVector.broadcast(S, a0);
    FloatVector b1 = FloatVector.broadcast(S, a1);
    FloatVector b2 = FloatVector.broadcast(S, a2);
    FloatVector b3 = FloatVector.broadcast(S, a3);
    int j = 0;
    for (; j + L <= len; j += L) {
      FloatVector s = FloatVector.fromArray(S, acc, at + j);
      s = FloatVector.fromArray(S, src, f0 + j).fma(b0, s);
      s = FloatVector.fromArray(S, src, f1 + j).fma(b1, s);
      s = FloatVector.fromArray(S, src, f2 + j).fma(b2, s);
      s = FloatVector.fromArray(S, src, f3 + j).fma(b3, s);
      s.intoArray(acc, at + j);
    }
    for (; j < len; j++) {
      acc[at + j] += a0 * src[f0 + j] + a1 * src[f1 + j] + a2 * src[f2 + j] + a3 * src[f3 + j];
    }
  }

  @Override
  public void accumulate(float[] acc, int at, int len, float[] src, float a, int from) {
    FloatVector b = FloatVector.broadcast(S, a);
    int j = 0;
    for (; j + L <= len; j += L) {
      FloatVector.fromArray(S, src, from + j).fma(b, FloatVector.fromArray(S, acc, at + j)).intoArray(acc, at + j);
    }
    for (; j < len; j++) {
      acc[at + j] += a * src[from + j];
    }
  }

  @Override
  public void depthwiseChannelsLast(float[] x, int base, int[] inputAt, int[] tapOf, int from, int count,
      int channels, int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to) {
    int c = cFrom;
    int end = from + count;
    // four vectors of channels a step: four chains of sums in flight over the taps
    for (; c + 4 * L <= cTo; c += 4 * L) {
      FloatVector s0 = FloatVector.fromArray(S, bias, c);
      FloatVector s1 = FloatVector.fromArray(S, bias, c + L);
      FloatVector s2 = FloatVector.fromArray(S, bias, c + 2 * L);
      FloatVector s3 = FloatVector.fromArray(S, bias, c + 3 * L);
      for (int k = from; k < end; k++) {
        int xAt = base + inputAt[k] * channels + c;
        int wAt = tapOf[k] * channels + c;
        s0 = FloatVector.fromArray(S, x, xAt).fma(FloatVector.fromArray(S, w, wAt), s0);
        s1 = FloatVector.fromArray(S, x, xAt + L).fma(FloatVector.fromArray(S, w, wAt + L), s1);
        s2 = FloatVector.fromArray(S, x, xAt + 2 * L).fma(FloatVector.fromArray(S, w, wAt + 2 * L), s2);
        s3 = FloatVector.fromArray(S, x, xAt + 3 * L).fma(FloatVector.fromArray(S, w, wAt + 3 * L), s3);
      }
      s0.min(hi).max(lo).intoArray(y, to + c);
      s1.min(hi).max(lo).intoArray(y, to + c + L);
      s2.min(hi).max(lo).intoArray(y, to + c + 2 * L);
      s3.min(hi).max(lo).intoArray(y, to + c + 3 * L);
    }
    for (; c + L <= cTo; c += L) {
      FloatVector s0 = FloatVector.fromArray(S, bias, c);
      for (int k = from; k < end; k++) {
        s0 = FloatVector.fromArray(S, x, base + inputAt[k] * channels + c)
            .fma(FloatVector.fromArray(S, w, tapOf[k] * channels + c), s0);
      }
      s0.min(hi).max(lo).intoArray(y, to + c);
    }
    for (; c < cTo; c++) {
      float s0 = bias[c];
      for (int k = from; k < end; k++) {
        s0 = Math.fma(x[base + inputAt[k] * channels + c], w[tapOf[k] * channels + c], s0);
      }
      y[to + c] = Math.max(lo, Math.min(hi, s0));
    }
  }

  @Override
  public void depthwise3x3ChannelsLast(float[] x, int at, int step, int rowPitch, int colPitch, int positions,
      int channels, int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to) {
    int c = cFrom;
    // four positions at a time (four chains of sums in flight), a kernel row's three weights read
    // once for the four: 1.25 loads per multiply-add where the general form has two. One method
    // for all nine taps unrolled ran at a third of the speed: C2 stopped inlining the vector
    // operations in it and boxed them (docs/benchmarks.md, "Twelfth round")
    for (; c + L <= cTo; c += L) {
      int i = 0;
      for (; i + 4 <= positions; i += 4) {
        if (step == colPitch) {
          fourNeighbours3x3(x, at + i * step + c, step, rowPitch, w, channels, c, bias, lo, hi, y, to + i * channels + c);
        } else {
          fourPositions3x3(x, at + i * step + c, step, rowPitch, colPitch, w, channels, c, bias, lo, hi, y,
              to + i * channels + c);
        }
      }
      for (; i < positions; i++) {
        onePosition3x3(x, at + i * step + c, rowPitch, colPitch, w, channels, c, bias, lo, hi, y, to + i * channels + c);
      }
    }
    for (; c < cTo; c++) {
      for (int i = 0; i < positions; i++) {
        float s0 = bias[c];
        for (int t = 0; t < 9; t++) {
          s0 = Math.fma(x[at + i * step + (t / 3) * rowPitch + (t % 3) * colPitch + c], w[t * channels + c], s0);
        }
        y[to + i * channels + c] = Math.max(lo, Math.min(hi, s0));
      }
    }
  }

  /** {@link #depthwise3x3ChannelsLast} for one vector of channels of four positions from input {@code r}, output {@code out}. */
  private static void fourPositions3x3(float[] x, int r, int step, int rowPitch, int colPitch, float[] w, int channels,
      int c, float[] bias, float lo, float hi, float[] y, int out) {
    FloatVector s0 = FloatVector.fromArray(S, bias, c);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int ky = 0; ky < 3; ky++, r += rowPitch) {
      int wAt = 3 * ky * channels + c;
      FloatVector w0 = FloatVector.fromArray(S, w, wAt);
      FloatVector w1 = FloatVector.fromArray(S, w, wAt + channels);
      FloatVector w2 = FloatVector.fromArray(S, w, wAt + 2 * channels);
      s0 = FloatVector.fromArray(S, x, r).fma(w0, s0);
      s1 = FloatVector.fromArray(S, x, r + step).fma(w0, s1);
      s2 = FloatVector.fromArray(S, x, r + 2 * step).fma(w0, s2);
      s3 = FloatVector.fromArray(S, x, r + 3 * step).fma(w0, s3);
      s0 = FloatVector.fromArray(S, x, r + colPitch).fma(w1, s0);
      s1 = FloatVector.fromArray(S, x, r + step + colPitch).fma(w1, s1);
      s2 = FloatVector.fromArray(S, x, r + 2 * step + colPitch).fma(w1, s2);
      s3 = FloatVector.fromArray(S, x, r + 3 * step + colPitch).fma(w1, s3);
      s0 = FloatVector.fromArray(S, x, r + 2 * colPitch).fma(w2, s0);
      s1 = FloatVector.fromArray(S, x, r + step + 2 * colPitch).fma(w2, s1);
      s2 = FloatVector.fromArray(S, x, r + 2 * step + 2 * colPitch).fma(w2, s2);
      s3 = FloatVector.fromArray(S, x, r + 3 * step + 2 * colPitch).fma(w2, s3);
    }
    s0.min(hi).max(lo).intoArray(y, out);
    s1.min(hi).max(lo).intoArray(y, out + channels);
    s2.min(hi).max(lo).intoArray(y, out + 2 * channels);
    s3.min(hi).max(lo).intoArray(y, out + 3 * channels);
  }

  /**
   * {@link #fourPositions3x3} where neighbouring positions' windows overlap (stride 1, no
   * dilation): a kernel row's six input vectors read once for the four positions' twelve taps,
   * 0.75 loads per multiply-add, each position's sums in the same order.
   */
  private static void fourNeighbours3x3(float[] x, int r, int step, int rowPitch, float[] w, int channels, int c,
      float[] bias, float lo, float hi, float[] y, int out) {
    FloatVector s0 = FloatVector.fromArray(S, bias, c);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int ky = 0; ky < 3; ky++, r += rowPitch) {
      int wAt = 3 * ky * channels + c;
      FloatVector w0 = FloatVector.fromArray(S, w, wAt);
      FloatVector w1 = FloatVector.fromArray(S, w, wAt + channels);
      FloatVector w2 = FloatVector.fromArray(S, w, wAt + 2 * channels);
      FloatVector x0 = FloatVector.fromArray(S, x, r);
      FloatVector x1 = FloatVector.fromArray(S, x, r + step);
      FloatVector x2 = FloatVector.fromArray(S, x, r + 2 * step);
      FloatVector x3 = FloatVector.fromArray(S, x, r + 3 * step);
      FloatVector x4 = FloatVector.fromArray(S, x, r + 4 * step);
      FloatVector x5 = FloatVector.fromArray(S, x, r + 5 * step);
      s0 = x0.fma(w0, s0);
      s1 = x1.fma(w0, s1);
      s2 = x2.fma(w0, s2);
      s3 = x3.fma(w0, s3);
      s0 = x1.fma(w1, s0);
      s1 = x2.fma(w1, s1);
      s2 = x3.fma(w1, s2);
      s3 = x4.fma(w1, s3);
      s0 = x2.fma(w2, s0);
      s1 = x3.fma(w2, s1);
      s2 = x4.fma(w2, s2);
      s3 = x5.fma(w2, s3);
    }
    s0.min(hi).max(lo).intoArray(y, out);
    s1.min(hi).max(lo).intoArray(y, out + channels);
    s2.min(hi).max(lo).intoArray(y, out + 2 * channels);
    s3.min(hi).max(lo).intoArray(y, out + 3 * channels);
  }

  /** {@link #fourPositions3x3} for one position. */
  private static void onePosition3x3(float[] x, int r, int rowPitch, int colPitch, float[] w, int channels, int c,
      float[] bias, float lo, float hi, float[] y, int out) {
    FloatVector s0 = FloatVector.fromArray(S, bias, c);
    for (int ky = 0; ky < 3; ky++, r += rowPitch) {
      int wAt = 3 * ky * channels + c;
      s0 = FloatVector.fromArray(S, x, r).fma(FloatVector.fromArray(S, w, wAt), s0);
      s0 = FloatVector.fromArray(S, x, r + colPitch).fma(FloatVector.fromArray(S, w, wAt + channels), s0);
      s0 = FloatVector.fromArray(S, x, r + 2 * colPitch).fma(FloatVector.fromArray(S, w, wAt + 2 * channels), s0);
    }
    s0.min(hi).max(lo).intoArray(y, out);
  }

  @Override
  public void shiftClamp(float[] src, int from, int len, float shift, float lo, float hi, float[] dst, int to) {
    int j = 0;
    for (; j + L <= len; j += L) {
      FloatVector.fromArray(S, src, from + j).add(shift).min(hi).max(lo).intoArray(dst, to + j);
    }
    if (j < len) {
      JavaKernels.scalar().shiftClamp(src, from + j, len - j, shift, lo, hi, dst, to + j);
    }
  }

  @Override
  public void taps(float[] out, int len, float[] src, int[] starts, float[] w, int wAt, float bias, float lo,
      float hi) {
    int taps = starts.length;
    int j = 0;
    // four vectors of positions a step: each tap's weight broadcast once for the four
    for (; j + 4 * L <= len; j += 4 * L) {
      FloatVector s0 = FloatVector.broadcast(S, bias);
      FloatVector s1 = FloatVector.broadcast(S, bias);
      FloatVector s2 = FloatVector.broadcast(S, bias);
      FloatVector s3 = FloatVector.broadcast(S, bias);
      for (int t = 0; t < taps; t++) {
        FloatVector b = FloatVector.broadcast(S, w[wAt + t]);
        int o = starts[t] + j;
        s0 = FloatVector.fromArray(S, src, o).fma(b, s0);
        s1 = FloatVector.fromArray(S, src, o + L).fma(b, s1);
        s2 = FloatVector.fromArray(S, src, o + 2 * L).fma(b, s2);
        s3 = FloatVector.fromArray(S, src, o + 3 * L).fma(b, s3);
      }
      s0.min(hi).max(lo).intoArray(out, j);
      s1.min(hi).max(lo).intoArray(out, j + L);
      s2.min(hi).max(lo).intoArray(out, j + 2 * L);
      s3.min(hi).max(lo).intoArray(out, j + 3 * L);
    }
    for (; j + L <= len; j += L) {
      FloatVector s0 = FloatVector.broadcast(S, bias);
      for (int t = 0; t < taps; t++) {
        s0 = FloatVector.fromArray(S, src, starts[t] + j).fma(FloatVector.broadcast(S, w[wAt + t]), s0);
      }
      s0.min(hi).max(lo).intoArray(out, j);
    }
    // the last positions as the per-tap passes summed them: a multiply and an add
    for (; j < len; j++) {
      float acc = bias;
      for (int t = 0; t < taps; t++) {
        acc += w[wAt + t] * src[starts[t] + j];
      }
      out[j] = Math.max(lo, Math.min(hi, acc));
    }
  }

  /**
   * As {@link #taps}: four vectors of positions a step, each kept in a register across the taps,
   * where a pass over the plane per tap loaded and stored every maximum once per tap.
   * Lanewise MAX is Math.max per lane: NaN wins, as in the scalar loop.
   */
  @Override
  public void maxTaps(float[] out, int len, float[] src, int[] starts) {
    int taps = starts.length;
    int j = 0;
    for (; j + 4 * L <= len; j += 4 * L) {
      int o = starts[0] + j;
      FloatVector m0 = FloatVector.fromArray(S, src, o);
      FloatVector m1 = FloatVector.fromArray(S, src, o + L);
      FloatVector m2 = FloatVector.fromArray(S, src, o + 2 * L);
      FloatVector m3 = FloatVector.fromArray(S, src, o + 3 * L);
      for (int t = 1; t < taps; t++) {
        o = starts[t] + j;
        m0 = m0.max(FloatVector.fromArray(S, src, o));
        m1 = m1.max(FloatVector.fromArray(S, src, o + L));
        m2 = m2.max(FloatVector.fromArray(S, src, o + 2 * L));
        m3 = m3.max(FloatVector.fromArray(S, src, o + 3 * L));
      }
      m0.intoArray(out, j);
      m1.intoArray(out, j + L);
      m2.intoArray(out, j + 2 * L);
      m3.intoArray(out, j + 3 * L);
    }
    for (; j + L <= len; j += L) {
      FloatVector m0 = FloatVector.fromArray(S, src, starts[0] + j);
      for (int t = 1; t < taps; t++) {
        m0 = m0.max(FloatVector.fromArray(S, src, starts[t] + j));
      }
      m0.intoArray(out, j);
    }
    for (; j < len; j++) {
      float m = src[starts[0] + j];
      for (int t = 1; t < taps; t++) {
        m = Math.max(m, src[starts[t] + j]);
      }
      out[j] = m;
    }
  }

  @Override
  public void combine(float[] a, int ao, float[] b, int bo, int len, boolean max, float[] out, int oo) {
    int j = 0;
    for (; j + L <= len; j += L) {
      FloatVector x = FloatVector.fromArray(S, a, ao + j);
      FloatVector y = FloatVector.fromArray(S, b, bo + j);
      (max ? x.max(y) : x.add(y)).intoArray(out, oo + j);
    }
    if (max && j < len && len >= L && (out != a || oo == ao) && (out != b || oo == bo)) {
      // the last values as one more vector ending at len, over some already written: a max of the
      // same inputs writes them again unchanged (Math.max one by one cost 2-3 ns a value)
      j = len - L;
      FloatVector.fromArray(S, a, ao + j).max(FloatVector.fromArray(S, b, bo + j)).intoArray(out, oo + j);
      return;
    }
    for (; j < len; j++) {
      out[oo + j] = max ? Math.max(a[ao + j], b[bo + j]) : a[ao + j] + b[bo + j];
    }
  }

  /** Integer lanes of half this vector's width: a vector of floats read as pairs, then split into evens and odds. */
  private static final VectorSpecies<Integer> HALF_INTS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

  /**
   * Pairs of floats read as one long each: the low halves (little-endian: the even values) and the
   * high halves (the odd ones) narrowed into half-width vectors, then combined: a strided pair
   * loop ran at 3 ns an output (Math.max one by one), this at about 0.6.
   */
  @Override
  public void combinePairs(float[] src, int from, int count, boolean max, float[] out, int at) {
    int half = L / 2;
    int i = 0;
    if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
      for (; i + half <= count; i += half) {
        LongVector pairs = FloatVector.fromArray(S, src, from + 2 * i).reinterpretAsLongs();
        FloatVector even = ((IntVector) pairs.convertShape(VectorOperators.L2I, HALF_INTS, 0)).reinterpretAsFloats();
        FloatVector odd = ((IntVector) pairs.lanewise(VectorOperators.LSHR, 32)
            .convertShape(VectorOperators.L2I, HALF_INTS, 0)).reinterpretAsFloats();
        (max ? even.max(odd) : even.add(odd)).intoArray(out, at + i);
      }
    }
    for (; i < count; i++) {
      float x = src[from + 2 * i];
      float y = src[from + 2 * i + 1];
      out[at + i] = max ? Math.max(x, y) : x + y;
    }
  }

  /**
   * As {@link #combinePairs}, pairs read as longs and their halves narrowed, each half stored:
   * integer lanes, so every value's bits (a NaN's too) are copied unchanged. Splitting the rows of
   * a 96x112x112 input on one thread: 0.35 ns a value in the scalar pair loop, 0.12 here; in
   * MobileNetV2 at batch 1 its stride-2 layers about 20 % faster (docs/benchmarks.md, "Ninth
   * round").
   */
  @Override
  public void deinterleave(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo) {
    int half = L / 2;
    int i = 0;
    if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
      for (; i + half <= count; i += half) {
        pairsOf(src, from + 2 * i, evens, eo + i, odds, oo + i);
      }
    }
    for (; i < count; i++) {
      evens[eo + i] = src[from + 2 * i];
      odds[oo + i] = src[from + 2 * i + 1];
    }
  }

  @Override
  public int runMultiple() {
    return L;
  }

  @Override
  public void copyOver(float[] src, int from, int len, float[] dst, int to) {
    if (len <= 0) {
      return;
    }
    // one vector without a loop: entering a loop cost more than a short row's copy
    FloatVector.fromArray(S, src, from).intoArray(dst, to);
    for (int i = L; i < len; i += L) {
      FloatVector.fromArray(S, src, from + i).intoArray(dst, to + i);
    }
  }

  @Override
  public void deinterleaveOver(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo) {
    if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
      deinterleave(src, from, count, evens, eo, odds, oo);
      return;
    }
    if (count <= 0) {
      return;
    }
    // the first vector of pairs without a loop, as in copyOver
    pairsOf(src, from, evens, eo, odds, oo);
    for (int i = L / 2; i < count; i += L / 2) {
      pairsOf(src, from + 2 * i, evens, eo + i, odds, oo + i);
    }
  }

  /** One vector of pairs from {@code src[from]} split into {@code evens[eo]} and {@code odds[oo]} (little-endian only). */
  private static void pairsOf(float[] src, int from, float[] evens, int eo, float[] odds, int oo) {
    LongVector pairs = FloatVector.fromArray(S, src, from).reinterpretAsLongs();
    ((IntVector) pairs.convertShape(VectorOperators.L2I, HALF_INTS, 0)).reinterpretAsFloats().intoArray(evens, eo);
    ((IntVector) pairs.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, HALF_INTS, 0))
        .reinterpretAsFloats().intoArray(odds, oo);
  }

  @Override
  public void fillOver(float[] dst, int to, float value) {
    FloatVector.broadcast(S, value).intoArray(dst, to);
  }

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int len) {
    int d = 0;
    float s = 0;
    if (len >= L) {
      FloatVector acc = FloatVector.zero(S);
      for (; d + L <= len; d += L) {
        acc = FloatVector.fromArray(S, a, ao + d).fma(FloatVector.fromArray(S, b, bo + d), acc);
      }
      s = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; d < len; d++) {
      s += a[ao + d] * b[bo + d];
    }
    return s;
  }

  @Override
  public void tanh(float[] a, int from, int len) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      tanh(FloatVector.fromArray(S, a, i)).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = (float) Elementwise.tanh(a[i]);
    }
  }

  @Override
  public void sigmoid(float[] a, int from, int len) {
    int i = from;
    int end = from + len;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; i + L <= end; i += L) {
      // 1 / (1 + exp(-x)): exp overflows to infinity below about -88, where the result is 0 as it should be
      FloatVector e = FloatVector.fromArray(S, a, i).neg().lanewise(VectorOperators.EXP);
      one.div(e.add(one)).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = ScalarKernels.sigmoid(a[i]);
    }
  }

  /**
   * The gates' vectors of {@code L} units at a time, the units past the last whole vector in scalar
   * code: the new cell state in one method, the output in another. In one method (one loop or
   * two), C2 stopped inlining the Vector API's calls at its node count cutoff, after the fourth
   * activation, and boxed every vector of the loop (1.6 MB of garbage per 16 samples of 50 steps).
   */
  @Override
  public void lstmCell(float[] a, int ao, float[] b, int bo, float[] cell, float[] state, int so, int units) {
    int whole = units - units % L;
    lstmCellState(a, ao, b, bo, cell, so, units, whole);
    lstmCellOutput(a, ao, b, bo, cell, state, so, units, whole);
    if (whole < units) {
      ScalarKernels.lstmCells(a, ao + whole, b, bo + whole, cell, state, so + whole, units - whole, units);
    }
  }

  /** {@code c = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_c)} for the first {@code whole} units. */
  private static void lstmCellState(float[] a, int ao, float[] b, int bo, float[] cell, int so, int units,
      int whole) {
    for (int j = 0; j < whole; j += L) {
      FloatVector i = sigmoid(FloatVector.fromArray(S, a, ao + j).add(FloatVector.fromArray(S, b, bo + j)));
      FloatVector f = sigmoid(FloatVector.fromArray(S, a, ao + units + j)
          .add(FloatVector.fromArray(S, b, bo + units + j)));
      FloatVector g = tanh(FloatVector.fromArray(S, a, ao + 2 * units + j)
          .add(FloatVector.fromArray(S, b, bo + 2 * units + j)));
      f.mul(FloatVector.fromArray(S, cell, so + j)).add(i.mul(g)).intoArray(cell, so + j);
    }
  }

  /** {@code h = sigmoid(z_o) * tanh(c)} for the first {@code whole} units. */
  private static void lstmCellOutput(float[] a, int ao, float[] b, int bo, float[] cell, float[] state, int so,
      int units, int whole) {
    for (int j = 0; j < whole; j += L) {
      FloatVector o = sigmoid(FloatVector.fromArray(S, a, ao + 3 * units + j)
          .add(FloatVector.fromArray(S, b, bo + 3 * units + j)));
      o.mul(tanh(FloatVector.fromArray(S, cell, so + j))).intoArray(state, so + j);
    }
  }

  /** 1 / (1 + exp(-x)), as {@link #sigmoid(float[], int, int)} computes each vector. */
  private static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
  }

  @Override
  public void relu(float[] a, int from, int len) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, i);
      v.blend(0f, v.lt(0f)).intoArray(a, i);
    }
    for (; i < end; i++) {
      if (a[i] < 0f) {
        a[i] = 0f;
      }
    }
  }

  @Override
  public void leakyRelu(float[] a, int from, int len, float slope) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, i);
      v.blend(v.mul(slope), v.lt(0f)).intoArray(a, i);
    }
    for (; i < end; i++) {
      if (a[i] < 0f) {
        a[i] *= slope;
      }
    }
  }

  @Override
  public void clamp(float[] a, int from, int len, float lo, float hi) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      FloatVector.fromArray(S, a, i).min(hi).max(lo).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Math.max(lo, Math.min(hi, a[i]));
    }
  }

  @Override
  public void gelu(float[] a, int from, int len, boolean tanhApprox) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      FloatVector t = tanhApprox
          ? tanh(x.mul(x).fma(0.044715f * GELU_TANH_SCALE, GELU_TANH_SCALE).mul(x))
          : erf(x.mul(SQRT_HALF));
      x.mul(0.5f).mul(t.add(1f)).intoArray(a, i);
    }
    if (i < end) {
      JavaKernels.scalar().gelu(a, i, end - i, tanhApprox);
    }
  }

  /**
   * tanh in float lanes: Eigen's {@code ptanh_float} (TensorFlow's CPU kernels), an odd rational
   * function of degree 13/6 on {@code [-7.9, 7.9]} (beyond, tanh is +-1 in float), and {@code x}
   * itself below 4e-4; within 4e-7 of the exact tanh (6.6 float ulps at worst, near -5.8; measured
   * over [-10, 10] in steps of 5e-5). Arithmetic only, unlike the Vector API's {@code TANH}: that one
   * is the JIT's SVML stub once C2 has compiled the caller, but {@code StrictMath.tanh} lane by lane
   * before, so the same input gave results one ulp apart over a JVM's warm-up (a LeNet-5 output in
   * {@code NetworkConcurrencyTest}, compared bit for bit).
   */
  private static FloatVector tanh(FloatVector v) {
    FloatVector x = v.max(-7.90531110763549805f).min(7.90531110763549805f);
    FloatVector x2 = x.mul(x);
    FloatVector p = x2.fma(-2.76076847742355e-16f, 2.00018790482477e-13f)
        .fma(x2, FloatVector.broadcast(S, -8.60467152213735e-11f))
        .fma(x2, FloatVector.broadcast(S, 5.12229709037114e-08f))
        .fma(x2, FloatVector.broadcast(S, 1.48572235717979e-05f))
        .fma(x2, FloatVector.broadcast(S, 6.37261928875436e-04f))
        .fma(x2, FloatVector.broadcast(S, 4.89352455891786e-03f))
        .mul(x);
    FloatVector q = x2.fma(1.19825839466702e-06f, 1.18534705686654e-04f)
        .fma(x2, FloatVector.broadcast(S, 2.26843463243900e-03f))
        .fma(x2, FloatVector.broadcast(S, 4.89352518554385e-03f));
    return p.div(q).blend(v, v.abs().lt(4e-4f));
  }

  /**
   * erf in float lanes: Eigen's {@code generic_fast_erf_float} (the one TensorFlow's CPU kernels
   * use), an odd rational function of degree 13/12 on {@code [-4, 4]}, where erf reaches 1 in
   * float; within 4.2e-7 of the exact erf (measured over [-5, 5] in steps of 5e-5).
   */
  private static FloatVector erf(FloatVector v) {
    FloatVector x = v.max(-4f).min(4f);
    FloatVector x2 = x.mul(x);
    FloatVector p = x2.fma(-2.72614225801306e-10f, 2.77068142495902e-08f)
        .fma(x2, FloatVector.broadcast(S, -2.10102402082508e-06f))
        .fma(x2, FloatVector.broadcast(S, -5.69250639462346e-05f))
        .fma(x2, FloatVector.broadcast(S, -7.34990630326855e-04f))
        .fma(x2, FloatVector.broadcast(S, -2.95459980854025e-03f))
        .fma(x2, FloatVector.broadcast(S, -1.60960333262415e-02f))
        .mul(x);
    FloatVector q = x2.fma(-1.45660718464996e-05f, -2.13374055278905e-04f)
        .fma(x2, FloatVector.broadcast(S, -1.68282697438203e-03f))
        .fma(x2, FloatVector.broadcast(S, -7.37332916720468e-03f))
        .fma(x2, FloatVector.broadcast(S, -1.42647390514189e-02f));
    return p.div(q);
  }

  @Override
  public void silu(float[] a, int from, int len) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      // x / (1 + exp(-x)): exp overflows to infinity below about -88, where the result is -0 (it is below 1e-36)
      FloatVector x = FloatVector.fromArray(S, a, i);
      x.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(a, i);
    }
    if (i < end) {
      JavaKernels.scalar().silu(a, i, end - i);
    }
  }

  @Override
  public void hardSigmoid(float[] a, int from, int len, boolean timesInput) {
    int i = from;
    int end = from + len;
    for (; i + L <= end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      FloatVector s = x.add(3f).max(0f).min(6f).div(6f);
      (timesInput ? x.mul(s) : s).intoArray(a, i);
    }
    if (i < end) {
      JavaKernels.scalar().hardSigmoid(a, i, end - i, timesInput);
    }
  }

  /**
   * Per row: the scaled values and their maximum in vectors, the exponentials and their sum in
   * vectors (a row's columns past its last whole vector in scalar code, their sum in float), then
   * the products by the sum's reciprocal.
   */
  @Override
  public void softmaxRows(float[] a, int from, int rows, int width, float scale) {
    if (width < L) {
      // rows narrower than a vector (a classifier's 10 outputs per sample) would leave most lanes
      // empty: the scalar form, one Math.exp a value. Not the Vector API's exponential over lanes
      // across rows: where C2 has not compiled the caller yet its lanes are Math.exp's, after that
      // the JIT's own stub's, a last bit apart, so one input gave other bits before and after
      // warm-up (two callers on one Network: NetworkConcurrencyTest). Math.exp is one stub in
      // every tier.
      JavaKernels.scalar().softmaxRows(a, from, rows, width, scale);
      return;
    }
    int whole = width - width % L;
    for (int r = 0, base = from; r < rows; r++, base += width) {
      int end = base + width;
      int vectorEnd = base + whole;
      float max = Float.NEGATIVE_INFINITY;
      if (whole > 0) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = base; j < vectorEnd; j += L) {
          FloatVector s = FloatVector.fromArray(S, a, j).mul(scale);
          s.intoArray(a, j);
          m = m.max(s);
        }
        max = m.reduceLanes(VectorOperators.MAX);
      }
      for (int j = vectorEnd; j < end; j++) {
        float s = a[j] * scale;
        a[j] = s;
        max = Math.max(max, s);
      }
      float sum = 0;
      if (whole > 0) {
        FloatVector shift = FloatVector.broadcast(S, max);
        FloatVector acc = FloatVector.zero(S);
        for (int j = base; j < vectorEnd; j += L) {
          FloatVector e = FloatVector.fromArray(S, a, j).sub(shift).lanewise(VectorOperators.EXP);
          e.intoArray(a, j);
          acc = acc.add(e);
        }
        sum = acc.reduceLanes(VectorOperators.ADD);
      }
      for (int j = vectorEnd; j < end; j++) {
        float e = (float) Math.exp(a[j] - max);
        a[j] = e;
        sum += e;
      }
      float inv = 1 / sum;
      int j = base;
      for (; j < vectorEnd; j += L) {
        FloatVector.fromArray(S, a, j).mul(inv).intoArray(a, j);
      }
      for (; j < end; j++) {
        a[j] *= inv;
      }
    }
  }

  /**
   * The sums in float vectors (16 partial sums of a 64-wide row, then their total), the scale in
   * double. Every value is taken relative to the row's first, {@code x - x0}, which is exact for
   * values within a factor of two of it: a row far from zero (1000 +- 0.01, where float32's spacing
   * is 6e-5) keeps its deviations exactly, where a float sum of the raw values would move the mean
   * by several spacings.
   */
  @Override
  public void layerNorm(float[] a, int from, int rows, int width, float[] gamma, float[] beta, double eps) {
    int whole = width - width % L;
    for (int r = 0, base = from; r < rows; r++, base += width) {
      float x0 = a[base];
      FloatVector shift = FloatVector.broadcast(S, x0);
      FloatVector acc = FloatVector.zero(S);
      int k = 0;
      for (; k < whole; k += L) {
        acc = acc.add(FloatVector.fromArray(S, a, base + k).sub(shift));
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      for (; k < width; k++) {
        sum += a[base + k] - x0;
      }
      float mean = (float) ((double) sum / width); // relative to x0
      FloatVector m = FloatVector.broadcast(S, mean);
      acc = FloatVector.zero(S);
      for (k = 0; k < whole; k += L) {
        FloatVector d = FloatVector.fromArray(S, a, base + k).sub(shift).sub(m);
        acc = d.fma(d, acc);
      }
      float squares = acc.reduceLanes(VectorOperators.ADD);
      for (; k < width; k++) {
        float d = (a[base + k] - x0) - mean;
        squares += d * d;
      }
      float inv = (float) (1 / Math.sqrt((double) squares / width + eps));
      FloatVector s = FloatVector.broadcast(S, inv);
      // one branch per row on which of gamma and beta the layer has, the same for every row
      if (gamma != null && beta != null) {
        for (k = 0; k < whole; k += L) {
          FloatVector.fromArray(S, a, base + k).sub(shift).sub(m).mul(s)
              .fma(FloatVector.fromArray(S, gamma, k), FloatVector.fromArray(S, beta, k)).intoArray(a, base + k);
        }
      } else {
        for (k = 0; k < whole; k += L) {
          FloatVector v = FloatVector.fromArray(S, a, base + k).sub(shift).sub(m).mul(s);
          if (gamma != null) {
            v = v.mul(FloatVector.fromArray(S, gamma, k));
          }
          if (beta != null) {
            v = v.add(FloatVector.fromArray(S, beta, k));
          }
          v.intoArray(a, base + k);
        }
      }
      for (; k < width; k++) {
        float v = ((a[base + k] - x0) - mean) * inv;
        if (gamma != null) {
          v *= gamma[k];
        }
        if (beta != null) {
          v += beta[k];
        }
        a[base + k] = v;
      }
    }
  }

  @Override
  public boolean simd() {
    return true;
  }

  @Override
  public String description() {
    return "vector (" + L + " float lanes)";
  }
}
