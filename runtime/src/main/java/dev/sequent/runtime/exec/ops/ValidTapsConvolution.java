package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution ({@code groups = 1}) on a small output as one matrix product per class of
 * output pixels, a class being the pixels whose kernel taps fall inside the input at the same
 * kernel positions: the taps that read padding are never multiplied. Each class's patches hold
 * only its valid taps, {@code [n * pixels, taps * cin]}, and its weights are packed once, at bind
 * time, for those taps ({@link JavaKernels#pack}); the products are split by columns among the
 * intra-op threads ({@link SmallKernels#denseShared}).
 *
 * <p>Why: a 3x3 convolution with padding 1 on a 2x2 output (ResNet-18's last stage at 64x64)
 * reads padding in 5 of its 9 taps, so its patch matrix is more than half zeros, and oneDNN's
 * kernel multiplies them: 3.7 ms per layer at batch 8 in the pass, 1.75 ms in this form.
 * {@link #preferred} says which layers take it. Its cost is memory: each class has its own copy of
 * its taps' weights (the four classes of a 2x2 output hold 16 taps' worth of a 3x3 kernel's 9).
 *
 * <p>Both layouts: channels first, the patches gather each valid tap per input channel and the
 * products' rows are written back transposed; channels last, each tap's channels are one run of
 * the input and the products' rows are the output's. Immutable and shared by any number of
 * threads: the patches and products live in arrays per call.
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

  /** Most output pixels for which the rule takes a layer whatever its share of valid taps. */
  static final int MAX_ANY_SHARE_PIXELS = 4;

  /** One class of output pixels: where they are, which taps they read, the weights of those taps. */
  private record PixelClass(int[] pixels, int[] tapRows, int[] tapCols, JavaKernels.PackedKernel weights) {}

  private final SmallKernels.Window window;
  private final int cin;
  private final int cout;
  private final boolean channelsFirst;
  private final float[] bias;
  private final Activation act;
  private final List<PixelClass> classes;
  /** The output pixels whose every tap reads padding: the bias alone. */
  private final int[] paddingOnly;

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
    this.classes = classes(window, cin, cout, byChannel);
    long[] rows = rowMasks(window);
    long[] cols = colMasks(window);
    this.paddingOnly = java.util.stream.IntStream.range(0, window.outH() * window.outW())
        .filter(p -> rows[p / window.outW()] == 0 || cols[p % window.outW()] == 0).toArray();
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
   * Measured in ResNet-18 64x64's passes, 2 threads: the 2x2 layers' 3x3 convolutions (4 of 9 taps
   * valid) 3.7 -> 1.75 ms at batch 8 and 9.6 -> 3.9 ms at batch 32; its stride-2 one onto 2x2
   * (25 of 36) 2.35 -> 1.57 and 6.4 -> 3.8 ms; but the 4x4 layers' (49 of 72) 1.7 -> 2.45 and
   * 4.4 -> 7.4 ms, where oneDNN's kernel has 16 pixels to work on.
   */
  static boolean preferred(SmallKernels.Window g) {
    return allowed() && g.kernelH() < 64 && g.kernelW() < 64
        && (System.getProperty(FORM_PROPERTY, "rule").equals("always")
            || g.outH() * g.outW() <= MAX_ANY_SHARE_PIXELS || validShare(g) <= MAX_VALID_SHARE);
  }

  /** {@code n} samples of {@code input} into a reused output array ({@link ActivationBuffers}). */
  INDArray apply(INDArray input) {
    int n = (int) input.size(0);
    float[] x = FloatArrays.copyOf(input);
    int oh = window.outH();
    int ow = window.outW();
    int pixelsPerSample = oh * ow;
    float[] y = new float[n * pixelsPerSample * cout];
    JavaKernels k = JavaKernels.active();
    for (PixelClass c : classes) {
      int taps = c.tapRows().length;
      int depth = taps * cin;
      int rows = n * c.pixels().length;
      float[] patches = new float[rows * depth];
      gather(x, n, c, patches);
      float[] products = new float[rows * cout];
      SmallKernels.denseShared(k, patches, rows, c.weights(), bias, products);
      scatter(products, n, c, y);
    }
    if (bias != null && paddingOnly.length > 0) {
      for (int b = 0; b < n; b++) {
        for (int p : paddingOnly) {
          for (int oc = 0; oc < cout; oc++) {
            y[channelsFirst ? (b * cout + oc) * pixelsPerSample + p : (b * pixelsPerSample + p) * cout + oc] = bias[oc];
          }
        }
      }
    }
    long[] shape = channelsFirst ? new long[] {n, cout, oh, ow} : new long[] {n, oh, ow, cout};
    Elementwise.activate(act, y, 0, shape);
    return FloatArrays.of(y, shape);
  }

  /** Each sample's pixels of class {@code c} as rows of its valid taps' values, tap by tap, each tap's channels in turn. */
  private void gather(float[] x, int n, PixelClass c, float[] patches) {
    int h = window.height();
    int w = window.width();
    int ow = window.outW();
    int taps = c.tapRows().length;
    int depth = taps * cin;
    int row = 0;
    for (int b = 0; b < n; b++) {
      int sample = b * cin * h * w;
      for (int p : c.pixels()) {
        int oy = p / ow;
        int ox = p % ow;
        int at = row * depth;
        for (int t = 0; t < taps; t++, at += cin) {
          int iy = window.inputRow(oy, c.tapRows()[t]);
          int ix = window.inputCol(ox, c.tapCols()[t]);
          if (channelsFirst) {
            int from = sample + iy * w + ix;
            for (int ic = 0; ic < cin; ic++) {
              patches[at + ic] = x[from + ic * h * w];
            }
          } else {
            System.arraycopy(x, sample + (iy * w + ix) * cin, patches, at, cin);
          }
        }
        row++;
      }
    }
  }

  /** The products' rows (one per sample and pixel of class {@code c}) into the output. */
  private void scatter(float[] products, int n, PixelClass c, float[] y) {
    int pixelsPerSample = window.outH() * window.outW();
    int row = 0;
    for (int b = 0; b < n; b++) {
      int sample = b * pixelsPerSample * cout;
      for (int p : c.pixels()) {
        int from = row * cout;
        if (channelsFirst) {
          for (int oc = 0; oc < cout; oc++) {
            y[sample + oc * pixelsPerSample + p] = products[from + oc];
          }
        } else {
          System.arraycopy(products, from, y, sample + p * cout, cout);
        }
        row++;
      }
    }
  }

  /**
   * The output pixels grouped by the kernel positions whose taps land inside the input: a class
   * per pair of an output-row class (the rows with the same valid kernel rows) and an
   * output-column class; each with its weights packed {@code [taps * cin][cout]}, taps in kernel
   * order, each tap's channels in turn.
   */
  private static List<PixelClass> classes(SmallKernels.Window g, int cin, int cout, float[] byChannel) {
    long[] rowMasks = rowMasks(g);
    long[] colMasks = colMasks(g);
    long[] rowKinds = Arrays.stream(rowMasks).distinct().toArray();
    long[] colKinds = Arrays.stream(colMasks).distinct().toArray();
    int kh = g.kernelH();
    int kw = g.kernelW();
    List<PixelClass> out = new ArrayList<>();
    for (long rowKind : rowKinds) {
      for (long colKind : colKinds) {
        if (rowKind == 0 || colKind == 0) {
          continue; // pixels that read only padding: the bias alone (written below)
        }
        List<Integer> pixels = new ArrayList<>();
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            if (rowMasks[oy] == rowKind && colMasks[ox] == colKind) {
              pixels.add(oy * g.outW() + ox);
            }
          }
        }
        int taps = Long.bitCount(rowKind) * Long.bitCount(colKind);
        int[] tapRows = new int[taps];
        int[] tapCols = new int[taps];
        int t = 0;
        for (int ky = 0; ky < kh; ky++) {
          for (int kx = 0; kx < kw; kx++) {
            if ((rowKind >> ky & 1) != 0 && (colKind >> kx & 1) != 0) {
              tapRows[t] = ky;
              tapCols[t] = kx;
              t++;
            }
          }
        }
        float[] w = new float[taps * cin * cout];
        for (t = 0; t < taps; t++) {
          for (int ic = 0; ic < cin; ic++) {
            int from = (ic * kh + tapRows[t]) * kw + tapCols[t];
            int to = (t * cin + ic) * cout;
            for (int oc = 0; oc < cout; oc++) {
              w[to + oc] = byChannel[oc * cin * kh * kw + from];
            }
          }
        }
        out.add(new PixelClass(pixels.stream().mapToInt(Integer::intValue).toArray(), tapRows, tapCols,
            JavaKernels.active().pack(w, taps * cin, cout)));
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
