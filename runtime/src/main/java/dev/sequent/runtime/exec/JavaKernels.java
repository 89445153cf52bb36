package dev.sequent.runtime.exec;

import java.util.Optional;

/**
 * The innermost loops of the plain-Java path (dense products, the convolution's accumulation, dot
 * products, the gate and attention activations), in two implementations with the same results to
 * float rounding: {@link ScalarKernels}, plain Java 17 loops that run on any JVM, and
 * {@code VectorKernels}, the JDK's Vector API ({@code jdk.incubator.vector}: SIMD lanes, fused
 * multiply-adds, the JIT's vector {@code exp}/{@code tanh}). The Vector API is an incubator module
 * in Java 17, usable only when the JVM runs with {@code --add-modules jdk.incubator.vector}; the
 * vector class is therefore loaded reflectively, only when the module is in the boot layer, so the
 * runtime links and runs without it. {@code ./sequent} and the benchmark pass the flag; setting the
 * system property {@code sequent.vector=false} keeps the scalar loops even with it.
 *
 * <p>Implementations are stateless and safe from any number of threads.
 */
public interface JavaKernels {
  /** The system property that turns the vector kernels off ({@code false}) where the module is present. */
  String VECTOR_PROPERTY = "sequent.vector";

  /**
   * {@code y[r, :] = x[r, :] @ kernel + bias} for row-major {@code x} [rows][in], {@code kernel}
   * [in][units] and {@code y} [rows][units] (bias null: zero); sums in float, as BLAS sgemm's are.
   */
  void dense(float[] x, int rows, int in, float[] kernel, float[] bias, int units, float[] y);

  /**
   * A dense kernel [in][units] (row-major) in the layout {@link #dense(float[], int, PackedKernel,
   * float[], float[])} of these kernels reads: a layer's weights packed once, when it is bound. The
   * scalar kernels keep the array as it is (no copy: it must not change afterwards); the vector
   * kernels copy it into column panels, each panel's inputs consecutive, so the product's loads
   * have a constant stride the JIT can prove in bounds once per loop rather than once per load.
   */
  PackedKernel pack(float[] kernel, int in, int units);

  /**
   * Writes {@code len} values of one input row {@code k} of a kernel [in][units] (from
   * {@code src[from]}, {@code len <= units}) where {@link #pack} would put them in {@code packed}
   * (at least {@code in * units} long); the row's other columns are left as they are. For a kernel
   * built afresh on every call (a convolution's patches), written row by row straight into the
   * packed layout instead of packed afterwards: the copy was 28 % of LeNet-5's samples at batch 32.
   */
  void packRow(float[] src, int from, int len, int k, int in, int units, float[] packed);

  /** {@link #dense(float[], int, int, float[], float[], int, float[])} on a kernel from this set's {@link #pack}. */
  void dense(float[] x, int rows, PackedKernel kernel, float[] bias, float[] y);

  /**
   * Columns {@code [from, to)} only of {@link #dense(float[], int, PackedKernel, float[], float[])}:
   * the rest of {@code y} is left as it is, so pieces of the columns can run on different threads.
   * {@code from} and {@code to} are multiples of {@link #denseColumnStep}, or {@code to} is the
   * kernel's {@code units}.
   */
  default void dense(float[] x, int rows, PackedKernel kernel, float[] bias, float[] y, int from, int to) {
    dense(x, 0, rows, kernel, bias, y, from, to);
  }

  /**
   * Rows {@code [rowFrom, rowTo)} and columns {@code [from, to)} only of
   * {@link #dense(float[], int, PackedKernel, float[], float[])}, as above: each row's sums are the
   * same whichever rows run with it.
   */
  void dense(float[] x, int rowFrom, int rowTo, PackedKernel kernel, float[] bias, float[] y, int from, int to);

  /** The column multiple a packed product splits at (its widest column panel). */
  int denseColumnStep();

  /**
   * A kernel in one kernel set's layout ({@link #pack}); {@code values} holds {@code in * units}
   * floats (it may be longer: the caller's array, of which the first ones are read). Immutable once made
   * and shared by any number of threads, except a per-call one over scratch ({@link #packRow}).
   */
  record PackedKernel(JavaKernels layout, int in, int units, float[] values) {
    public PackedKernel {
      if (values.length < (long) in * units) {
        throw new IllegalArgumentException("a packed " + in + "x" + units + " kernel of " + values.length + " values");
      }
    }

