package dev.sequent.runtime.exec;

/**
 * {@link JavaKernels} in plain Java 17 loops, for any JVM. C2 (JDK 17) does not vectorise the
 * accumulation loops, since it cannot rule out the accumulator and the weights overlapping, so the
 * dense product takes four inputs per pass over a row (a 784x128 product: 85 us one input at a
 * time, 40 us four at a time); four zeros in a row (padding, or after relu) are skipped, which
 * changes no result. The transcendental functions are computed in double through {@code Math.exp}
 * (an intrinsic) and rounded once.
 */
final class ScalarKernels implements JavaKernels {
  static final ScalarKernels INSTANCE = new ScalarKernels();
  private static final double SQRT_HALF = Math.sqrt(0.5);

  private ScalarKernels() {}

  @Override
  public void dense(float[] x, int rows, int in, float[] kernel, float[] bias, int units, float[] y) {
    dense(x, rows, pack(kernel, in, units), bias, y, 0, units);
  }

  /** The array as it is: the scalar product reads rows of the plain layout. */
  @Override
  public PackedKernel pack(float[] kernel, int in, int units) {
    return new PackedKernel(this, in, units, kernel);
  }

  /** The scalar set's packed layout is the plain one. */
  @Override
  public void packRow(float[] src, int from, int len, int k, int in, int units, float[] packed) {
    System.arraycopy(src, from, packed, k * units, len);
  }

  @Override
  public void dense(float[] x, int rows, PackedKernel kernel, float[] bias, float[] y) {
    dense(x, rows, kernel, bias, y, 0, kernel.units());
  }

  @Override
  public void dense(float[] x, int rowFrom, int rowTo, PackedKernel kernel, float[] bias, float[] y, int from,
      int to) {
    PackedKernel k = kernel.checkedFor(this);
    int in = k.in();
    int units = k.units();
    float[] w = k.values();
    int len = to - from;
    for (int r = rowFrom; r < rowTo; r++) {
      int yo = r * units + from;
      if (bias != null) {
        System.arraycopy(bias, from, y, yo, len);
      } else {
        java.util.Arrays.fill(y, yo, yo + len, 0f);
      }
      int xo = r * in;
      int i = 0;
      for (; i + 4 <= in; i += 4) {
        float x0 = x[xo + i];
        float x1 = x[xo + i + 1];
        float x2 = x[xo + i + 2];
        float x3 = x[xo + i + 3];
        if (x0 != 0f || x1 != 0f || x2 != 0f || x3 != 0f) {
          accumulate4(y, yo, len, w, x0, i * units + from, x1, (i + 1) * units + from, x2, (i + 2) * units + from,
              x3, (i + 3) * units + from);
        }
      }
      for (; i < in; i++) {
        if (x[xo + i] != 0f) {
          accumulate(y, yo, len, w, x[xo + i], i * units + from);
        }
      }
    }
  }

  /** Any column: the scalar product runs row by row over a column range. */
  @Override
  public int denseColumnStep() {
    return 1;
  }

  @Override
  public int directTile() {
    return 1;
  }

  /** Row by row: each weight times its shifted input run, with {@code Math.fma} as the vector form has it. */
  @Override
  public void directConv(float[] x, int[] offsets, int depth, float[] w, int wAt, int from, int to, float[] y, int yAt,
      int pitch) {
    for (int c = 0; c < DIRECT_BLOCK; c++) {
      int row = yAt + c * pitch;
      java.util.Arrays.fill(y, row + from, row + to, 0f);
      for (int k = 0; k < depth; k++) {
        float a = w[wAt + k * DIRECT_BLOCK + c];
        int o = offsets[k];
        for (int q = from; q < to; q++) {
          y[row + q] = Math.fma(a, x[o + q], y[row + q]);
        }
      }
    }
  }

  @Override
  public void accumulate4(float[] acc, int at, int len, float[] src, float a0, int f0, float a1, int f1,
      float a2, int f2, float a3, int f3) {
    for (int j = 0; j < len; j++) {
      acc[at + j] += a0 * src[f0 + j] + a1 * src[f1 + j] + a2 * src[f2 + j] + a3 * src[f3 + j];
    }
  }

  @Override
  public void accumulate(float[] acc, int at, int len, float[] src, float a, int from) {
    for (int j = 0; j < len; j++) {
      acc[at + j] += a * src[from + j];
    }
  }

