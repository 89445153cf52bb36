package dev.sequent.runtime.exec;

import dev.sequent.model.Activation;

/**
 * Dense products, direct 2-D convolution and pooling in plain Java, for problems so small that
 * ND4J's fixed cost per call dominates: a oneDNN convolution costs about 200 us at batch 1 whatever
 * its size, and a pooling call about 100 us, while LeNet-5's first convolution is only 118k
 * multiply-adds. The layer ops ({@link dev.sequent.runtime.exec.ops}) pick these below
 * {@link #CONV_LIMIT} / {@link #POOL_LIMIT} / {@link dev.sequent.runtime.exec.ops.DenseOp#JAVA_DENSE_LIMIT}
 * and ND4J above.
 *
 * <p>Padding is never materialised: out-of-range taps are skipped (zero for convolution, ignored
 * for max pooling, counted or not for averages as each framework does), which also covers Keras'
 * asymmetric {@code "same"} padding. The innermost loops run over contiguous memory so the JIT
 * can vectorise them; products are accumulated in float, as the frameworks' kernels do.
 */
public final class SmallKernels {
  /** Multiply-adds below which a convolution runs here rather than through ND4J. */
  public static final long CONV_LIMIT = 1 << 19;
  /** Window reads below which a pooling runs here rather than through ND4J. */
  public static final long POOL_LIMIT = 1 << 18;
  /**
   * {@link #CONV_LIMIT} with SIMD kernels ({@link JavaKernels#simd}): the im2col product through the
   * vector dense kernel, split over the intra-op threads by the plain-Java pass, beats oneDNN's
   * convolution and its fixed cost per call up to here (measured in docs/benchmarks.md, "Small
   * convolutions").
   */
  public static final long CONV_LIMIT_SIMD = 1 << 23;
  /** {@link #POOL_LIMIT} with SIMD kernels, so a pooling between two plain-Java convolutions stays with them. */
  public static final long POOL_LIMIT_SIMD = 1 << 21;

  /**
   * Values (input and output, per sample) below which a layer whose plain-Java form is the very
   * kernel of its ND4J-regime form (the direct convolution, the depthwise planes, a merge) runs in
   * the plain-Java pass: the two forms compute the same, sharing the work among the intra-op
   * threads, and the plain-Java pass saves each layer's copies between ND4J's buffers and the
   * heap. The bound keeps a pass's arrays within what {@link PassArrays} reuses (8 MB a value).
   */
  public static final long SAME_KERNEL_VALUES = 1 << 21;

  /** The convolution limit this JVM's kernels call for. */
  public static long convLimit() {
    return JavaKernels.active().simd() ? CONV_LIMIT_SIMD : CONV_LIMIT;
  }

  /**
   * The convolution limit for a layer with fewer output pixels than channels, whose plain-Java form
   * streams the packed weights once past a few rows of patches ({@link #conv}'s second form): with
   * SIMD kernels twice {@link #CONV_LIMIT_SIMD}, since ND4J's matrix product of such a skinny
   * matrix ran 2-4x slower (ResNet-18 64x64's 2x2 layers, 512 x 4608 weights: 1.4-2.3 ms against
   * 0.6 ms in Java; the whole row 16 against 18 ms at batch 1); past that, oneDNN's threads win
   * (MobileNetV2 with the limit doubled for every layer: 51 against 45 ms).
   */
  public static long convLimitFewPixels() {
    return JavaKernels.active().simd() ? 2 * CONV_LIMIT_SIMD : CONV_LIMIT;
  }

  /** The pooling limit this JVM's kernels call for. */
  public static long poolLimit() {
    return JavaKernels.active().simd() ? POOL_LIMIT_SIMD : POOL_LIMIT;
  }

  private SmallKernels() {}

  /**
   * The spatial arithmetic of one convolution or pooling window.
   *
   * @param top rows of padding before the data (the rows after it follow from the output size)
   * @param left columns of padding before the data
   */
  public record Window(int height, int width, int kernelH, int kernelW, int strideH, int strideW,
      int dilationH, int dilationW, int top, int left, int outH, int outW) {

    /** First output column whose tap {@code kx} lands inside the input. */
    int firstCol(int kx) {
      int offset = kx * dilationW - left;
      return offset >= 0 ? 0 : Math.min(outW, (-offset + strideW - 1) / strideW);
    }

    /** One past the last output column whose tap {@code kx} lands inside the input. */
    int endCol(int kx) {
      int last = width - 1 - (kx * dilationW - left);
      return last < 0 ? 0 : Math.min(outW, last / strideW + 1);
    }

    /** The input row that output row {@code oy}'s kernel row {@code ky} reads (outside {@code [0, height)}: padding). */
    public int inputRow(int oy, int ky) {
      return oy * strideH - top + ky * dilationH;
    }

    /** The input column that output column {@code ox}'s kernel column {@code kx} reads (outside {@code [0, width)}: padding). */
    public int inputCol(int ox, int kx) {
      return ox * strideW - left + kx * dilationW;
    }
  }

