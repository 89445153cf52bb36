package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.ChannelSource;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.PlanePhases;
import dev.sequent.runtime.exec.SmallKernels;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A channels-first 2-D convolution ({@code groups = 1}) computed directly on the input planes, in
 * Java, without patches: every input plane is split into its stride phases with its padding
 * ({@link PlanePhases}), so each tap {@code (ky, kx)} of each input channel reads one contiguous
 * run of the flat phases, shifted by a constant; the output planes are then computed flat, a row
 * pitch of {@link PlanePhases#width} (the columns past the output's are discarded), as
 * {@code y[c][q] = sum over (ci, tap) of w[c][ci][tap] * phases[ci][tapStart + q]}: a product
 * whose inputs are shifted views of the phases, eight output channels and three vectors of
 * positions at a time in registers ({@link JavaKernels#directConv}).
 *
 * <p>Why: through ND4J, oneDNN's own convolution kernel runs ResNet's 3x3 layers in ONNX
 * Runtime's time, but the call around it rebuilds its descriptor and reorders the weights (and,
 * channels first, the activations both ways) on every call: 4.5 ms for a 1.1 ms convolution
 * (docs/benchmarks.md, "Fourth round"). Here the weights are laid out once, at bind time, and the
 * only copies are the phases in and the output rows out.
 *
 * <p>A pooling over blocks of the output ({@link Epilogue.Pooling}, folded in from the layer after)
 * is applied to each band as it is finished, its bands whole blocks of rows, so the full-size
 * output is never written: CNN's 32 planes of 26x26 are 2.8 MB at batch 32, pooled 0.7 MB.
 *
 * <p>Immutable and shared by any number of threads; the phases live in an array per calling
 * thread, which the intra-op helpers of that call read, and each band's sums in an array of the
 * thread that computes it.
 */
final class DirectConvolution implements ChannelSource {
  /**
   * Where the rule gives convolutions to this form: {@code "rule"} (the default: {@link #preferred}),
   * {@code "always"} every channels-first one it can take, {@code "never"} none. Read when a layer
   * is bound; for tests that reach this form on every fixture and for measuring it against the others.
   */
  static final String FORM_PROPERTY = "sequent.conv.direct";

  /** Phase values per chunk of samples: a chunk's phases (a few hundred KiB) stay in L2 while its blocks read them. */
  private static final int CHUNK_VALUES = 1 << 18;

  /**
   * Flat positions per band of output rows: a block's band (8 channels, 32 KiB) stays in the cache
   * from its sums to its bias, activation and copy out; a whole 112x112 plane per block (3.3 MB
   * for 64 channels) went through memory three times.
   */
  private static final int BAND_POSITIONS = 1024;

  /** Input planes split per piece of work. */
  private static final int PLANES_PER_TASK = 16;

  /**
   * The phases of a chunk per calling thread, an input plane, a band's flat sums, a pooling's
   * combined rows and a band's pooled rows per thread (shared by every layer).
   */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

  private final PlanePhases phases;
  private final JavaKernels kernels;
  private final int cin;
  private final int cout;
  private final int h;
  private final int w;
  private final int oh;
  private final int ow;
  private final int pitch;
  /** The pooling folded in, or null. */
  private final Epilogue.Pooling pooling;
  /** The layer's output planes: the convolution's, or pooled. */
  private final int outH;
  private final int outW;
  /**
   * A 1x1 convolution at stride 1 without padding: its phases are the input planes themselves, so
   * they are read in place (plain-Java regime) or copied once (ND4J regime), never split.
   */
  private final boolean pointwise;
  /** Values of one input plane's phases (an input plane's, {@link #pointwise}). */
  private final int planeValues;
  /**
   * Output rows per band are a multiple of this: with {@link #pointwise} planes whose size is a
   * multiple of the tile, every band then starts and ends on a tile, so no band reads past its
   * sample's last plane (and the input is read in place).
   */
  private final int bandRowMultiple;
  /** {@link #pointwise}, whole tiles per plane: the plain-Java regime reads the input array itself. */
  private final boolean inPlace;
  /** Flat positions computed per output plane: the output's rows at {@link #pitch}, rounded up to whole tiles. */
  private final int flat;
  private final int blocks;
  /** {@code cin * kh * kw}: the sum's length. */
  private final int depth;
  /** Per step {@code k = ci * kh * kw + tap}: where its run starts in one sample's phases. */
  private final int[] offsets;
  /** {@code [block][k][DIRECT_BLOCK]}: the weights of each block of output channels, zeros past {@code cout}. */
  private final float[] packed;
  private final float[] bias;
  /** The activation's bounds where it clamps ({@link Elementwise#clampBounds}): applied with the bias as rows are copied out. */
  private final float[] clamp;
  /** Applied to each output row as it is written (a value-by-value activation that does not clamp), or null. */
  private final Activation perValue;
  /** Applied to the whole output afterwards (softmax over an axis), or null. */
  private final Activation afterwards;

  /**
   * @param g the window: input and output sizes, kernel, stride, dilation, padding before the data
   * @param oihw the weights {@code (cout, cin, kh, kw)} row-major, any folded scale already in them
   * @param bias {@code cout} values (a folded shift already in them), or null
   * @param pooling a pooling of the activated output, channels first ({@link #pools}), or null
   */
  DirectConvolution(SmallKernels.Window g, int cin, int cout, float[] oihw, float[] bias, Activation act,
      Epilogue.Pooling pooling) {
    this.phases = new PlanePhases(g, 0f);
    this.kernels = JavaKernels.active();
    this.cin = cin;
    this.cout = cout;
    this.h = g.height();
    this.w = g.width();
    this.oh = g.outH();
    this.ow = g.outW();
    this.pitch = phases.width();
    this.pointwise = g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.top() == 0
        && g.left() == 0 && oh == h && ow == w;
    this.planeValues = pointwise ? h * w : phases.phasesSize();
    int tile = kernels.directTile();
    this.flat = (oh * pitch + tile - 1) / tile * tile;
    int rowMultiple = pointwise ? tile / gcd(tile, ow) : 1;
    // a band of whole pooling blocks
    this.bandRowMultiple = pooling == null ? rowMultiple
        : rowMultiple / gcd(rowMultiple, pooling.height()) * pooling.height();
    this.inPlace = pointwise && (oh * ow) % tile == 0;
    int taps = g.kernelH() * g.kernelW();
    this.depth = cin * taps;
    this.offsets = new int[depth];
    for (int c = 0; c < cin; c++) {
      for (int t = 0; t < taps; t++) {
        offsets[c * taps + t] = c * planeValues + (pointwise ? 0 : phases.tapStart(t));
      }
    }
    int block = JavaKernels.DIRECT_BLOCK;
    this.blocks = (cout + block - 1) / block;
    this.packed = new float[blocks * depth * block];
    for (int o = 0; o < cout; o++) {
      int base = (o / block) * depth * block + o % block;
      for (int k = 0; k < depth; k++) {
        packed[base + k * block] = oihw[o * depth + k];
      }
    }
    this.bias = bias;
    this.clamp = Elementwise.clampBounds(act);
    this.perValue = clamp == null && Elementwise.mapsEachValue(act) ? act : null;
    this.afterwards = clamp == null && perValue == null ? act : null;
    if (pooling != null && !pools(pooling, act)) {
      throw new IllegalArgumentException("a " + pooling + " after " + act + " is not this form's");
    }
    this.pooling = pooling;
    this.outH = pooling == null ? oh : Epilogue.Pooling.pooled(oh, pooling.height());
    this.outW = pooling == null ? ow : Epilogue.Pooling.pooled(ow, pooling.width());
  }

  /**
   * Whether this form pools its output with {@code pooling} after activation {@code act}: channels
   * first, after an activation applied value by value as each band is finished (a softmax over
   * the whole output is not).
   */
  static boolean pools(Epilogue.Pooling pooling, Activation act) {
    return pooling.format() == DataFormat.CHANNELS_FIRST
        && (Elementwise.clampBounds(act) != null || Elementwise.mapsEachValue(act));
  }

  /**
   * The least share of the computed flat positions that are outputs for the rule to take a layer:
   * the rest (the phases' padding columns, the last tile's rounding) is computed and discarded, so
   * small outputs waste most of the work: 7x7 keeps 0.77 (49 of 64), 4x4 with a 3x3 kernel 0.5,
   * 2x2 0.25, and a 1x1 output 1/16.
   */
  static final double MIN_USED_SHARE = 0.6;

  /**
   * Whether the rule gives a channels-first convolution over window {@code g} to this form (known
   * before its weights are, so a fusion can be decided on it): with SIMD kernels (the scalar
   * form is there for the JVMs without the Vector API and for tests, not for speed) and an output
   * large enough ({@link #MIN_USED_SHARE}), unless the property says otherwise.
   */
  static boolean preferred(SmallKernels.Window g) {
    int tile = JavaKernels.active().directTile();
    int flat = (g.outH() * new PlanePhases(g, 0f).width() + tile - 1) / tile * tile;
    return allowed() && (System.getProperty(FORM_PROPERTY, "rule").equals("always")
        || (double) g.outH() * g.outW() / flat >= MIN_USED_SHARE);
  }

  /** Whether this form may take any layer: always with {@code "always"}, never with {@code "never"}, by the rule with SIMD kernels. */
  static boolean allowed() {
    String form = System.getProperty(FORM_PROPERTY, "rule");
    return form.equals("always") || (!form.equals("never") && JavaKernels.active().simd());
  }

  /** The plain-Java regime: {@code n} samples of {@code x} (NCHW) into an array of the pass's ({@link PassArrays#take}). */
  float[] apply(float[] x, int n) {
    float[] y = PassArrays.take(n * cout * outH * outW);
    PlaneSplitter splitter = pointwise
        ? (s, c, ph, at) -> System.arraycopy(x, (s * cin + c) * h * w, ph, at, h * w)
        : (s, c, ph, at) -> phases.splitWhole(x, (s * cin + c) * h * w, ph, at);
    run(n, inPlace ? x : null, splitter, (s, c, r0, r1, rows, from) -> {
      int to = (s * cout + c) * outH * outW;
      if (pooling != null) {
        finishPooled(rows, from, r0, r1, c, y, to + r0 / pooling.height() * outW);
        return;
      }
      if (pitch == ow) {
        finish(rows, from, (r1 - r0) * ow, c, y, to + r0 * ow);
        return;
      }
      // the band finished in place in one call, then its rows copied: a call per row of a small
      // plane (LeNet-5's 24 columns) ran mostly in the kernels' scalar tails, 3x slower at batch 8
      finish(rows, from, (r1 - r0) * pitch, c, rows, from);
      for (int r = r0; r < r1; r++) {
        System.arraycopy(rows, from + (r - r0) * pitch, y, to + r * ow, ow);
      }
    });
    if (afterwards != null) {
      Elementwise.activate(afterwards, y, 0, new long[] {n, cout, oh, ow});
    }
    return y;
  }

  /** The ND4J regime: the input read from its buffer, the output written into a reused one ({@link ActivationBuffers}). */
  INDArray apply(INDArray input) {
    INDArray x = Elementwise.contiguous(input);
    int n = (int) x.size(0);
    FloatBuffer in = Elementwise.buffer(x);
    INDArray y = ActivationBuffers.take(new long[] {n, cout, outH, outW});
    FloatBuffer out = Elementwise.buffer(y);
    // absolute bulk gets and puts only: they change no position, so the helpers share the buffers
    PlaneSplitter splitter = pointwise
        ? (s, c, ph, at) -> in.get((s * cin + c) * h * w, ph, at, h * w)
        : (s, c, ph, at) -> {
          float[] plane = FloatArrays.grown(SCRATCH.get(), 1, h * w);
          in.get((s * cin + c) * h * w, plane, 0, h * w);
          phases.splitWhole(plane, 0, ph, at);
        };
    run(n, null, splitter, (s, c, r0, r1, rows, from) -> {
      int to = (s * cout + c) * outH * outW;
      if (pooling != null) {
        // the band's pooled rows are one run of the output plane
        float[] pooled = FloatArrays.grown(SCRATCH.get(), 4, ((r1 - r0) / pooling.height() + 1) * outW);
        int count = finishPooled(rows, from, r0, r1, c, pooled, 0);
        if (count > 0) {
          out.put(to + r0 / pooling.height() * outW, pooled, 0, count * outW);
        }
        return;
      }
      finish(rows, from, (r1 - r0) * pitch, c, rows, from);
      if (pitch == ow) {
        // no padding columns (a 1x1 convolution): the band's rows are one run
        out.put(to + r0 * ow, rows, from, (r1 - r0) * ow);
        return;
      }
      for (int r = r0; r < r1; r++) {
        out.put(to + r * ow, rows, from + (r - r0) * pitch, ow);
      }
    });
    Reference.reachabilityFence(x);
    Reference.reachabilityFence(y);
    return afterwards == null ? y : Elementwise.applyInPlace(afterwards, y);
  }

  /** Splits input plane {@code c} of sample {@code s} into its phases, {@code ph} from {@code at}. */
  @FunctionalInterface
  private interface PlaneSplitter {
    void split(int s, int c, float[] ph, int at);
  }

  /**
   * Takes rows {@code r0 .. r1} of output plane {@code c} of sample {@code s}, at the pitch in
   * {@code rows} from {@code from}: the band's sums, to be finished ({@link #finish}) as they are
   * written.
   */
  @FunctionalInterface
  private interface PlaneWriter {
    void write(int s, int c, int r0, int r1, float[] rows, int from);
  }

  /**
   * The samples in chunks: each chunk's inputs read and split into phases (its planes shared among
   * the intra-op threads), then its pieces (a sample, a block of output channels, a band of output
   * rows) shared among them, each computing its band flat into a small array of its thread's own,
   * adding the bias, applying the activation and writing its rows while they are in the cache.
   */
  private void run(int n, float[] input, PlaneSplitter splitter, PlaneWriter writer) {
    int sampleValues = cin * planeValues;
    int chunk = input != null ? n : Math.max(1, Math.min(n, CHUNK_VALUES / Math.max(1, sampleValues)));
    int block = JavaKernels.DIRECT_BLOCK;
    int tile = kernels.directTile();
    int rowsPerBand = bandRows();
    int bandCount = (oh + rowsPerBand - 1) / rowsPerBand;
    int bandValues = block * roundUp(rowsPerBand * pitch, tile);
    float[][] s = SCRATCH.get();
    // the tile past the last plane: the last tile's discarded positions read up to it
    float[] ph = input != null ? input : FloatArrays.grown(s, 0, chunk * sampleValues + tile);
    for (int s0 = 0; s0 < n; s0 += chunk) {
      int first = s0;
      int m = Math.min(chunk, n - s0);
      int planes = m * cin;
      if (input == null) {
        IntraOp.share((planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK, (long) m * sampleValues, t -> {
          for (int p = t * PLANES_PER_TASK, end = Math.min(planes, p + PLANES_PER_TASK); p < end; p++) {
            splitter.split(first + p / cin, p % cin, ph, p * planeValues);
          }
        });
      }
      // shared by its multiply-adds (a million of them take tens of microseconds, a hand-off's cost)
      IntraOp.share(m * blocks * bandCount, (long) m * blocks * block * flat * depth / 16, t -> {
        int sample = t / (blocks * bandCount);
        int b = t / bandCount % blocks;
        int r0 = t % bandCount * rowsPerBand;
        int r1 = Math.min(oh, r0 + rowsPerBand);
        if (r0 >= r1) {
          return;
        }
        int len = roundUp((r1 - r0) * pitch, tile);
        float[] ys = FloatArrays.grown(SCRATCH.get(), 2, bandValues);
        // positions counted from the sample's phases, so the one offset table serves every sample
        // (from the input's first sample where it is read in place)
        int from = (input != null ? first + sample : sample) * sampleValues + r0 * pitch;
        kernels.directConv(ph, offsets, depth, packed, b * depth * block, from, from + len, ys, -from, len);
        for (int c = b * block, end = Math.min(cout, c + block); c < end; c++) {
          writer.write(first + sample, c, r0, r1, ys, (c - b * block) * len);
        }
      });
    }
  }

  /** Output rows per band: {@link #BAND_POSITIONS} or fewer positions, a multiple of {@link #bandRowMultiple}. */
  private int bandRows() {
    int bands = Math.max(1, (oh * pitch + BAND_POSITIONS - 1) / BAND_POSITIONS);
    return Math.min(oh, roundUp((oh + bands - 1) / bands, bandRowMultiple));
  }

  /**
   * Whether this form computes its output a block of channels at a time for the layer that reads
   * it ({@link ChannelSource}): read in place (a 1x1 convolution over planes of whole tiles), not
   * pooled, and activated value by value.
   */
  boolean computesBlocks() {
    return inPlace && pooling == null && afterwards == null;
  }

  @Override
  public int inChannels() {
    return cin;
  }

  @Override
  public int channels() {
    return cout;
  }

  @Override
  public int blockChannels() {
    return JavaKernels.DIRECT_BLOCK;
  }

  @Override
  public int planeValues() {
    return oh * ow;
  }

  /** Band by band on this thread, each band finished while it is in the cache ({@link #computesBlocks} only). */
  @Override
  public void computeBlock(float[] x, int sample, int b, float[] into) {
    if (!computesBlocks()) {
      throw new IllegalStateException("this convolution does not compute blocks of channels");
    }
    int block = JavaKernels.DIRECT_BLOCK;
    int rowsPerBand = bandRows();
    float[] ys = FloatArrays.grown(SCRATCH.get(), 2, block * rowsPerBand * pitch);
    int sampleStart = sample * cin * planeValues;
    for (int r0 = 0; r0 < oh; r0 += rowsPerBand) {
      int r1 = Math.min(oh, r0 + rowsPerBand);
      // read in place, every band is whole tiles (bandRowMultiple)
      int len = (r1 - r0) * pitch;
      int from = sampleStart + r0 * pitch;
      kernels.directConv(x, offsets, depth, packed, b * depth * block, from, from + len, ys, -from, len);
      for (int c = b * block, end = Math.min(cout, c + block); c < end; c++) {
        finish(ys, (c - b * block) * len, len, c, into, (c - b * block) * oh * ow + r0 * ow);
      }
    }
  }

  /**
   * Output channel {@code c}'s band of sums {@code rows} (output rows {@code r0 .. r1} at the
   * pitch from {@code from}; {@code r0} a block's first row), its whole pooling blocks finished
   * and pooled into {@code dst} from {@code to}, the band's first pooled row first; the rows past
   * the last whole block are dropped. A max pooling after a clamp (or no activation)
   * pools the sums and finishes only the pooled values: {@code clamp(x + bias)} is monotone in
   * {@code x}, rounding included, so the maximum commutes with it exactly and a quarter of the
   * values (2x2) are finished; any other activation is applied to the band first.
   *
   * @return the number of pooled rows
   */
  private int finishPooled(float[] rows, int from, int r0, int r1, int c, float[] dst, int to) {
    int kh = pooling.height();
    int first = r0 / kh;
    int blocks = Math.max(0, Math.min(outH, r1 / kh) - first);
    if (blocks == 0) {
      return 0;
    }
    boolean finishAfter = pooling.max() && perValue == null;
    if (!finishAfter) {
      finish(rows, from, blocks * kh * pitch, c, rows, from);
    }
    float[] scratch = FloatArrays.grown(SCRATCH.get(), 3, blocks * pooling.width() * outW);
    SmallKernels.poolBlocks(rows, from, pitch, blocks, kh, pooling.width(), outW, pooling.max(), scratch, dst, to);
    if (finishAfter) {
      finish(dst, to, blocks * outW, c, dst, to);
    }
    return blocks;
  }

  private static int roundUp(int v, int multiple) {
    return (v + multiple - 1) / multiple * multiple;
  }

  /**
   * Output channel {@code c}'s sums {@code ys[at .. at + len)} finished into {@code dst} from
   * {@code to} (which may be the same place): the bias and a clamping activation in one pass
   * ({@link JavaKernels#shiftClamp}), or the bias and then another per-value activation.
   */
  private void finish(float[] ys, int at, int len, int c, float[] dst, int to) {
    // no bias: adding -0 changes no value, not even a negative zero's sign
    float shift = bias != null ? bias[c] : -0f;
    if (clamp != null) {
      kernels.shiftClamp(ys, at, len, shift, clamp[0], clamp[1], dst, to);
      return;
    }
    kernels.shiftClamp(ys, at, len, shift, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, dst, to);
    if (perValue != null) {
      Elementwise.activate(perValue, dst, to, new long[] {len});
    }
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
