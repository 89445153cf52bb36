package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution ({@code groups = 1}) on a small output as one matrix product per kernel tap
 * over only the output pixels whose tap falls inside the input: the taps that read padding are
 * never multiplied. Tap {@code t}'s product is {@code [n * pixels_t, cin] x [cin, cout]}, its rows
 * the input values under the tap, its weights packed once at bind time ({@link JavaKernels#pack});
 * the products add into the output row of their pixel. The columns are split among the intra-op
 * threads, each thread taking every tap for its columns.
 *
 * <p>Why: a 3x3 convolution with padding 1 on a 2x2 output (ResNet-18's last stage at 64x64)
 * reads padding in 5 of its 9 taps, so its patch matrix is more than half zeros, and oneDNN's
 * kernel multiplies them: 3.7 ms per layer at batch 8 in the pass, 1.75 ms with one product per
 * class of pixels (the pixels reading the same taps). Per tap rather than per class, each weight is
 * held once and read once a call: the four classes of a 2x2 output read 16 taps' worth of a 3x3
 * kernel's 9 (16 MB a call for 512x512 channels, and 65 MB more heap for ResNet-18 64x64), the nine
 * of a 4x4 output 49. {@link #preferred} says which layers take it.
 *
 * <p>Both layouts: channels first, the input is laid channels last once per call, so each tap's
 * rows are runs of the input, and the output is laid back at the end. Channels last, as the
 * plan's channels-last pass runs a channels-first layer over small planes ({@code Conv2DOp},
 * {@link #takesChannelsLast}), nothing is laid out either way. Immutable and shared by any
 * number of threads: the patches and products live in arrays per call.
 */
final class ValidTapsConvolution {
  /**
   * Where the rule gives convolutions to this form: {@code "rule"} (the default: {@link #preferred}),
   * {@code "always"} every one it can take, {@code "never"} none. Read when a layer is bound; for
   * tests that reach this form on every fixture and for measuring it against the others.
   */
  static final String FORM_PROPERTY = "sequent.conv.validTaps";

  /** Most valid taps, as a share of all, for which the rule takes a layer of any output size. */
  static final double MAX_VALID_SHARE = 0.5;

  /** The most patch values one slab of samples gathers ({@link #apply}): 4 MiB. */
  static final long PATCH_VALUES = 1 << 20;

  /** Most output pixels for which the rule takes a layer whatever its share of valid taps. */
  static final int MAX_ANY_SHARE_PIXELS = 16;

  /**
   * One kernel tap's product: the output pixels (in order) whose tap reads the input, whether that
   * is every pixel, and the tap's weights {@code [cin][cout]}.
   */
  private record TapProduct(int ky, int kx, int[] pixels, boolean everyPixel, JavaKernels.PackedKernel weights) {}

  private final SmallKernels.Window window;
  private final int cin;
  private final int cout;
  private final boolean channelsFirst;
  private final float[] bias;
  private final Activation act;
  /** The taps that read the input somewhere, one that reads it at every pixel first where there is one. */
  private final List<TapProduct> taps;

  /**
   * @param byChannel OIHW weights as {@code [cout][cin*kh*kw]}
   * @param bias one per output channel, or null
   * @param act applied to every output value afterwards
   */
  ValidTapsConvolution(SmallKernels.Window window, int cin, int cout, boolean channelsFirst, float[] byChannel,
      float[] bias, Activation act) {
    this.window = window;
    this.cin = cin;
    this.cout = cout;
    this.channelsFirst = channelsFirst;
    this.bias = bias;
    this.act = act;
    this.taps = taps(window, cin, cout, byChannel);
  }

  /** The share of all (pixel, tap) pairs whose tap reads the input rather than padding. */
  static double validShare(SmallKernels.Window g) {
    return (double) validCount(rowMasks(g)) * validCount(colMasks(g))
        / ((long) g.outH() * g.kernelH() * g.outW() * g.kernelW());
  }

  /** Whether this form may take layers: always with {@code "always"}, never with {@code "never"}, by the rule with SIMD kernels. */
  static boolean allowed() {
    String form = System.getProperty(FORM_PROPERTY, "rule");
    return form.equals("always") || (!form.equals("never") && JavaKernels.active().simd());
  }

  /**
   * Whether a layer takes this form: allowed, a kernel of at most 63 rows and columns (a bit per
   * kernel row in a {@code long}), and by the rule an output of at most
   * {@link #MAX_ANY_SHARE_PIXELS} pixels or at most {@link #MAX_VALID_SHARE} of its taps valid.
   * Measured in ResNet-18 64x64's passes, 2 threads (AMD EPYC, AVX-512), against oneDNN: its 4x4
   * layers' 3x3 convolutions (100 of 144 pixel taps valid) 1.58-1.83 -> 0.64-0.80 ms at batch 8
   * and 2.5-2.85 -> 2.0-2.55 ms at batch 32; its 2x2 layers (16 of 36) went from 1.17-1.35 ms with a
   * product per class of pixels to 0.68-1.11 ms at batch 8. Larger outputs stay with the other
   * forms: the 7x7 stem onto 32x32 and the 1x1 stride-2 downsampling layers were even or slower
   * at batch 32 (2.94 -> 3.27 ms, 0.56 -> 0.64 ms).
   */
  static boolean preferred(SmallKernels.Window g) {
    return allowed() && g.kernelH() < 64 && g.kernelW() < 64
        && (System.getProperty(FORM_PROPERTY, "rule").equals("always")
            || g.outH() * g.outW() <= MAX_ANY_SHARE_PIXELS || validShare(g) <= MAX_VALID_SHARE);
  }

  /**
   * The most output pixels at which a layer channels first has this form's channels-last one too
   * (see {@code Conv2DOp}): 8x8. Measured in ResNet-18's passes (2 threads, interleaved, the
   * layers' times; docs/benchmarks.md, "Thirteenth round"): at 64x64 and batch 8 its 8x8 layers'
   * 3x3 convolutions went from 1.5-2.7 ms in the direct form to 1.3-2.0, its 1x1 downsampling
   * layers 0.32-0.42 -> 0.12-0.15, its 4x4 and 2x2 layers even; at 224x224 and batch 1 the 7x7
   * layers 1.92-1.96 -> 1.61-1.67 ms, but the 14x14 ones 1.48-1.59 -> 1.83-1.97: there the direct
   * form computes 224 flat positions for 196, and the products per tap, each one's sums added into
   * the output, cost more than that.
   */
  static final int MAX_CHANNELS_LAST_PIXELS = 64;

  /** Whether a layer over window {@code g} has this form's channels-last one ({@link #MAX_CHANNELS_LAST_PIXELS}). */
  static boolean takesChannelsLast(SmallKernels.Window g) {
    return g.kernelH() < 64 && g.kernelW() < 64 && g.outH() * g.outW() <= MAX_CHANNELS_LAST_PIXELS;
  }

  /** Values of the patches of one sample: each tap's input rows, {@code cin} values per (pixel, valid tap). */
  long patchValuesPerSample() {
    long rows = 0;
    for (TapProduct tap : taps) {
      rows += tap.pixels().length;
    }
    return rows * cin;
  }

  /** The ND4J regime: {@code n} samples of {@code input} into a reused output array ({@link ActivationBuffers}). */
  INDArray apply(INDArray input) {
    int n = (int) input.size(0);
    return FloatArrays.of(apply(FloatArrays.copyOf(input), n), outputShape(n));
  }

  /** The output's shape for {@code n} samples, in this layer's layout. */
  private long[] outputShape(int n) {
    return channelsFirst ? new long[] {n, cout, window.outH(), window.outW()}
        : new long[] {n, window.outH(), window.outW(), cout};
  }

  /**
   * The plain-Java regime: {@code n} samples of {@code x} into an array of the pass's
   * ({@link PassArrays#take}); its temporaries are given back. The samples go in slabs whose
   * patches hold at most {@link #PATCH_VALUES} values, so a batch of small planes taken by the
   * plain-Java pass in large chunks (the channels-last form) keeps its patches near the L2 cache's
   * size rather than tens of megabytes; at batch 1 every layer this form takes is one slab.
   */
  float[] apply(float[] x, int n) {
    int slab = (int) Math.max(1, Math.min(n, PATCH_VALUES / Math.max(1, patchValuesPerSample())));
    if (slab >= n) {
      return applySlab(x, 0, n);
    }
    int sampleOut = window.outH() * window.outW() * cout;
    float[] out = PassArrays.take(n * sampleOut);
    for (int s0 = 0; s0 < n; s0 += slab) {
      int m = Math.min(slab, n - s0);
      float[] part = applySlab(x, s0, m);
      // both layouts keep each sample's outputs together
      System.arraycopy(part, 0, out, s0 * sampleOut, m * sampleOut);
      PassArrays.give(part);
    }
    return out;
  }

  /** Samples {@code first .. first + n} of {@code x} into an array of the pass's: one slab of {@link #apply}. */
  private float[] applySlab(float[] x, int first, int n) {
    int h = window.height();
    int w = window.width();
    int pixels = window.outH() * window.outW();
    float[] rowsIn = channelsFirst ? transposeEach(x, first, n, cin, h * w) : x;
    int firstRow = channelsFirst ? 0 : first;
    // every tap's rows first, a tap per piece of work shared among the threads (they were copied
    // on the calling thread alone while the helpers waited), then the products by columns
    float[][] patches = new float[taps.size()][];
    int scratchRows = 0;
    long macs = 0;
    for (int t = 0; t < taps.size(); t++) {
      patches[t] = PassArrays.take(n * taps.get(t).pixels().length * cin);
    }
    IntraOp.share(taps.size(), patchValuesPerSample() * n,
        t -> gather(rowsIn, firstRow, n, taps.get(t), patches[t]));
    for (int t = 0; t < taps.size(); t++) {
      TapProduct tap = taps.get(t);
      int rows = n * tap.pixels().length;
      macs += (long) rows * cin * cout;
      if (!(t == 0 && tap.everyPixel())) {
        scratchRows = Math.max(scratchRows, rows);
      }
    }
    if (rowsIn != x) {
      PassArrays.give(rowsIn);
    }
    // rows (sample, pixel), channels last; the first tap writes them with the bias where it
    // reads the input at every pixel, else they start as the bias
    float[] y = PassArrays.take(n * pixels * cout);
    boolean firstWrites = !taps.isEmpty() && taps.get(0).everyPixel();
    if (!firstWrites) {
      for (int r = 0; r < n * pixels; r++) {
        if (bias == null) {
          Arrays.fill(y, r * cout, (r + 1) * cout, 0f);
        } else {
          System.arraycopy(bias, 0, y, r * cout, cout);
        }
      }
    }
    float[] products = PassArrays.take(scratchRows * cout);
    JavaKernels k = JavaKernels.active();
    // each thread its own columns of y and of the products: no two threads write one value
    SmallKernels.byColumns(k, macs, cout, (from, to) -> {
      for (int t = 0; t < taps.size(); t++) {
        TapProduct tap = taps.get(t);
        int rows = n * tap.pixels().length;
        if (t == 0 && firstWrites) {
          k.dense(patches[t], rows, tap.weights(), bias, y, from, to);
          continue;
        }
        k.dense(patches[t], rows, tap.weights(), null, products, from, to);
        int r = 0;
        for (int b = 0; b < n; b++) {
          for (int p : tap.pixels()) {
            k.accumulate(y, (b * pixels + p) * cout + from, to - from, products, 1f, r * cout + from);
            r++;
          }
        }
      }
    });
    PassArrays.give(products);
    for (float[] patch : patches) {
      PassArrays.give(patch);
    }
    float[] out = y;
    if (channelsFirst) {
      out = transposeEach(y, 0, n, pixels, cout);
      PassArrays.give(y);
    }
    Elementwise.activate(act, out, 0, outputShape(n));
    return out;
  }

  /** Each sample's input under {@code tap} at its pixels, one row of {@code cin} values each, from sample {@code first} of {@code rowsIn}, into {@code patches}. */
  private void gather(float[] rowsIn, int first, int n, TapProduct tap, float[] patches) {
    int h = window.height();
    int w = window.width();
    int ow = window.outW();
    int at = 0;
    for (int b = 0; b < n; b++) {
      for (int p : tap.pixels()) {
        int iy = window.inputRow(p / ow, tap.ky());
        int ix = window.inputCol(p % ow, tap.kx());
        System.arraycopy(rowsIn, (((first + b) * h + iy) * w + ix) * cin, patches, at, cin);
        at += cin;
      }
    }
  }

  /**
   * Each of {@code n} row-major {@code rows x cols} matrices of {@code a} from matrix {@code first}
   * transposed, into an array of the pass's.
   */
  private static float[] transposeEach(float[] a, int first, int n, int rows, int cols) {
    float[] out = PassArrays.take(n * rows * cols);
    for (int b = 0; b < n; b++) {
      int sample = b * rows * cols;
      int from = (first + b) * rows * cols;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[sample + c * rows + r] = a[from + r * cols + c];
        }
      }
    }
    return out;
  }

  /**
   * Every kernel tap that reads the input at one output pixel at least, in kernel order except
   * that the first tap reading it at every pixel (if any) goes first, each with its weights packed
   * {@code [cin][cout]}.
   */
  private static List<TapProduct> taps(SmallKernels.Window g, int cin, int cout, float[] byChannel) {
    long[] rowMasks = rowMasks(g);
    long[] colMasks = colMasks(g);
    int kh = g.kernelH();
    int kw = g.kernelW();
    int pixelCount = g.outH() * g.outW();
    List<TapProduct> out = new ArrayList<>();
    for (int ky = 0; ky < kh; ky++) {
      for (int kx = 0; kx < kw; kx++) {
        List<Integer> pixels = new ArrayList<>();
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            if ((rowMasks[oy] >> ky & 1) != 0 && (colMasks[ox] >> kx & 1) != 0) {
              pixels.add(oy * g.outW() + ox);
            }
          }
        }
        if (pixels.isEmpty()) {
          continue;
        }
        float[] weights = new float[cin * cout];
        for (int ic = 0; ic < cin; ic++) {
          int from = (ic * kh + ky) * kw + kx;
          for (int oc = 0; oc < cout; oc++) {
            weights[ic * cout + oc] = byChannel[oc * cin * kh * kw + from];
          }
        }
        TapProduct tap = new TapProduct(ky, kx, pixels.stream().mapToInt(Integer::intValue).toArray(),
            pixels.size() == pixelCount, JavaKernels.active().pack(weights, cin, cout));
        boolean first = tap.everyPixel() && (out.isEmpty() || !out.get(0).everyPixel());
        out.add(first ? 0 : out.size(), tap);
      }
    }
    return out;
  }

  /** Per output row, the kernel rows whose taps land inside the input, one bit each. */
  private static long[] rowMasks(SmallKernels.Window g) {
    return masks(g.outH(), g.kernelH(), g.height(), g::inputRow);
  }

  /** Per output column, the kernel columns whose taps land inside the input, one bit each. */
  private static long[] colMasks(SmallKernels.Window g) {
    return masks(g.outW(), g.kernelW(), g.width(), g::inputCol);
  }

  /**
   * Along one axis of {@code outputs} positions: per output position, bit {@code k} set where
   * kernel position {@code k} reads {@code input(o, k)} inside {@code [0, extent)}.
   */
  private static long[] masks(int outputs, int kernel, int extent, java.util.function.IntBinaryOperator input) {
    long[] masks = new long[outputs];
    for (int o = 0; o < outputs; o++) {
      for (int k = 0; k < kernel; k++) {
        int at = input.applyAsInt(o, k);
        if (at >= 0 && at < extent) {
          masks[o] |= 1L << k;
        }
      }
    }
    return masks;
  }

  private static long validCount(long[] masks) {
    long count = 0;
    for (long m : masks) {
      count += Long.bitCount(m);
    }
    return count;
  }
}