  @Override
  public void depthwiseChannelsLast(float[] x, int base, int[] inputAt, int[] tapOf, int from, int count,
      int channels, int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to) {
    System.arraycopy(bias, cFrom, y, to + cFrom, cTo - cFrom);
    for (int k = from; k < from + count; k++) {
      int xAt = base + inputAt[k] * channels;
      int wAt = tapOf[k] * channels;
      for (int c = cFrom; c < cTo; c++) {
        y[to + c] += x[xAt + c] * w[wAt + c];
      }
    }
    for (int c = to + cFrom; c < to + cTo; c++) {
      y[c] = Math.max(lo, Math.min(hi, y[c]));
    }
  }

  @Override
  public void depthwise3x3ChannelsLast(float[] x, int at, int step, int rowPitch, int colPitch, int positions,
      int channels, int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to) {
    for (int i = 0; i < positions; i++) {
      int out = to + i * channels;
      System.arraycopy(bias, cFrom, y, out + cFrom, cTo - cFrom);
      for (int t = 0; t < 9; t++) {
        int xAt = at + i * step + (t / 3) * rowPitch + (t % 3) * colPitch;
        int wAt = t * channels;
        for (int c = cFrom; c < cTo; c++) {
          y[out + c] += x[xAt + c] * w[wAt + c];
        }
      }
      for (int c = out + cFrom; c < out + cTo; c++) {
        y[c] = Math.max(lo, Math.min(hi, y[c]));
      }
    }
  }

  @Override
  public void shiftClamp(float[] src, int from, int len, float shift, float lo, float hi, float[] dst, int to) {
    for (int j = 0; j < len; j++) {
      dst[to + j] = Math.max(lo, Math.min(hi, src[from + j] + shift));
    }
  }

  @Override
  public void taps(float[] out, int len, float[] src, int[] starts, float[] w, int wAt, float bias, float lo,
      float hi) {
    for (int j = 0; j < len; j++) {
      float acc = bias;
      for (int t = 0; t < starts.length; t++) {
        acc += w[wAt + t] * src[starts[t] + j];
      }
      out[j] = Math.max(lo, Math.min(hi, acc));
    }
  }

  @Override
  public void maxTaps(float[] out, int len, float[] src, int[] starts) {
    for (int j = 0; j < len; j++) {
      float m = src[starts[0] + j];
      for (int t = 1; t < starts.length; t++) {
        m = Math.max(m, src[starts[t] + j]);
      }
      out[j] = m;
    }
  }

  @Override
  public void combine(float[] a, int ao, float[] b, int bo, int len, boolean max, float[] out, int oo) {
    if (max) {
      for (int j = 0; j < len; j++) {
        out[oo + j] = Math.max(a[ao + j], b[bo + j]);
      }
    } else {
      for (int j = 0; j < len; j++) {
        out[oo + j] = a[ao + j] + b[bo + j];
      }
    }
  }

  @Override
  public void deinterleave(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo) {
    for (int i = 0; i < count; i++) {
      evens[eo + i] = src[from + 2 * i];
      odds[oo + i] = src[from + 2 * i + 1];
    }
  }

  @Override
  public int runMultiple() {
    return 1;
  }

  @Override
  public void copyOver(float[] src, int from, int len, float[] dst, int to) {
    System.arraycopy(src, from, dst, to, len);
  }

  @Override
  public void deinterleaveOver(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo) {
    deinterleave(src, from, count, evens, eo, odds, oo);
  }

  @Override
  public void fillOver(float[] dst, int to, float value) {
    dst[to] = value;
  }

