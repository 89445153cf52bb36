package dev.sequent.runtime.exec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * (four rows by two vectors of units, or one row by four vectors), one fused multiply-add per
 * weight vector and row, so each weight vector is loaded once per four rows rather than once per
 * row; columns past the last whole vector, and anything shorter than a vector, take the scalar
 * loops. {@code exp} is the Vector API's (the JIT's SVML stub on x86), accurate to a few float
 * ulps; tanh and erf are rational functions in plain lane arithmetic (see {@link #tanh(FloatVector)}).
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

  VectorKernels() {
    // With fewer lanes the Vector API runs without a SIMD unit, far slower than the plain loops.
    if (L < 4) {
      throw new UnsupportedOperationException("only " + L + " float lanes");
    }
    warmUp();
  }

  /**
   * Runs every kernel through every branch (rows past a multiple of four, each width of column
   * block and a scalar tail, with and without a bias, lengths under and over a vector) on tiny
   * arrays, once per JVM when the kernels load. Vector API code runs 50-100x slower than the
   * scalar loops until C2 compiles it (the interpreter and C1 box every vector), and a branch first
   * taken after C2 compiled a kernel (never seen in its profile) sends it back there for a while:
   * on the loaded 2-core machine an LSTM pass took 160 ms instead of 7 in the benchmark's first
   * case. With every branch in the profile, C2's code covers them all.
   */
  private void warmUp() {
    int units = 4 * L + 2 * L + L + 3;
    int in = 5;
    int rows = 5;
    float[] x = new float[rows * in];
    float[] w = new float[in * units];
    float[] bias = new float[units];
    float[] y = new float[rows * units];
    float[] a = new float[2 * L + 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 3) * 0.25f;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 5) * 0.125f - 0.25f;
    }
    for (int c = 0; c < WARM_UP_CALLS; c++) {
      dense(x, rows, in, w, (c & 1) == 0 ? bias : null, units, y);
      dense(x, 1, in, w, (c & 1) == 0 ? null : bias, units, y);
      accumulate4(y, 0, L + 3, w, 0.5f, 0, 0.25f, 1, 0.125f, 2, 1f, 3);
      accumulate(y, 1, L + 3, w, 0.5f, 2);
      dot(w, 0, w, 3, (c & 1) == 0 ? L + 3 : 3);
      for (int i = 0; i < a.length; i++) {
        a[i] = i * 0.1f - 1f;
      }
      tanh(a, 0, L + 3);
      sigmoid(a, 1, L + 3);
      expShifted(a, 0, (c & 1) == 0 ? L + 3 : 3, 1f);
      relu(a, 0, L + 3);
      leakyRelu(a, 1, L + 3, 0.01f);
      clamp(a, 0, L + 3, 0f, 6f);
      gelu(a, 1, L + 3, (c & 1) == 0);
      silu(a, 0, L + 3);
      hardSigmoid(a, 1, L + 3, (c & 1) == 0);
    }
  }

  @Override
  public void dense(float[] x, int rows, int in, float[] kernel, float[] bias, int units, float[] y) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int j = 0;
      for (; j + 2 * L <= units; j += 2 * L) {
        fourRowsTwoVectors(x, r, in, kernel, bias, units, y, j);
      }
      for (; j + L <= units; j += L) {
        for (int i = r; i < r + 4; i++) {
          oneRowOneVector(x, i, in, kernel, bias, units, y, j);
        }
      }
      if (j < units) {
        for (int i = r; i < r + 4; i++) {
          scalarColumns(x, i, in, kernel, bias, units, y, j);
        }
      }
    }
    for (; r < rows; r++) {
      int j = 0;
      for (; j + 4 * L <= units; j += 4 * L) {
        oneRowFourVectors(x, r, in, kernel, bias, units, y, j);
      }
      for (; j + L <= units; j += L) {
        oneRowOneVector(x, r, in, kernel, bias, units, y, j);
      }
      if (j < units) {
        scalarColumns(x, r, in, kernel, bias, units, y, j);
      }
    }
  }

  private static FloatVector start(float[] bias, int j) {
    return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j);
  }

  private static void fourRowsTwoVectors(float[] x, int r, int in, float[] w, float[] bias, int units, float[] y,
      int j) {
    FloatVector a00 = start(bias, j);
    FloatVector a01 = start(bias, j + L);
    FloatVector a10 = a00;
    FloatVector a11 = a01;
    FloatVector a20 = a00;
    FloatVector a21 = a01;
    FloatVector a30 = a00;
    FloatVector a31 = a01;
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    for (int k = 0, wo = j; k < in; k++, wo += units) {
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
    int y0 = r * units + j;
    a00.intoArray(y, y0);
    a01.intoArray(y, y0 + L);
    a10.intoArray(y, y0 + units);
    a11.intoArray(y, y0 + units + L);
    a20.intoArray(y, y0 + 2 * units);
    a21.intoArray(y, y0 + 2 * units + L);
    a30.intoArray(y, y0 + 3 * units);
    a31.intoArray(y, y0 + 3 * units + L);
  }

  private static void oneRowFourVectors(float[] x, int r, int in, float[] w, float[] bias, int units, float[] y,
      int j) {
    FloatVector a0 = start(bias, j);
    FloatVector a1 = start(bias, j + L);
    FloatVector a2 = start(bias, j + 2 * L);
    FloatVector a3 = start(bias, j + 3 * L);
    int xo = r * in;
    for (int k = 0, wo = j; k < in; k++, wo += units) {
      FloatVector b = FloatVector.broadcast(S, x[xo + k]);
      a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
      a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
      a2 = FloatVector.fromArray(S, w, wo + 2 * L).fma(b, a2);
      a3 = FloatVector.fromArray(S, w, wo + 3 * L).fma(b, a3);
    }
    int yo = r * units + j;
    a0.intoArray(y, yo);
    a1.intoArray(y, yo + L);
    a2.intoArray(y, yo + 2 * L);
    a3.intoArray(y, yo + 3 * L);
  }

  private static void oneRowOneVector(float[] x, int r, int in, float[] w, float[] bias, int units, float[] y,
      int j) {
    FloatVector a = start(bias, j);
    int xo = r * in;
    for (int k = 0, wo = j; k < in; k++, wo += units) {
      a = FloatVector.fromArray(S, w, wo).fma(FloatVector.broadcast(S, x[xo + k]), a);
    }
    a.intoArray(y, r * units + j);
  }

  /** Columns {@code [from, units)} of row {@code r}: fewer than one vector. */
  private static void scalarColumns(float[] x, int r, int in, float[] w, float[] bias, int units, float[] y,
      int from) {
    int yo = r * units;
    for (int j = from; j < units; j++) {
      y[yo + j] = bias == null ? 0f : bias[j];
    }
    int xo = r * in;
    for (int k = 0; k < in; k++) {
      float v = x[xo + k];
      int wo = k * units;
      for (int j = from; j < units; j++) {
        y[yo + j] += v * w[wo + j];
      }
    }
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
      a[i] = (float) (1 / (1 + Math.exp(-a[i])));
    }
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

  @Override
  public float expShifted(float[] a, int from, int len, float shift) {
    int i = from;
    int end = from + len;
    float sum = 0;
    if (len >= L) {
      FloatVector s = FloatVector.broadcast(S, shift);
      FloatVector acc = FloatVector.zero(S);
      for (; i + L <= end; i += L) {
        FloatVector e = FloatVector.fromArray(S, a, i).sub(s).lanewise(VectorOperators.EXP);
        e.intoArray(a, i);
        acc = acc.add(e);
      }
      sum = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < end; i++) {
      float e = (float) Math.exp(a[i] - shift);
      a[i] = e;
      sum += e;
    }
    return sum;
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