    /** Refuses a kernel packed by another kernel set, whose layout would be read wrongly. */
    PackedKernel checkedFor(JavaKernels kernels) {
      if (layout != kernels) {
        throw new IllegalArgumentException("a kernel packed by the " + layout.description() + " kernels, given to the "
            + kernels.description() + " ones");
      }
      return this;
    }
  }

  /** Output channels {@link #directConv} computes at once: the block of its packed weights. */
  int DIRECT_BLOCK = 8;

  /** Flat positions {@link #directConv} computes at a time: its ranges are whole multiples of this. */
  int directTile();

  /**
   * One block of a direct convolution over flat input planes ({@code DirectConvolution}):
   * {@code y[yAt + c * pitch + q] = sum over k of w[wAt + k * DIRECT_BLOCK + c] * x[offsets[k] + q]}
   * for the {@link #DIRECT_BLOCK} output channels {@code c} and the positions {@code from <= q < to}
   * ({@code to - from} a multiple of {@link #directTile}), summed over {@code k < depth} in order,
   * each step one fused multiply-add, so both kernel sets give the same bits. {@code x} holds at
   * least {@code offsets[k] + to} values for every {@code k}.
   */
  void directConv(float[] x, int[] offsets, int depth, float[] w, int wAt, int from, int to, float[] y, int yAt,
      int pitch);

  /** {@code acc[at + j] += a0 * src[f0 + j] + a1 * src[f1 + j] + a2 * src[f2 + j] + a3 * src[f3 + j]}, {@code j < len}. */
  void accumulate4(float[] acc, int at, int len, float[] src, float a0, int f0, float a1, int f1, float a2, int f2,
      float a3, int f3);

  /**
   * {@code dst[to + j] = Math.max(lo, Math.min(hi, src[from + j] + shift))} for {@code j < len}: a
   * convolution's bias and a clamping activation (ReLU, ReLU6, Hardtanh; none with infinite bounds)
   * on its sums as they are copied out, one pass instead of three. {@code dst} may be {@code src}.
   */
  void shiftClamp(float[] src, int from, int len, float shift, float lo, float hi, float[] dst, int to);

  /**
   * Channels {@code [cFrom, cTo)} of one output position of a depthwise convolution over
   * channels-last values:
   * {@code y[to + c] = clamp(bias[c] + sum_k x[base + inputAt[k] * channels + c] * w[tapOf[k] * channels + c], lo, hi)},
   * over the listed taps {@code k} in {@code [from, from + count)} in order ({@code w} is
   * {@code [tap][channel]}).
   */
  void depthwiseChannelsLast(float[] x, int base, int[] inputAt, int[] tapOf, int from, int count, int channels,
      int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to);

  /**
   * Channels {@code [cFrom, cTo)} of {@code positions} output positions of a 3x3 depthwise
   * convolution over channels-last values whose taps all lie inside the input, as
   * {@link #depthwiseChannelsLast} computes them (the same sums in the same order): position
   * {@code i}'s tap {@code (ky, kx)} reads {@code x[at + i * step + ky * rowPitch + kx * colPitch + c]},
   * its output goes to {@code y[to + i * channels + c]}. Each channel's nine weights are read once
   * for all the positions.
   */
  void depthwise3x3ChannelsLast(float[] x, int at, int step, int rowPitch, int colPitch, int positions, int channels,
      int cFrom, int cTo, float[] w, float[] bias, float lo, float hi, float[] y, int to);

  /** {@code acc[at + j] += a * src[from + j]} for {@code j < len}. */
  void accumulate(float[] acc, int at, int len, float[] src, float a, int from);