  @Override
  public void combinePairs(float[] src, int from, int count, boolean max, float[] out, int at) {
    if (max) {
      for (int i = 0; i < count; i++) {
        out[at + i] = Math.max(src[from + 2 * i], src[from + 2 * i + 1]);
      }
    } else {
      for (int i = 0; i < count; i++) {
        out[at + i] = src[from + 2 * i] + src[from + 2 * i + 1];
      }
    }
  }

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int len) {
    float s = 0;
    for (int d = 0; d < len; d++) {
      s += a[ao + d] * b[bo + d];
    }
    return s;
  }

  @Override
  public void tanh(float[] a, int from, int len) {
    for (int i = from; i < from + len; i++) {
      a[i] = (float) Elementwise.tanh(a[i]);
    }
  }

  @Override
  public void sigmoid(float[] a, int from, int len) {
    for (int i = from; i < from + len; i++) {
      a[i] = sigmoid(a[i]);
    }
  }

  @Override
  public void lstmCell(float[] a, int ao, float[] b, int bo, float[] cell, float[] state, int so, int units) {
    lstmCells(a, ao, b, bo, cell, state, so, units, units);
  }

  /** {@link #lstmCell} for the first {@code count} of the cell's {@code units} units (the vector form's last ones). */
  static void lstmCells(float[] a, int ao, float[] b, int bo, float[] cell, float[] state, int so, int count,
      int units) {
    for (int j = 0; j < count; j++) {
      float i = sigmoid(a[ao + j] + b[bo + j]);
      float f = sigmoid(a[ao + units + j] + b[bo + units + j]);
      float g = (float) Elementwise.tanh(a[ao + 2 * units + j] + b[bo + 2 * units + j]);
      float o = sigmoid(a[ao + 3 * units + j] + b[bo + 3 * units + j]);
      float c = f * cell[so + j] + i * g;
      cell[so + j] = c;
      state[so + j] = o * (float) Elementwise.tanh(c);
    }
  }

  /** {@code 1 / (1 + exp(-v))} in double, to float: the scalar form of every sigmoid here and in {@link VectorKernels}' last lanes. */
  static float sigmoid(float v) {
    return (float) (1 / (1 + Math.exp(-v)));
  }

  @Override
  public void relu(float[] a, int from, int len) {
    for (int i = from; i < from + len; i++) {
      if (a[i] < 0f) {
        a[i] = 0f;
      }
    }
  }

  @Override
  public void leakyRelu(float[] a, int from, int len, float slope) {
    for (int i = from; i < from + len; i++) {
      if (a[i] < 0f) {
        a[i] *= slope;
      }
    }
  }

  @Override
  public void clamp(float[] a, int from, int len, float lo, float hi) {
    for (int i = from; i < from + len; i++) {
      a[i] = Math.max(lo, Math.min(hi, a[i]));
    }
  }

  @Override
  public void gelu(float[] a, int from, int len, boolean tanhApprox) {
    for (int i = from; i < from + len; i++) {
      double v = a[i];
      a[i] = (float) (tanhApprox
          ? 0.5 * v * (1 + Elementwise.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
          : 0.5 * v * (1 + Erf.erf(v * SQRT_HALF)));
    }
  }

  @Override
  public void silu(float[] a, int from, int len) {
    for (int i = from; i < from + len; i++) {
      double v = a[i];
      a[i] = (float) (v >= 0 ? v / (1 + Math.exp(-v)) : v * Math.exp(v) / (1 + Math.exp(v)));
    }
  }

  @Override
  public void hardSigmoid(float[] a, int from, int len, boolean timesInput) {
    for (int i = from; i < from + len; i++) {
      double v = a[i];
      double s = Math.max(0, Math.min(6, v + 3)) / 6;
      a[i] = (float) (timesInput ? v * s : s);
    }
  }

  /** The sum in double; the reciprocal and the products in float. */
  @Override
  public void softmaxRows(float[] a, int from, int rows, int width, float scale) {
    for (int r = 0, base = from; r < rows; r++, base += width) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = base; j < base + width; j++) {
        float s = a[j] * scale;
        a[j] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int j = base; j < base + width; j++) {
        double e = Math.exp(a[j] - max);
        a[j] = (float) e;
        sum += e;
      }
      float inv = 1 / (float) sum;
      for (int j = base; j < base + width; j++) {
        a[j] *= inv;
      }
    }
  }

  /** In double, as the ND4J-free form always was. */
  @Override
  public void layerNorm(float[] a, int from, int rows, int width, float[] gamma, float[] beta, double eps) {
    for (int r = 0, base = from; r < rows; r++, base += width) {
      double sum = 0;
      for (int k = 0; k < width; k++) {
        sum += a[base + k];
      }
      double mean = sum / width;
      double squares = 0;
      for (int k = 0; k < width; k++) {
        double d = a[base + k] - mean;
        squares += d * d;
      }
      double inv = 1 / Math.sqrt(squares / width + eps);
      for (int k = 0; k < width; k++) {
        double v = (a[base + k] - mean) * inv;
        if (gamma != null) {
          v *= gamma[k];
        }
        if (beta != null) {
          v += beta[k];
        }
        a[base + k] = (float) v;
      }
    }
  }

  @Override
  public boolean simd() {
    return false;
  }

  @Override
  public String description() {
    return "scalar";
  }
}
