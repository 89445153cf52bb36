package dev.sequent.runtime.exec;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sliding window over one channels-first image plane (a depthwise convolution's, a max
 * pooling's) as whole-plane vector operations: the input plane is split into its
 * {@code strideH x strideW} phases (phase {@code (py, px)} holds input rows {@code py, py + sh,
 * ...} and columns {@code px, px + sw, ...}, the padding value where no input lands), so that
 * every tap {@code (ky, kx)} of the window reads ONE contiguous run of a phase, shifted by a
 * constant. The output plane is computed {@link #width} columns wide (the columns past the
 * output's are discarded by {@link #extract}) and combined tap by tap in (ky, kx) order through
 * {@link JavaKernels}: one long vectorised loop per tap instead of one per output row (JDK 17's C2
 * vectorises neither a loop over two arrays at unrelated offsets nor a strided read), which made
 * MobileNetV2's depthwise layers 3x and ResNet's stem pooling 4x faster than the per-row loops
 * (docs/benchmarks.md, "Third round").
 *
 * <p>Immutable, one per bound layer; the scratch arrays are per thread.
 */
public final class PlanePhases {
  /** What a layer computes for one output plane from the phases of the input plane it reads. */
  @FunctionalInterface
  public interface PlaneKernel {
    /** Output plane {@code q}'s computed plane ({@link #planeSize} values) from {@code phases} into {@code out}. */
    void compute(int q, float[] phases, float[] out);
  }

  /** Output planes computed per piece of work of {@link #map(INDArray, int, IntUnaryOperator, PlaneKernel, long[], long)}. */
  private static final int PLANES_PER_TASK = 8;

  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final int h;
  private final int w;
  private final int oh;
  private final int ow;
  private final int top;
  private final int left;
  private final float pad;
  /** Rows of a phase: the output's, the largest tap shift, and one for the discarded columns' reads. */
  private final int rows;
  /** Columns of a phase and of the computed output plane. */
  private final int width;
  private final int phaseSize;
  /** Per tap (ky, kx): where its run starts in the phases. */
  private final int[] tapStart;

  /**
   * Phases, an input plane, an output plane, a source's block of input planes, a source's whole
   * input ({@link #mapThrough}) and an output plane's rows packed together ({@link #extract}) per
   * thread.
   */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][0]);

  private final JavaKernels kernels = JavaKernels.active();
  /**
   * {@link JavaKernels#runMultiple}: how far a copy may run past a row's end. Rows that fit in one
   * such vector are split into their column phases ({@link #splitPairs}) and packed into the
   * output ({@link #extract}) one vector each, past their ends where the arrays allow, what that
   * overwrote put back or rewritten: a loop or a {@code System.arraycopy} per row cost more to
   * enter than such a row's copy. MobileNetV2's stride-2 depthwise layer at 14x14 went from
   * 270-310 to 170 ns a plane (one thread), its 14x14 and 7x7 stride-1 ones 5-10 % faster. Longer
   * rows gain nothing (28 and 56 wide: the same, or slower in a pass), and splitting stride-1 rows
   * this way was slower than {@code System.arraycopy}, so they keep the calls.
   */
  private final int multiple = kernels.runMultiple();

  /** The phases whose padding this thread's phases array holds. */
  private static final ThreadLocal<PlanePhases[]> OWNER = ThreadLocal.withInitial(() -> new PlanePhases[1]);

  /**
   * @param g the window: input and output sizes, kernel, stride, dilation, padding before the data
   * @param pad the value of the padding: 0 for a convolution, negative infinity for max pooling
   */
  public PlanePhases(SmallKernels.Window g, float pad) {
    this.kh = g.kernelH();
    this.kw = g.kernelW();
    this.sh = g.strideH();
    this.sw = g.strideW();
    this.h = g.height();
    this.w = g.width();
    this.oh = g.outH();
    this.ow = g.outW();
    this.top = g.top();
    this.left = g.left();
    this.pad = pad;
    int maxShiftY = (kh - 1) * g.dilationH() / sh;
    int maxShiftX = (kw - 1) * g.dilationW() / sw;
    this.rows = oh + maxShiftY + 1;
    this.width = ow + maxShiftX;
    this.phaseSize = rows * width;
    this.tapStart = new int[kh * kw];
    for (int ky = 0; ky < kh; ky++) {
      for (int kx = 0; kx < kw; kx++) {
        int dy = ky * g.dilationH();
        int dx = kx * g.dilationW();
        tapStart[ky * kw + kx] = ((dy % sh) * sw + dx % sw) * phaseSize + (dy / sh) * width + dx / sw;
      }
    }
  }

  /** Values of the computed output plane ({@link #width} columns a row). */
  public int planeSize() {
    return oh * width;
  }

  /**
   * The computed plane's length rounded up to whole vectors of the widest lanes: a convolution
   * computes these positions (the ones past {@link #planeSize} are discarded with the padding
   * columns), so no position runs in a kernel's scalar tail. MobileNetV2's 7x7 planes (63 values)
   * ran 15 of them one by one per tap.
   */
  private int computedSize() {
    return (planeSize() + WHOLE_VECTORS - 1) / WHOLE_VECTORS * WHOLE_VECTORS;
  }

  /** Floats in the widest vector: 512 bits. */
  private static final int WHOLE_VECTORS = 16;

  /**
   * This thread's phases array for these phases, its padding already the padding value: filled
   * when another layer (another geometry or padding) used it last, else as this layer's last
   * plane left it, since every plane writes the same places. Filling it per plane was a third of
   * the split's time.
   */
  private float[] phasesArray() {
    float[][] s = SCRATCH.get();
    PlanePhases[] owner = OWNER.get();
    // the reads of the positions up to computedSize may pass the last phase by part of a vector
    int size = sh * sw * phaseSize + WHOLE_VECTORS;
    if (s[0].length < size) {
      s[0] = new float[size];
      owner[0] = null;
    }
    if (owner[0] != this) {
      Arrays.fill(s[0], 0, size, pad);
      owner[0] = this;
    }
    return s[0];
  }

  /** This thread's array for one input plane ({@code h * w} values). */
  private float[] inputArray() {
    return scratch(1, h * w);
  }

  /**
   * This thread's array for one computed output plane ({@link #planeSize}), and the rounding of a
   * row's copy past its end ({@link #extract}).
   */
  private float[] outputArray() {
    return scratch(2, computedSize() + multiple);
  }

  private static float[] scratch(int which, int size) {
    float[][] s = SCRATCH.get();
    if (s[which].length < size) {
      s[which] = new float[size];
    }
    return s[which];
  }

  /**
   * The phases of the input plane {@code x[from .. from + h*w)} into {@code phases} (from
   * {@link #phasesArray}): only the input's values are written.
   */
  private void split(float[] x, int from, float[] phases) {
    split(x, from, phases, 0, false);
  }

  /** Columns of a phase and of the computed output plane: the computed plane's row pitch. */
  public int width() {
    return width;
  }

  /** Values of one input plane's phases together ({@code strideH * strideW} phases). */
  public int phasesSize() {
    return sh * sw * phaseSize;
  }

  /** Where tap {@code (ky, kx)} (index {@code ky * kernelW + kx}) starts reading in an input plane's phases. */
  public int tapStart(int tap) {
    return tapStart[tap];
  }

  /**
   * The phases of the input plane {@code x[from .. from + h*w)} into {@code phases[at .. at +
   * phasesSize())}, every value written, the padding too: for arrays that hold the phases of many
   * planes and are reused by any layer (a direct convolution's), where nothing is left from before.
   */
  public void splitWhole(float[] x, int from, float[] phases, int at) {
    split(x, from, phases, at, true);
  }

  /**
   * The phases of one input plane into {@code phases} from {@code at}: the input's values, and
   * with {@code whole} the padding around them too.
   */
  private void split(float[] x, int from, float[] phases, int at, boolean whole) {
    for (int py = 0; py < sh; py++) {
      if (sw == 2 && splitPairs(x, from, phases, at, whole, py)) {
        continue;
      }
      for (int px = 0; px < sw; px++) {
        int base = at + (py * sw + px) * phaseSize;
        // phase columns j whose input column j*sw + px - left lies inside the plane: [lo, hi)
        int lo = Math.max(0, Math.min(width, ceilDiv(left - px, sw)));
        int hi = Math.max(lo, Math.min(width, ceilDiv(w + left - px, sw)));
        // phase rows i whose input row i*sh + py - top lies inside the plane: [i0, i1)
        int i0 = Math.max(0, ceilDiv(top - py, sh));
        int i1 = Math.min(rows, ceilDiv(h + top - py, sh));
        for (int i = whole ? 0 : i0, end = whole ? rows : i1; i < end; i++) {
          int row = base + i * width;
          if (i < i0 || i >= i1) {
            Arrays.fill(phases, row, row + width, pad);
            continue;
          }
          if (whole) {
            Arrays.fill(phases, row, row + lo, pad);
            Arrays.fill(phases, row + hi, row + width, pad);
          }
          int src = from + (i * sh + py - top) * w + px - left;
          if (sw == 1) {
            System.arraycopy(x, src + lo, phases, row + lo, hi - lo);
          } else {
            for (int j = lo; j < hi; j++) {
              phases[row + j] = x[src + j * sw];
            }
          }
        }
      }
    }
  }

  /**
   * {@link #split}'s row phase {@code py} at column stride 2: both column phases of each row in one
   * pass over the input row, each pair of input values to its two phases. Per phase, as
   * {@link #split} does otherwise, every row was read twice, each read every other value: 1.1 ns a
   * value, most of a 3x3/2 max pooling's time (docs/benchmarks.md, "Sixth round").
   *
   * @return false, having written nothing, where the two phases share no column (a plane a
   *     column or two wide), which {@link #split} then takes phase by phase
   */
  private boolean splitPairs(float[] x, int from, float[] phases, int at, boolean whole, int py) {
    // phase columns j whose input column 2j + px - left lies inside the plane, per column phase px
    int lo0 = Math.max(0, Math.min(width, ceilDiv(left, 2)));
    int hi0 = Math.max(lo0, Math.min(width, ceilDiv(w + left, 2)));
    int lo1 = Math.max(0, Math.min(width, ceilDiv(left - 1, 2)));
    int hi1 = Math.max(lo1, Math.min(width, ceilDiv(w + left - 1, 2)));
    // lo1 <= lo0 and hi1 <= hi0: phase 1 may start a column earlier, phase 0 end a column later
    int lo = lo0;
    int hi = hi1;
    if (lo >= hi) {
      return false;
    }
    int base0 = at + py * 2 * phaseSize;
    int base1 = base0 + phaseSize;
    int end0 = base1;
    int end1 = base1 + phaseSize;
    int i0 = Math.max(0, ceilDiv(top - py, sh));
    int i1 = Math.min(rows, ceilDiv(h + top - py, sh));
    // rows of one vector of pairs copied past their ends, then the padding after each put back
    int run = multiple / 2;
    boolean over = multiple > 1 && hi - lo <= run;
    for (int i = whole ? 0 : i0, end = whole ? rows : i1; i < end; i++) {
      int row0 = base0 + i * width;
      int row1 = base1 + i * width;
      if (i < i0 || i >= i1) {
        Arrays.fill(phases, row0, row0 + width, pad);
        Arrays.fill(phases, row1, row1 + width, pad);
        continue;
      }
      if (whole) {
        Arrays.fill(phases, row0, row0 + lo0, pad);
        Arrays.fill(phases, row0 + hi0, row0 + width, pad);
        Arrays.fill(phases, row1, row1 + lo1, pad);
        Arrays.fill(phases, row1 + hi1, row1 + width, pad);
      }
      // input column c of this row is x[src + c + left]: phase px's column j reads x[src + 2j + px];
      // phase 1 may start a column before phase 0 and phase 0 end a column after phase 1 (not loops:
      // a loop of at most one step cost more to enter than the step)
      int src = from + (i * sh + py - top) * w - left;
      if (lo1 < lo) {
        phases[row1 + lo1] = x[src + 2 * lo1 + 1];
      }
      boolean past = over && src + 2 * (lo + run) <= x.length && row0 + lo + run <= end0 && row1 + lo + run <= end1;
      if (past) {
        kernels.deinterleaveOver(x, src + 2 * lo, hi - lo, phases, row0 + lo, phases, row1 + lo);
      } else {
        kernels.deinterleave(x, src + 2 * lo, hi - lo, phases, row0 + lo, phases, row1 + lo);
      }
      if (hi < hi0) {
        phases[row0 + hi] = x[src + 2 * hi];
      }
      if (past) {
        padAfter(phases, row0 + hi0, row0 + lo + run, end0);
        padAfter(phases, row1 + hi1, row1 + lo + run, end1);
      }
    }
    return true;
  }

  /**
   * The padding value put back from {@code at} (a row's data end) to {@code reach} (where its copy
   * stopped): one vector where the phase holds it ({@code limit}), which may also cover the next
   * rows' places, rewritten when they are split (rows are split in order); else value by value.
   */
  private void padAfter(float[] phases, int at, int reach, int limit) {
    if (at + multiple <= limit) {
      kernels.fillOver(phases, at, pad);
      return;
    }
    for (int p = at, end = Math.min(reach, limit); p < end; p++) {
      phases[p] = pad;
    }
  }

  /**
   * The convolution with weights {@code weights[at .. at + kh*kw)} and {@code bias} into {@code
   * out}, each value then clamped to {@code [lo, hi]} (infinite bounds: none), on this thread's
   * phases ({@link #map}).
   */
  public void convolve(float[] phases, float[] weights, int at, float bias, float lo, float hi, float[] out) {
    kernels.taps(out, computedSize(), phases, tapStart, weights, at, bias, lo, hi);
  }

  /**
   * The window's maximum (the padding counts as its value: negative infinity for max pooling)
   * into {@code out}, on this thread's phases ({@link #map}), in one pass ({@link
   * JavaKernels#maxTaps}): ResNet-18's 3x3/2 stem pooling at 224x224 took a pass over the plane
   * per tap, 0.55 ms where ONNX Runtime's took 0.09.
   */
  public void max(float[] phases, float[] out) {
    kernels.maxTaps(out, computedSize(), phases, tapStart);
  }

  /**
   * One plane on this thread: the input plane at {@code x[from]} split into its phases, output plane
   * {@code 0} of {@code kernel} computed from them and written to {@code y} from {@code to}. For an
   * op that prepares each input plane itself just before (a pooling's rows pooled first), while it
   * is in the cache.
   */
  public void mapPlane(float[] x, int from, PlaneKernel kernel, float[] y, int to) {
    float[] phases = phasesArray();
    float[] plane = outputArray();
    split(x, from, phases);
    kernel.compute(0, phases, plane);
    extract(plane, y, to);
  }

  /**
   * {@code planes} output planes of a batch on Java arrays, the plain-Java path's form: output
   * plane {@code q} of {@code y} computed by {@code kernel} from input plane {@code inputOf(q)}
   * of {@code x}, each input plane split once for the consecutive output planes that read it (a
   * depthwise convolution's channel multiplier), the planes shared among the pass's intra-op
   * threads ({@link IntraOp#share}, by the values each plane's taps touch) as in the ND4J regime's
   * form: a pass of one chunk (batch 1) leaves its helpers to the ops that split their own work.
   */
  public void map(float[] x, int planes, IntUnaryOperator inputOf, PlaneKernel kernel, float[] y) {
    int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
    IntraOp.share(tasks, (long) planes * planeSize() * tapStart.length, t -> {
      float[] phases = phasesArray();
      float[] plane = outputArray();
      int last = -1;
      for (int q = t * PLANES_PER_TASK, end = Math.min(planes, q + PLANES_PER_TASK); q < end; q++) {
        int c = inputOf.applyAsInt(q);
        if (c != last) {
          split(x, c * h * w, phases);
          last = c;
        }
        kernel.compute(q, phases, plane);
        extract(plane, y, q * oh * ow);
      }
    });
  }

  /**
   * The same in the ND4J regime: each input plane read from the input's buffer, each output plane
   * written into a reused output buffer ({@link ActivationBuffers}) of {@code outputShape} once, the
   * planes shared among the pass's intra-op threads ({@link IntraOp#share}, by the {@code
   * workPerPlane} values each touches).
   */
  public INDArray map(INDArray input, int planes, IntUnaryOperator inputOf, PlaneKernel kernel, long[] outputShape,
      long workPerPlane) {
    INDArray x = Elementwise.contiguous(input);
    FloatBuffer in = Elementwise.buffer(x);
    INDArray y = ActivationBuffers.take(outputShape);
    FloatBuffer out = Elementwise.buffer(y);
    int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
    IntraOp.share(tasks, planes * workPerPlane, t -> {
      float[] phases = phasesArray();
      float[] source = inputArray();
      float[] plane = outputArray();
      FloatBuffer from = in.duplicate();
      FloatBuffer into = out.duplicate();
      int last = -1;
      for (int q = t * PLANES_PER_TASK, end = Math.min(planes, q + PLANES_PER_TASK); q < end; q++) {
        int c = inputOf.applyAsInt(q);
        if (c != last) {
          from.get(c * h * w, source, 0, h * w);
          split(source, 0, phases);
          last = c;
        }
        kernel.compute(q, phases, plane);
        extract(plane, into, q * oh * ow);
      }
    });
    java.lang.ref.Reference.reachabilityFence(x);
    java.lang.ref.Reference.reachabilityFence(y);
    return y;
  }

  /**
   * {@link #map}, each input plane computed by {@code source} from the batch {@code x} of its
   * input ({@link ChannelSource}) instead of read: each piece of work is one sample's block of the
   * source's channels, computed into an array of this thread's that stays in the cache, then the
   * {@code multiplier} output planes that read each of its planes (output plane {@code c *
   * multiplier + m} reads input plane {@code c}, as a depthwise convolution's channel multiplier).
   */
  public void mapThrough(ChannelSource source, float[] x, int n, int multiplier, PlaneKernel kernel, float[] y) {
    mapThrough(source, x, n, 0, multiplier, kernel, (plane, q) -> extract(plane, y, q * oh * ow));
  }

  /** Input values per chunk of samples {@link #mapThrough} copies to the heap in the ND4J regime (4 MB). */
  private static final int THROUGH_CHUNK_VALUES = 1 << 20;

  /**
   * The same in the ND4J regime: the source's input copied to the heap a chunk of samples at a
   * time (an array of this thread's, which its helpers read), the output written into a reused
   * buffer ({@link ActivationBuffers}) of {@code outputShape}.
   */
  public INDArray mapThrough(ChannelSource source, INDArray input, int multiplier, PlaneKernel kernel,
      long[] outputShape) {
    INDArray x = Elementwise.contiguous(input);
    int n = (int) x.size(0);
    int sampleValues = source.inChannels() * h * w;
    int chunk = Math.max(1, Math.min(n, THROUGH_CHUNK_VALUES / sampleValues));
    FloatBuffer in = Elementwise.buffer(x);
    INDArray y = ActivationBuffers.take(outputShape);
    FloatBuffer out = Elementwise.buffer(y);
    for (int s0 = 0; s0 < n; s0 += chunk) {
      int m = Math.min(chunk, n - s0);
      float[] heap = scratch(4, m * sampleValues);
      in.get(s0 * sampleValues, heap, 0, m * sampleValues);
      mapThrough(source, heap, m, s0, multiplier, kernel, (plane, q) -> extract(plane, out, q * oh * ow));
    }
    java.lang.ref.Reference.reachabilityFence(x);
    java.lang.ref.Reference.reachabilityFence(y);
    return y;
  }

  /** Where {@link #mapThrough} puts output plane {@code q}'s computed plane. */
  @FunctionalInterface
  private interface PlaneSink {
    void put(float[] plane, int q);
  }

  /** Samples {@code x} of the batch from {@code firstSample} on: their output planes numbered in the whole batch. */
  private void mapThrough(ChannelSource source, float[] x, int n, int firstSample, int multiplier, PlaneKernel kernel,
      PlaneSink sink) {
    int channels = source.channels();
    int block = source.blockChannels();
    int blocks = (channels + block - 1) / block;
    long work = (long) n * channels * (planeSize() * multiplier * tapStart.length + (long) h * w * source.inChannels());
    IntraOp.share(n * blocks, work, t -> {
      int s = t / blocks;
      int b = t % blocks;
      float[] planes = scratch(3, block * h * w);
      source.computeBlock(x, s, b, planes);
      float[] phases = phasesArray();
      float[] plane = outputArray();
      for (int c = b * block, end = Math.min(channels, c + block); c < end; c++) {
        split(planes, (c - b * block) * h * w, phases);
        for (int m = 0; m < multiplier; m++) {
          int q = ((firstSample + s) * channels + c) * multiplier + m;
          kernel.compute(q, phases, plane);
          sink.put(plane, q);
        }
      }
    });
  }

  /**
   * The output's columns of the computed plane {@code plane} into {@code y} from {@code to}: rows
   * of one vector packed together in an array of this thread's first ({@link #packRows}), then
   * copied in one call; the output is shared with other threads, so it is never written past the
   * plane.
   */
  private void extract(float[] plane, float[] y, int to) {
    if (width == ow) {
      System.arraycopy(plane, 0, y, to, oh * ow);
    } else if (packsRows()) {
      System.arraycopy(packRows(plane), 0, y, to, oh * ow);
    } else {
      for (int oy = 0; oy < oh; oy++) {
        System.arraycopy(plane, oy * width, y, to + oy * ow, ow);
      }
    }
  }

  /** The same into an ND4J buffer. */
  private void extract(float[] plane, FloatBuffer y, int to) {
    if (width == ow) {
      y.put(to, plane, 0, oh * ow);
    } else if (packsRows()) {
      y.put(to, packRows(plane), 0, oh * ow);
    } else {
      for (int oy = 0; oy < oh; oy++) {
        y.put(to + oy * ow, plane, oy * width, ow);
      }
    }
  }

  /** Whether {@link #extract} packs the rows first: rows of one vector, with kernels that copy a vector at a time. */
  private boolean packsRows() {
    return multiple > 1 && ow <= multiple;
  }

  /**
   * The output's rows of {@code plane} (from {@link #outputArray}, which holds a copy's rounding)
   * packed together a vector at a time ({@link JavaKernels#copyOver}), each row's run past its end
   * rewritten by the next row.
   */
  private float[] packRows(float[] plane) {
    float[] packed = scratch(5, oh * ow + multiple);
    for (int oy = 0; oy < oh; oy++) {
      kernels.copyOver(plane, oy * width, ow, packed, oy * ow);
    }
    return packed;
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