  /**
   * {@code out[j] = bias + sum over t of w[wAt + t] * src[starts[t] + j]} for {@code j < len}, the
   * taps added in order: a depthwise convolution's plane over its phases ({@link PlanePhases}),
   * each position's sum kept in a register across the taps, where a pass over the plane per tap
   * ({@link #accumulate}) loaded and stored every sum once per tap; each sum then clamped to
   * {@code [lo, hi]} as {@link #clamp} does (infinite bounds: none) before it is stored, so a
   * clamping activation costs no pass of its own.
   */
  void taps(float[] out, int len, float[] src, int[] starts, float[] w, int wAt, float bias, float lo, float hi);

  /**
   * {@code out[j] = max over t of src[starts[t] + j]} for {@code j < len}, the taps taken in order
   * with {@code Math.max} (NaN wins, as in max pooling): a max pooling's plane over its phases
   * ({@link PlanePhases}), as {@link #taps} is a depthwise convolution's.
   */
  void maxTaps(float[] out, int len, float[] src, int[] starts);

  /**
   * {@code out[oo + j] = op(a[ao + j], b[bo + j])} for {@code j < len}, {@code op} Math.max (NaN
   * wins) or {@code +}: two input rows of a pooling window combined. {@code out} may be {@code a}.
   */
  void combine(float[] a, int ao, float[] b, int bo, int len, boolean max, float[] out, int oo);

  /**
   * {@code out[at + i] = op(src[from + 2i], src[from + 2i + 1])} for {@code i < count}, as in
   * {@link #combine}: the columns of pooling windows two wide at stride two.
   */
  void combinePairs(float[] src, int from, int count, boolean max, float[] out, int at);

  /**
   * {@code evens[eo + i] = src[from + 2i]} and {@code odds[oo + i] = src[from + 2i + 1]} for
   * {@code i < count}, bit for bit: a row split into its two column phases at stride two.
   */
  void deinterleave(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo);

  /**
   * How many values {@link #copyOver}, {@link #deinterleaveOver} and {@link #fillOver} round their
   * runs up to: a vector of floats for the vector kernels, 1 for the scalar ones (which write
   * exactly the run).
   */
  int runMultiple();

  /**
   * {@code dst[to + j] = src[from + j]} for {@code j < len}, bit for bit, the run rounded up to a
   * multiple of {@link #runMultiple}: the values past it are read and written too, so both arrays
   * must hold them, and the caller rewrites what the extra writes covered. For a plane's short
   * rows: a loop or a {@code System.arraycopy} of 6 to 14 floats costs more to enter than to run
   * (a stride-2 depthwise layer over 14x14 planes spent most of its time in such copies).
   */
  void copyOver(float[] src, int from, int len, float[] dst, int to);

  /**
   * {@link #deinterleave}, {@code count} rounded up to a multiple of half of {@link #runMultiple}
   * (the pairs a vector holds), the values past it read and written as {@link #copyOver}'s are.
   */
  void deinterleaveOver(float[] src, int from, int count, float[] evens, int eo, float[] odds, int oo);

  /** {@code dst[to + j] = value} for {@code j < runMultiple()}: what {@link #copyOver}'s extra writes covered, put back. */
  void fillOver(float[] dst, int to, float value);

  /** {@code sum(a[ao + d] * b[bo + d])} for {@code d < len}, in float. */
  float dot(float[] a, int ao, float[] b, int bo, int len);

  /** {@code tanh} in place on {@code a[from, from + len)}, to float precision. */
  void tanh(float[] a, int from, int len);

  /** The logistic sigmoid in place on {@code a[from, from + len)}, to float precision. */
  void sigmoid(float[] a, int from, int len);

  /**
   * One step of an LSTM cell with sigmoid gates and a tanh activation (Keras' and PyTorch's
   * defaults) for one sample of {@code units} units: the gates {@code z = a[ao + j] + b[bo + j]}
   * in Keras' order (input, forget, cell, output, {@code units} values each); then
   * {@code c = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_c)} and {@code h = sigmoid(z_o) * tanh(c)},
   * written over {@code cell[so, so + units)} and {@code state[so, so + units)}. The same values as
   * the gates through {@link #sigmoid} and {@link #tanh}, the products and sum in float.
   */
  void lstmCell(float[] a, int ao, float[] b, int bo, float[] cell, float[] state, int so, int units);

