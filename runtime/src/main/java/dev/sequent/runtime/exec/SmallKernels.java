package dev.sequent.runtime.exec;

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

    int inputRow(int oy, int ky) {
      return oy * strideH - top + ky * dilationH;
    }

    int inputCol(int ox, int kx) {
      return ox * strideW - left + kx * dilationW;
    }
  }

  /**
   * A convolution as a product with the patch matrix (im2col): for each sample the input patches
   * are gathered (zero where a tap falls in the padding), then multiplied by the weights with the
   * innermost loop over whichever of output pixels or output channels is longer, so LeNet's 1x1
   * output with 120 channels vectorises as well as its 28x28 output with 6 channels.
   *
   * @param x the input, {@code [n, cin, h, w]} if {@code channelsFirst} else {@code [n, h, w, cin]}
   * @param byChannel weights {@code [cout][cin*kh*kw]} with taps ordered (cin, kh, kw): PyTorch's OIHW
   * @param byTap the same weights transposed, {@code [cin*kh*kw][cout]}
   * @param bias per output channel, or null
   * @param y the output, {@code [n, cout, oh, ow]} or {@code [n, oh, ow, cout]}
   */
  public static void conv(float[] x, int n, int cin, int cout, Window g, boolean channelsFirst, float[] byChannel,
      float[] byTap, float[] bias, float[] y) {
    int taps = cin * g.kernelH() * g.kernelW();
    int pixels = g.outH() * g.outW();
    boolean pixelsInner = pixels >= cout;
    float[] patches = new float[taps * pixels];
    float[] result = new float[cout * pixels];
    int sample = cin * g.height() * g.width();
    int channelStride = channelsFirst ? g.height() * g.width() : 1;
    int rowStride = channelsFirst ? g.width() : g.width() * cin;
    int colStride = channelsFirst ? 1 : cin;
    for (int b = 0; b < n; b++) {
      // patches[tap][pixel] when the pixel loop is innermost, else patches[pixel][tap]; taps in
      // the padding stay zero.
      java.util.Arrays.fill(patches, 0f);
      int tap = 0;
      for (int ic = 0; ic < cin; ic++) {
        for (int ky = 0; ky < g.kernelH(); ky++) {
          for (int kx = 0; kx < g.kernelW(); kx++, tap++) {
            int ox0 = g.firstCol(kx);
            int ox1 = g.endCol(kx);
            for (int oy = 0; oy < g.outH(); oy++) {
              int iy = g.inputRow(oy, ky);
              if (iy < 0 || iy >= g.height()) {
                continue;
              }
              int from = b * sample + ic * channelStride + iy * rowStride + g.inputCol(0, kx) * colStride;
              int step = g.strideW() * colStride;
              int pixel = oy * g.outW();
              if (pixelsInner) {
                int to = tap * pixels + pixel;
                for (int ox = ox0; ox < ox1; ox++) {
                  patches[to + ox] = x[from + ox * step];
                }
              } else {
                for (int ox = ox0; ox < ox1; ox++) {
                  patches[(pixel + ox) * taps + tap] = x[from + ox * step];
                }
              }
            }
          }
        }
      }
      if (pixelsInner) {
        for (int oc = 0; oc < cout; oc++) {
          int row = oc * pixels;
          java.util.Arrays.fill(result, row, row + pixels, bias == null ? 0f : bias[oc]);
          int w = oc * taps;
          int t = 0;
          for (; t + 4 <= taps; t += 4) {
            accumulate4(result, row, pixels, patches, byChannel[w + t], t * pixels, byChannel[w + t + 1],
                (t + 1) * pixels, byChannel[w + t + 2], (t + 2) * pixels, byChannel[w + t + 3], (t + 3) * pixels);
          }
          for (; t < taps; t++) {
            accumulate(result, row, pixels, patches, byChannel[w + t], t * pixels);
          }
        }
      } else {
        // [pixels][taps] patches times the [taps][cout] kernel: a dense layer over the pixels
        dense(patches, pixels, taps, byTap, bias, cout, result);
      }
      // result is [cout][pixels] or [pixels][cout]; copy or transpose into the sample's output.
      int out = b * cout * pixels;
      if (pixelsInner == channelsFirst) {
        System.arraycopy(result, 0, y, out, cout * pixels);
      } else if (pixelsInner) {
        for (int oc = 0; oc < cout; oc++) {
          for (int p = 0; p < pixels; p++) {
            y[out + p * cout + oc] = result[oc * pixels + p];
          }
        }
      } else {
        for (int p = 0; p < pixels; p++) {
          for (int oc = 0; oc < cout; oc++) {
            y[out + oc * pixels + p] = result[p * cout + oc];
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
    int inPlane = g.height() * g.width() * channels;
    int outPlane = g.outH() * g.outW() * channels;
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < g.outH(); oy++) {
        int y0 = g.inputRow(oy, 0);
        int rowStart = Math.max(y0, 0);
        int rowEnd = Math.min(y0 + g.kernelH(), g.height());
        for (int ox = 0; ox < g.outW(); ox++) {
          int x0 = g.inputCol(ox, 0);
          int colStart = Math.max(x0, 0);
          int colEnd = Math.min(x0 + g.kernelW(), g.width());
          float divisor = kind == Average.AVG_INCLUDING_PADDING
              ? (Math.min(y0 + g.kernelH(), g.height() + padBottom) - y0)
                  * (Math.min(x0 + g.kernelW(), g.width() + padRight) - x0)
              : (rowEnd - rowStart) * (colEnd - colStart);
          for (int c = 0; c < channels; c++) {
            float acc = kind == Average.MAX ? Float.NEGATIVE_INFINITY : 0f;
            for (int iy = rowStart; iy < rowEnd; iy++) {
              int row = p * inPlane + iy * g.width() * channels + c;
              for (int ix = colStart; ix < colEnd; ix++) {
                float v = x[row + ix * channels];
                acc = kind == Average.MAX ? Math.max(acc, v) : acc + v;
              }
            }
            y[p * outPlane + (oy * g.outW() + ox) * channels + c] = kind == Average.MAX ? acc : acc / divisor;
          }
        }
      }
    }
  }
}