  /**
   * A convolution's weights in the layouts {@link #conv} multiplies with, made once when a layer
   * binds.
   *
   * @param byChannel {@code [cout][cin*kh*kw]}, taps ordered (cin, kh, kw): PyTorch's OIHW
   * @param byTap {@code byChannel} transposed, {@code [cin*kh*kw][cout]}, for channels-first inputs
   * @param byTapHwc {@code [kh*kw*cin][cout]}, taps ordered (kh, kw, cin): Keras' HWIO, for
   *     channels-last inputs, where a row of taps (kw * cin values) is contiguous in the input
   * @param bias per output channel, or null
   * @param byTapPacked {@code byTap} packed once for the active kernels ({@link JavaKernels#pack}): the
   *     pixel-rows product reads the weights on every call, and the vector kernels would otherwise
   *     copy a kernel wider than one panel into panels on each of them (LeNet-5's 400x120 layer:
   *     as many copies as multiply-adds at batch 1)
   * @param byTapHwcPacked {@code byTapHwc}, packed likewise
   */
  public record ConvWeights(int cout, int cin, int kernelH, int kernelW, float[] byChannel, float[] byTap,
      float[] byTapHwc, float[] bias, JavaKernels.PackedKernel byTapPacked, JavaKernels.PackedKernel byTapHwcPacked) {

    /**
     * From OIHW weights {@code [cout][cin][kh][kw]} (row-major) and a bias (or null). Holds three
     * copies of the weights (five with the vector kernels, whose packed ones are copies); only layers
     * small enough for the plain-Java path make one.
     */
    public static ConvWeights ofOihw(float[] oihw, int cout, int cin, int kh, int kw, float[] bias) {
      int taps = cin * kh * kw;
      if (oihw.length != cout * taps || (bias != null && bias.length != cout)) {
        throw new IllegalArgumentException("OIHW weights of " + oihw.length + " values for " + cout + "x" + cin
            + "x" + kh + "x" + kw + ", bias of " + (bias == null ? "none" : bias.length));
      }
      float[] byTap = new float[taps * cout];
      float[] byTapHwc = new float[taps * cout];
      for (int o = 0; o < cout; o++) {
        for (int i = 0; i < cin; i++) {
          for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
              float v = oihw[((o * cin + i) * kh + y) * kw + x];
              byTap[((i * kh + y) * kw + x) * cout + o] = v;
              byTapHwc[((y * kw + x) * cin + i) * cout + o] = v;
            }
          }
        }
      }
      JavaKernels kernels = JavaKernels.active();
      return new ConvWeights(cout, cin, kh, kw, oihw.clone(), byTap, byTapHwc, bias == null ? null : bias.clone(),
          kernels.pack(byTap, taps, cout), kernels.pack(byTapHwc, taps, cout));
    }

    int taps() {
      return cin * kernelH * kernelW;
    }
  }

  /**
   * Patch values gathered per call, per thread: a convolution's im2col matrix is rebuilt on every
   * call (up to a few hundred kilobytes), and a fresh array would be zeroed each time. The array is
   * grown, never shrunk, and only ever touched by its own thread, so any number of callers can share
   * one bound layer.
   */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

  /** This thread's scratch array {@code which} (0 to 2) with room for {@code size} values (contents undefined). */
  private static float[] scratch(int which, int size) {
    float[][] s = SCRATCH.get();
    if (s[which].length < size) {
      s[which] = new float[Math.max(size, s[which].length * 3 / 2)];
    }
    return s[which];
  }

  /** What the pixel rows of the channels-first product are padded to with SIMD kernels: 16 floats, an AVX-512 vector. */
  private static final int PIXEL_ALIGN = 16;

  /** Patch values gathered at once in the pixel-rows form (whole samples): bounds that scratch to about 1 MB. */
  private static final int PATCH_BLOCK = 1 << 18;

  /**
   * A convolution as a product with the patch matrix (im2col), through the register-blocked
   * {@link JavaKernels#dense} product. Two forms, by which side of the product is longer:
   * <ul>
   *   <li>at least as many output pixels as channels (LeNet's and the CNN's first layers): per
   *       sample, {@code [cout][taps] x [taps][pixels]}, the pixels the long, vectorised side: the
   *       sample's {@code [cout][pixels]} output (transposed for channels-last); at stride 1 each
   *       tap's patch row is one copy out of a zero-padded input plane, else runs of output columns
   *       gathered at the stride;
   *   <li>fewer pixels than channels (LeNet's 1x1 output with 120 channels): the patches of several
   *       samples as rows {@code [n*pixels][taps]} times {@code [taps][cout]}, which is
   *       channels-last output; channels-first output is transposed per sample (nothing to do for
   *       a 1x1 output).
   * </ul>
   * Measured against oneDNN in docs/benchmarks.md, "Small convolutions".
   *
   * @param x the input, {@code [n, cin, h, w]} if {@code channelsFirst} else {@code [n, h, w, cin]}
   * @param y the output, {@code [n, cout, oh, ow]} or {@code [n, oh, ow, cout]}
   */
  public static void conv(float[] x, int n, Window g, boolean channelsFirst, ConvWeights w, float[] y) {
    int pixels = g.outH() * g.outW();
    int cout = w.cout();
    int taps = w.taps();
    JavaKernels k = JavaKernels.active();
    if (pixels >= cout) {
      // At stride 1 the patches are whole shifted copies of a zero-padded input plane: output
      // (oy, ox) of tap (ic, ky, kx) is padded input (oy + ky*dh, ox + kx*dw), so with the output
      // computed over the padded width wp (its last (kw-1)*dw columns are discarded) each tap's
      // patch row is ONE run of outH*wp values of the plane. Gathered run by run (outW values per
      // output row and tap) they were 36 % of LeNet-5's samples at batch 32, more than the product.
      boolean shifted = g.strideH() == 1 && g.strideW() == 1;
      int hp = g.outH() + (g.kernelH() - 1) * g.dilationH();
      int wp = g.outW() + (g.kernelW() - 1) * g.dilationW();
      int rw = shifted ? wp : g.outW();
      int span = g.outH() * rw;
      // With SIMD kernels the pixel rows are padded to a whole number of 16-float vectors: the
      // dense kernel's columns past its last whole vector run scalar, and LeNet-5's 100 pixels
      // (6 vectors and 4 columns) spent as long in those 4 columns as in the other 96.
      int ld = k.simd() ? (span + PIXEL_ALIGN - 1) / PIXEL_ALIGN * PIXEL_ALIGN : span;
      float[] patches = scratch(0, taps * ld);
      float[] result = n == 1 && ld == pixels && channelsFirst ? y : scratch(1, cout * ld);
      int planeP = hp * wp;
      // the last tap's run reads (kw-1)*dw values past the last plane: discarded columns
      int paddedSize = w.cin() * planeP + (g.kernelW() - 1) * g.dilationW();
      float[] padded = shifted ? scratch(2, paddedSize) : null;
      boolean anyPadding = padded(g);
      if (padded != null) {
        java.util.Arrays.fill(padded, 0, paddedSize, 0f);
      }
      for (int b = 0; b < n; b++) {
        if (shifted) {
          paddedPlanes(x, b, w.cin(), g, channelsFirst, wp, planeP, padded, anyPadding);
          int tap = 0;
          for (int ic = 0; ic < w.cin(); ic++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
              for (int kx = 0; kx < g.kernelW(); kx++, tap++) {
                k.packRow(padded, ic * planeP + ky * g.dilationH() * wp + kx * g.dilationW(), span, tap, taps, ld,
                    patches);
              }
            }
          }
        } else {
          patchesByTap(x, b, w.cin(), g, channelsFirst, anyPadding || ld != pixels, patches, ld);
        }
        // the shifted copies were written in the kernels' packed layout (packRow); the gathered
        // patches are packed here, a copy of the patch matrix
        JavaKernels.PackedKernel patchKernel = shifted ? new JavaKernels.PackedKernel(k, taps, ld, patches)
            : k.pack(patches, taps, ld);
        denseShared(k, w.byChannel(), cout, patchKernel, null, result);
        int out = b * cout * pixels;
        for (int oc = 0; oc < cout; oc++) {
          float bias = w.bias() == null ? 0f : w.bias()[oc];
          int row = oc * ld;
          if (!channelsFirst) {
            // [cout][pixels] into the sample's [pixels][cout]
            for (int oy = 0, p = 0; oy < g.outH(); oy++) {
              for (int ox = 0; ox < g.outW(); ox++, p++) {
                y[out + p * cout + oc] = result[row + oy * rw + ox] + bias;
              }
            }
            continue;
          }
          if (result == y) {
            for (int p = row, end = row + pixels; p < end; p++) {
              y[p] += bias;
            }
            continue;
          }
          int to = out + oc * pixels;
          for (int oy = 0; oy < g.outH(); oy++) {
            int from = row + oy * rw;
            for (int ox = 0; ox < g.outW(); ox++) {
              y[to + ox] = result[from + ox] + bias;
            }
            to += g.outW();
          }
        }
      }
      return;
    }
    JavaKernels.PackedKernel kernel = channelsFirst ? w.byTapPacked() : w.byTapHwcPacked();
    int block = Math.max(1, Math.min(n, PATCH_BLOCK / Math.max(1, pixels * taps)));
    float[] patches = scratch(0, block * pixels * taps);
    boolean direct = !channelsFirst || pixels == 1;
    float[] result = direct && block == n ? y : scratch(1, block * pixels * cout);
    boolean padded = padded(g);
    for (int b0 = 0; b0 < n; b0 += block) {
      int count = Math.min(block, n - b0);
      if (padded) {
        java.util.Arrays.fill(patches, 0, count * pixels * taps, 0f);
      }
      for (int b = 0; b < count; b++) {
        patchesByPixel(x, b0 + b, w.cin(), g, channelsFirst, patches, b * pixels * taps);
      }
      denseShared(k, patches, count * pixels, kernel, w.bias(), result);
      int out = b0 * cout * pixels;
      if (direct) {
        if (result != y) {
          System.arraycopy(result, 0, y, out, count * cout * pixels);
        }
      } else {
        // [pixels][cout] per sample into [cout][pixels]
        for (int b = 0; b < count; b++) {
          int r = b * pixels * cout;
          int o = out + b * cout * pixels;
          for (int p = 0; p < pixels; p++) {
            for (int oc = 0; oc < cout; oc++) {
              y[o + oc * pixels + p] = result[r + p * cout + oc];
            }
          }
        }
      }
    }
  }

  /**
   * Sample {@code b}'s input as {@code cin} zero-padded channels-first planes of width {@code wp}
   * (padding {@code top} rows and {@code left} columns before the data; the zeros around it stay
   * from the caller's fill, as the data always lands in the same place).
   */
  private static void paddedPlanes(float[] x, int b, int cin, Window g, boolean channelsFirst, int wp, int planeP,
      float[] padded, boolean anyPadding) {
    int h = g.height();
    int w = g.width();
    int sample = b * cin * h * w;
    int hp = planeP / wp;
    for (int ic = 0; ic < cin; ic++) {
      for (int iy = 0; iy < h; iy++) {
        int py = iy + g.top();
        if (py < 0 || py >= hp) {
          continue; // defensive: at stride 1 every input row lies inside the padded plane
        }
        int to = ic * planeP + py * wp + g.left();
        int cols = Math.min(w, wp - g.left());
        if (channelsFirst) {
          System.arraycopy(x, sample + (ic * h + iy) * w, padded, to, cols);
        } else {
          for (int ix = 0, at = sample + iy * w * cin + ic; ix < cols; ix++, at += cin) {
            padded[to + ix] = x[at];
          }
        }
      }
    }
  }

  /** Whether some tap of some output falls in the padding (then the patches start from zeros). */
  private static boolean padded(Window g) {
    for (int kx = 0; kx < g.kernelW(); kx++) {
      if (g.firstCol(kx) > 0 || g.endCol(kx) < g.outW()) {
        return true;
      }
    }
    for (int ky = 0; ky < g.kernelH(); ky++) {
      if (g.inputRow(0, ky) < 0 || g.inputRow(g.outH() - 1, ky) >= g.height()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sample {@code b}'s channels-first patches as {@code [taps][ld]} ({@code ld >= pixels}; the
   * columns past the pixels stay zero), taps (cin, kh, kw): for
   * each tap and output row, one run of output columns read at the stride (a plain copy at stride
   * 1); taps in the padding are zero.
   */
  private static void patchesByTap(float[] x, int b, int cin, Window g, boolean channelsFirst, boolean padded,
      float[] patches, int ld) {
    int taps = cin * g.kernelH() * g.kernelW();
    if (padded) {
      java.util.Arrays.fill(patches, 0, taps * ld, 0f);
    }
    int sample = b * cin * g.height() * g.width();
    int channelStride = channelsFirst ? g.height() * g.width() : 1;
    int rowStride = channelsFirst ? g.width() : g.width() * cin;
    int colStride = channelsFirst ? 1 : cin;
    int step = g.strideW() * colStride;
    int tap = 0;
    for (int ic = 0; ic < cin; ic++) {
      int channel = sample + ic * channelStride;
      for (int ky = 0; ky < g.kernelH(); ky++) {
        for (int kx = 0; kx < g.kernelW(); kx++, tap++) {
          int ox0 = g.firstCol(kx);
          int ox1 = g.endCol(kx);
          if (ox1 <= ox0) {
            continue;
          }
          for (int oy = 0; oy < g.outH(); oy++) {
            int iy = g.inputRow(oy, ky);
            if (iy < 0 || iy >= g.height()) {
              continue;
            }
            int from = channel + iy * rowStride + g.inputCol(ox0, kx) * colStride;
            int to = tap * ld + oy * g.outW() + ox0;
            if (step == 1) {
              // runs of 10 to 30 values: a loop the JIT vectorises costs less than arraycopy's call
              for (int i = 0, len = ox1 - ox0; i < len; i++) {
                patches[to + i] = x[from + i];
              }
            } else {
              for (int ox = ox0, at = from; ox < ox1; ox++, at += step) {
                patches[to + ox - ox0] = x[at];
              }
            }
          }
        }
      }
    }
  }

  /**
   * Sample {@code b}'s patches as rows {@code [pixels][taps]} at {@code at} in {@code patches}
   * (already zero where taps fall in the padding): taps (cin, kh, kw) channels-first, a run of
   * {@code kw} input columns per (channel, kernel row); (kh, kw, cin) channels-last, a run of
   * {@code kw * cin} values per kernel row where the whole row is inside the input and undilated.
   */
  private static void patchesByPixel(float[] x, int b, int cin, Window g, boolean channelsFirst, float[] patches,
      int at) {
    int kh = g.kernelH();
    int kw = g.kernelW();
    int taps = cin * kh * kw;
    int sample = b * cin * g.height() * g.width();
    for (int oy = 0; oy < g.outH(); oy++) {
      for (int ox = 0; ox < g.outW(); ox++) {
        int row = at + (oy * g.outW() + ox) * taps;
        int ix0 = g.inputCol(ox, 0);
        boolean wholeRow = g.dilationW() == 1 && ix0 >= 0 && ix0 + kw <= g.width();
        for (int ky = 0; ky < kh; ky++) {
          int iy = g.inputRow(oy, ky);
          if (iy < 0 || iy >= g.height()) {
            continue;
          }
          if (channelsFirst) {
            for (int ic = 0; ic < cin; ic++) {
              int src = sample + (ic * g.height() + iy) * g.width();
              int to = row + (ic * kh + ky) * kw;
              for (int kx = 0; kx < kw; kx++) {
                int ix = ix0 + kx * g.dilationW();
                if (ix >= 0 && ix < g.width()) {
                  patches[to + kx] = x[src + ix];
                }
              }
            }
          } else if (wholeRow) {
            System.arraycopy(x, sample + (iy * g.width() + ix0) * cin, patches, row + ky * kw * cin, kw * cin);
          } else {
            for (int kx = 0; kx < kw; kx++) {
              int ix = ix0 + kx * g.dilationW();
              if (ix >= 0 && ix < g.width()) {
                System.arraycopy(x, sample + (iy * g.width() + ix) * cin, patches, row + (ky * kw + kx) * cin, cin);
              }
            }
          }
        }
      }
    }
  }

  /** How an average pool divides: by real cells only, or by the window clipped to the padding. */
  public enum Average { MAX, AVG_REAL_CELLS, AVG_INCLUDING_PADDING }

  /**
   * {@code y[r, :] = x[r, :] @ kernel + bias} for row-major {@code x} [rows][in], {@code kernel}
   * [in][units] and {@code y} [rows][units]; sums in float, as BLAS sgemm's are. Runs this JVM's
   * {@link JavaKernels#active() kernels}: the Vector API's where the JVM has the module.
   */
  public static void dense(float[] x, int rows, int in, float[] kernel, float[] bias, int units, float[] y) {
    JavaKernels.active().dense(x, rows, in, kernel, bias, units, y);
  }

  /**
   * Multiply-adds from which {@link #denseShared} splits a product's columns among the pass's
   * intra-op threads: about 10 us of work on one thread, against a hand-off of a few
   * microseconds to a spinning helper ({@link IntraOp}).
   */
  static final long SHARED_DENSE_MIN_MACS = 1 << 20;

  /**
   * {@link JavaKernels#dense(float[], int, JavaKernels.PackedKernel, float[], float[])}, its
   * columns split into pieces of whole panels (its rows, where the panels do not share evenly)
   * among the intra-op threads this pass may use
   * ({@link IntraOp#helpers}: none inside a chunk that already runs beside others) when it is large
   * enough ({@link #SHARED_DENSE_MIN_MACS}). At batch 1 a plain-Java pass is one chunk, so
   * without this a product of ResNet-18's late layers (4 to 16 pixels by 2304-4608 inputs by
   * 256-512 channels) ran on one of the two threads.
   */
  public static void denseShared(JavaKernels k, float[] x, int rows, JavaKernels.PackedKernel kernel, float[] bias,
      float[] y) {
    denseShared(k, x, rows, kernel, bias, Activation.LINEAR, y);
  }

  /**
   * {@link #denseShared(JavaKernels, float[], int, JavaKernels.PackedKernel, float[], float[])} with
   * {@code act} (one that maps each value) applied to each piece of the output as soon as it is
   * computed, while it is in the cache: a separate pass over a 1x1 convolution's 300 KB output
   * channels last read it back from L2.
   */
  public static void denseShared(JavaKernels k, float[] x, int rows, JavaKernels.PackedKernel kernel, float[] bias,
      Activation act, float[] y) {
    int units = kernel.units();
    long macs = (long) rows * kernel.in() * units;
    int threads = macs < SHARED_DENSE_MIN_MACS ? 1 : IntraOp.helpers() + 1;
    int steps = (units + k.denseColumnStep() - 1) / k.denseColumnStep();
    if (threads > 1 && steps % threads != 0 && rows >= 4 * threads) {
      // columns that do not share evenly (a 1x1 convolution's 160 outputs channels last: 2.5 panels
      // of 64) share by rows instead, in blocks of four, the kernel's tile
      int blocks = (rows + 3) / 4;
      IntraOp.run(threads, threads - 1, p -> {
        int from = Math.min(rows, blocks * p / threads * 4);
        int to = Math.min(rows, blocks * (p + 1) / threads * 4);
        k.dense(x, from, to, kernel, bias, y, 0, units);
        Elementwise.activate(act, y, from * units, new long[] {(long) (to - from) * units});
      });
      return;
    }
    byColumns(k, macs, units, (from, to) -> {
      k.dense(x, rows, kernel, bias, y, from, to);
      if (act.kind() != Activation.Kind.LINEAR) {
        for (int r = 0; r < rows; r++) {
          Elementwise.activate(act, y, r * units + from, new long[] {to - from});
        }
      }
    });
  }

  /** Work on the columns {@code [from, to)} of products {@code units} wide. */
  @FunctionalInterface
  public interface ColumnRange {
    void run(int from, int to);
  }

  /**
   * {@code work} over the columns of products {@code units} wide in pieces of whole panels of
   * {@code k}'s dense kernel ({@link JavaKernels#denseColumnStep}), split among the intra-op threads
   * this pass may use when the work is {@code macs} multiply-adds of at least
   * {@link #SHARED_DENSE_MIN_MACS}, else in one piece {@code [0, units)} on this thread.
   */
  public static void byColumns(JavaKernels k, long macs, int units, ColumnRange work) {
    int step = k.denseColumnStep();
    int steps = (units + step - 1) / step;
    int helpers = macs < SHARED_DENSE_MIN_MACS ? 0 : IntraOp.helpers();
    int pieces = Math.min(helpers + 1, steps);
    if (pieces < 2) {
      work.run(0, units);
      return;
    }
    int per = (steps + pieces - 1) / pieces * step;
    IntraOp.run(pieces, pieces - 1, p -> work.run(p * per, Math.min(units, (p + 1) * per)));
  }

  /** See {@link JavaKernels#accumulate4}: the inner loop of the convolution. */
  static void accumulate4(float[] acc, int at, int len, float[] src, float a0, int f0, float a1, int f1,
      float a2, int f2, float a3, int f3) {
    JavaKernels.active().accumulate4(acc, at, len, src, a0, f0, a1, f1, a2, f2, a3, f3);
  }

  /** {@code acc[at + j] += a * src[from + j]} for {@code j < len}: what {@link #accumulate4} leaves. */
  static void accumulate(float[] acc, int at, int len, float[] src, float a, int from) {
    JavaKernels.active().accumulate(acc, at, len, src, a, from);
  }

  /**
   * Pooling over {@code planes} independent planes, each {@code channelStride}-interleaved:
   * channels-first passes {@code channels = 1, planes = n * c}; channels-last passes the real
   * channel count and {@code planes = n}. {@code padBottom}/{@code padRight} bound the padded
   * extent for {@link Average#AVG_INCLUDING_PADDING}, as PyTorch's divisor does.
   */
  public static void pool(float[] x, int planes, int channels, Window g, Average kind, int padBottom, int padRight,
      float[] y) {
    if (channels == 1 && poolsInPairs(g)) {
      poolInPairs(x, planes, g, kind == Average.MAX, y);
      return;
    }
    JavaKernels kernels = JavaKernels.active();
    int inPlane = g.height() * g.width() * channels;
    int outPlane = g.outH() * g.outW() * channels;
    boolean max = kind == Average.MAX;
    // One output row at a time: first the window's input rows combined value by value into one
    // row (contiguous loops the JIT vectorises: a row of w * channels values), then each output's
    // columns of that row; the kind is tested per row, not per value.
    float[] row = new float[g.width() * channels];
    float[] acc = new float[channels];
    boolean inside = !padded(g);
    for (int p = 0; p < planes; p++) {
      int plane = p * inPlane;
      for (int oy = 0; oy < g.outH(); oy++) {
        int y0 = g.inputRow(oy, 0);
        int rowStart = Math.max(y0, 0);
        int rowEnd = Math.min(y0 + g.kernelH(), g.height());
        int rows = rowEnd - rowStart;
        if (rows <= 0) {
          java.util.Arrays.fill(row, max ? Float.NEGATIVE_INFINITY : 0f);
        } else {
          System.arraycopy(x, plane + rowStart * row.length, row, 0, row.length);
          for (int iy = rowStart + 1; iy < rowEnd; iy++) {
            kernels.combine(row, 0, x, plane + iy * row.length, row.length, max, row, 0);
          }
        }
        int rowsPadded = Math.min(y0 + g.kernelH(), g.height() + padBottom) - y0;
        int out = p * outPlane + oy * g.outW() * channels;
        if (inside && channels == 1) {
          // every window inside the input (LeNet's 2x2/2 pools): a fixed window and divisor
          poolRow(row, 0, g.outW(), g.kernelW(), g.strideW(), max, g.kernelH() * g.kernelW(), y, out);
          continue;
        }
        for (int ox = 0; ox < g.outW(); ox++) {
          int x0 = g.inputCol(ox, 0);
          int colStart = Math.max(x0, 0);
          int colEnd = Math.min(x0 + g.kernelW(), g.width());
          float divisor = kind == Average.AVG_INCLUDING_PADDING
              ? rowsPadded * (Math.min(x0 + g.kernelW(), g.width() + padRight) - x0)
              : rows * (colEnd - colStart);
          int o = out + ox * channels;
          if (channels == 1) {
            float a = max ? Float.NEGATIVE_INFINITY : 0f;
            if (max) {
              for (int ix = colStart; ix < colEnd; ix++) {
                a = Math.max(a, row[ix]);
              }
              y[o] = a;
            } else {
              for (int ix = colStart; ix < colEnd; ix++) {
                a += row[ix];
              }
              y[o] = a / divisor;
            }
            continue;
          }
          if (colEnd <= colStart) {
            java.util.Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
          } else {
            System.arraycopy(row, colStart * channels, acc, 0, channels);
            for (int ix = colStart + 1; ix < colEnd; ix++) {
              kernels.combine(acc, 0, row, ix * channels, channels, max, acc, 0);
            }
          }
          for (int c = 0; c < channels; c++) {
            y[o + c] = max ? acc[c] : acc[c] / divisor;
          }
        }
      }
    }
  }

  /**
   * Whether {@link #pool} takes {@link #poolInPairs} for channels-first planes of this geometry:
   * windows two columns wide at stride two and as many rows as their row stride, none in padding
   * (LeNet's and most classifiers' 2x2/2 poolings).
   */
  public static boolean poolsInPairs(Window g) {
    return g.kernelW() == 2 && g.strideW() == 2 && g.kernelH() == g.strideH() && g.dilationH() == 1
        && g.dilationW() == 1 && !padded(g);
  }

  /**
   * {@link #poolsInPairs} pooling over {@code planes} planes: per output row, its window's input rows
   * combined over the row's used width ({@link JavaKernels#combine}), into one scratch row per
   * output row; then every output at once from pairs of that scratch ({@link JavaKernels#combinePairs}),
   * averages divided by the window's size. The sums keep the per-row loop's order (the window's
   * rows, then its two columns). Row by row, with Math.max one value at a time, CNN's 32 planes of
   * 26x26 took 58 us at batch 1, LeNet-5's average poolings 415 of its 2.2 ms at batch 32.
   */
  private static void poolInPairs(float[] x, int planes, Window g, boolean max, float[] y) {
    JavaKernels k = JavaKernels.active();
    int w = g.width();
    int plane = g.height() * w;
    int outH = g.outH();
    int used = 2 * g.outW();
    int rows = planes * outH;
    float[] combined = scratch(3, rows * used);
    for (int p = 0, r = 0; p < planes; p++) {
      for (int oy = 0; oy < outH; oy++, r++) {
        int first = p * plane + oy * g.strideH() * w;
        int at = r * used;
        if (g.kernelH() == 1) {
          System.arraycopy(x, first, combined, at, used);
          continue;
        }
        k.combine(x, first, x, first + w, used, max, combined, at);
        for (int ky = 2; ky < g.kernelH(); ky++) {
          k.combine(combined, at, x, first + ky * w, used, max, combined, at);
        }
      }
    }
    int outputs = rows * g.outW();
    k.combinePairs(combined, 0, outputs, max, y, 0);
    if (!max) {
      float divisor = g.kernelH() * g.kernelW();
      for (int i = 0; i < outputs; i++) {
        y[i] = y[i] / divisor;
      }
    }
  }

  /**
   * {@code blocks} rows of {@code outW} non-overlapping {@code kh x kw} windows (stride equal to
   * the window, no padding) over the rows {@code x[at ..]}, {@code x[at + pitch ..]}, ... into
   * {@code y[to .. to + blocks * outW)}: each window row's input rows combined
   * ({@link JavaKernels#combine}) into {@code scratch}, then their columns, two wide as one run of
   * pairs over every row at once ({@link JavaKernels#combinePairs}: per row, its 13 outputs on
   * CNN's planes ran mostly in the pairs' scalar tail), averages divided by the window's size. The
   * order of {@link #pool}'s own sums, so a pooling folded into the layer before it
   * ({@link Epilogue.Pooling}) gives the pooling layer's values.
   *
   * @param scratch at least {@code blocks * kw * outW} values
   */
  public static void poolBlocks(float[] x, int at, int pitch, int blocks, int kh, int kw, int outW, boolean max,
      float[] scratch, float[] y, int to) {
    JavaKernels k = JavaKernels.active();
    int used = kw * outW;
    for (int b = 0; b < blocks; b++) {
      int first = at + b * kh * pitch;
      int row = b * used;
      if (kh == 1) {
        System.arraycopy(x, first, scratch, row, used);
        continue;
      }
      k.combine(x, first, x, first + pitch, used, max, scratch, row);
      for (int ky = 2; ky < kh; ky++) {
        k.combine(scratch, row, x, first + ky * pitch, used, max, scratch, row);
      }
    }
    int outputs = blocks * outW;
    if (kw == 2) {
      k.combinePairs(scratch, 0, outputs, max, y, to);
      if (!max) {
        float divisor = kh * kw;
        for (int i = to; i < to + outputs; i++) {
          y[i] = y[i] / divisor;
        }
      }
      return;
    }
    for (int b = 0; b < blocks; b++) {
      poolRow(scratch, b * used, outW, kw, kw, max, kh * kw, y, to + b * outW);
    }
  }

  /** One output row of windows wholly inside the input, from its combined input row. */
  private static void poolRow(float[] row, int start, int outW, int kw, int stride, boolean max, float divisor,
      float[] y, int out) {
    for (int ox = 0, c = start; ox < outW; ox++, c += stride) {
      float a = row[c];
      if (max) {
        for (int j = 1; j < kw; j++) {
          a = Math.max(a, row[c + j]);
        }
        y[out + ox] = a;
      } else {
        for (int j = 1; j < kw; j++) {
          a += row[c + j];
        }
        y[out + ox] = a / divisor;
      }
    }
  }
}