  /** {@code max(a[i], 0)} in place on {@code a[from, from + len)} (negatives become 0; NaN and -0 stay). */
  void relu(float[] a, int from, int len);

  /** {@code a[i] < 0 ? a[i] * slope : a[i]} in place on {@code a[from, from + len)}, rounded once. */
  void leakyRelu(float[] a, int from, int len, float slope);

  /** {@code min(max(a[i], lo), hi)} in place on {@code a[from, from + len)}: relu6, hardtanh. */
  void clamp(float[] a, int from, int len, float lo, float hi);

  /**
   * GELU in place on {@code a[from, from + len)}: {@code x/2 * (1 + erf(x / sqrt 2))}, or with
   * {@code tanhApprox} {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}, to float precision:
   * a few float ulps of the result, plus up to {@code 3e-7 * |x|} absolute for negative {@code x}, where
   * {@code 1 + erf} cancels towards 0 (PyTorch's vectorised CPU kernel computes it the same way).
   */
  void gelu(float[] a, int from, int len, boolean tanhApprox);

  /** SiLU (swish) in place on {@code a[from, from + len)}: {@code x * sigmoid(x)}, to float precision. */
  void silu(float[] a, int from, int len);

  /**
   * Keras 3's and PyTorch's hard sigmoid {@code relu6(x + 3) / 6} in place on {@code a[from, from + len)},
   * or with {@code timesInput} hard-swish / hard SiLU {@code x * relu6(x + 3) / 6}.
   */
  void hardSigmoid(float[] a, int from, int len, boolean timesInput);

  /**
   * Softmax of {@code scale * x} in place on each of the {@code rows} consecutive rows of
   * {@code width} values of {@code a} from {@code from}: {@code s = scale * x} in float, then
   * {@code exp(s - max)} to float precision, each times the reciprocal of the row's sum (an
   * attention's scores, scaled by {@code 1 / sqrt(key_dim)}, become its weights). A value of
   * negative infinity (a causal mask) becomes 0.
   */
  void softmaxRows(float[] a, int from, int rows, int width, float scale);

  /**
   * Layer normalisation in place: each of the {@code rows} consecutive rows of {@code width} values
   * of {@code a} from {@code from} becomes {@code (x - mean) / sqrt(var + eps) * gamma + beta}
   * ({@code gamma} null: 1, {@code beta} null: 0), the mean and the biased variance in two passes
   * (the mean, then the mean of the squared deviations, as PyTorch's {@code layer_norm} and Keras'
   * {@code moments} compute them), so a row far from zero loses nothing to cancellation.
   */
  void layerNorm(float[] a, int from, int rows, int width, float[] gamma, float[] beta, double eps);

  /**
   * Whether these are SIMD kernels: the ops' plain-Java limits are higher with them, since a product
   * runs several times faster (measured in docs/benchmarks.md, "Small models and sequences").
   */
  boolean simd();

  /** What runs: {@code "scalar"} or {@code "vector (N float lanes)"}, for logs and the benchmark's notes. */
  String description();

  /** The kernels this JVM runs: the vector ones where the module is present (and not turned off). */
  static JavaKernels active() {
    return Selected.ACTIVE;
  }

  /** The scalar kernels, whatever the JVM: what tests compare the vector kernels with. */
  static JavaKernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** The vector kernels where this JVM can run them (the module is in the boot layer), whatever the property. */
  static Optional<JavaKernels> vector() {
    return Selected.VECTOR;
  }

  /** The choice, made once per JVM (a class's static initialiser runs once, thread-safely). */
  final class Selected {
    static final Optional<JavaKernels> VECTOR = loadVector();
    static final JavaKernels ACTIVE = !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "true"))
        && VECTOR.isPresent() ? VECTOR.get() : ScalarKernels.INSTANCE;

    private Selected() {}

    private static Optional<JavaKernels> loadVector() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return Optional.empty();
      }
      try {
        // Named, not referenced: this class must link where the module is absent.
        return Optional.of((JavaKernels) Class.forName("dev.sequent.runtime.exec.VectorKernels")
            .getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | LinkageError e) {
        // includes the constructor's refusal (an InvocationTargetException) on a CPU with too few lanes
        return Optional.empty();
      }
    }
  }
}
