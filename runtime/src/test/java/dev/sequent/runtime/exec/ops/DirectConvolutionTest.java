package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.assertClose;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The direct form against the convolution's definition, summed in double, in both regimes (Java
 * arrays, which a 1x1 convolution over whole tiles reads in place, and ND4J buffers), on shapes
 * the real-framework fixtures ({@code ConvolutionProductTest}'s "direct" form) do not all have:
 * 1x1 planes of whole tiles and of a tile's remainder, output channels not a multiple of the
 * block, no bias, and each way an activation is finished (a clamp with the bias, another per-value
 * activation after it); and with a pooling folded in ({@link Epilogue.Pooling}), against the
 * definition's outputs pooled: max and mean, two wide and not, rows and columns past the last whole
 * block dropped, bands of several blocks.
 */
class DirectConvolutionTest {

  @Test
  void everyOutputValueIsTheConvolutionsSum() {
    Random random = new Random(5);
    Activation relu6 = Activation.of(Activation.Kind.RELU6);
    Activation linear = Activation.of(Activation.Kind.LINEAR);
    Activation sigmoid = Activation.of(Activation.Kind.SIGMOID);
    // 1x1, 8x8 and 16x12 planes: whole tiles of 16 positions, read in place
    check(random, window(8, 8, 1, 1, 0), 5, 16, true, relu6, v -> Math.min(6, Math.max(0, v)));
    check(random, window(16, 12, 1, 1, 0), 20, 12, false, linear, v -> v);
    // 1x1 planes of 7x7 and 14x14 (a tile's remainder): copied, not read in place
    check(random, window(7, 7, 1, 1, 0), 9, 24, true, relu6, v -> Math.min(6, Math.max(0, v)));
    check(random, window(14, 14, 1, 1, 0), 3, 8, true, sigmoid, v -> 1 / (1 + Math.exp(-v)));
    // 3x3 with padding, strides 1 and 2: phases with padding columns
    check(random, window(9, 10, 3, 1, 1), 4, 10, true, relu6, v -> Math.min(6, Math.max(0, v)));
    check(random, window(12, 12, 3, 2, 1), 6, 16, false, sigmoid, v -> 1 / (1 + Math.exp(-v)));
  }

  @Test
  void aFoldedPoolingGivesTheActivatedOutputsPooled() {
    Random random = new Random(7);
    Activation relu = Activation.of(Activation.Kind.RELU);
    Activation tanh = Activation.of(Activation.Kind.TANH);
    Activation linear = Activation.of(Activation.Kind.LINEAR);
    // CNN's 26x26 planes, max 2x2 after ReLU (clamped with the bias)
    check(random, window(28, 28, 3, 1, 0), 1, 10, true, relu, v -> Math.max(0, v), pooling(true, 2, 2));
    // LeNet-5's 10x10 planes, mean 2x2 after tanh (per value after the bias)
    check(random, window(14, 14, 5, 1, 0), 6, 16, true, tanh, Math::tanh, pooling(false, 2, 2));
    // 9x10 outputs: the last row dropped by 2x2 blocks, the last of 3x3 too, 3 wide by rows
    check(random, window(9, 10, 3, 1, 1), 4, 10, false, linear, v -> v, pooling(true, 2, 2));
    check(random, window(9, 10, 3, 1, 1), 4, 9, true, relu, v -> Math.max(0, v), pooling(false, 3, 3));
    // 40x40 outputs (two bands of rows, each whole 3-row blocks), the 40th row and column dropped
    check(random, window(40, 40, 3, 1, 1), 3, 8, true, relu, v -> Math.max(0, v), pooling(true, 3, 3));
    // windows of one row and two columns, and of two rows and one column
    check(random, window(12, 12, 3, 2, 1), 6, 16, true, tanh, Math::tanh, pooling(false, 1, 2));
    check(random, window(12, 12, 3, 2, 1), 6, 16, true, relu, v -> Math.max(0, v), pooling(true, 2, 1));
  }

  private static Epilogue.Pooling pooling(boolean max, int height, int width) {
    return new Epilogue.Pooling(max, height, width, DataFormat.CHANNELS_FIRST);
  }

  private static void check(Random random, SmallKernels.Window g, int cin, int cout, boolean withBias,
      Activation act, DoubleUnaryOperator reference) {
    check(random, g, cin, cout, withBias, act, reference, null);
  }

  private static void check(Random random, SmallKernels.Window g, int cin, int cout, boolean withBias,
      Activation act, DoubleUnaryOperator reference, Epilogue.Pooling pooling) {
    int kh = g.kernelH();
    int kw = g.kernelW();
    float[] byChannel = new float[cout * cin * kh * kw];
    for (int i = 0; i < byChannel.length; i++) {
      byChannel[i] = random.nextFloat() - 0.5f;
    }
    float[] bias = null;
    if (withBias) {
      bias = new float[cout];
      for (int i = 0; i < cout; i++) {
        bias[i] = random.nextFloat() * 4 - 1;
      }
    }
    int n = 3;
    INDArray x = Nd4j.rand(DataType.FLOAT, n, cin, g.height(), g.width()).muli(6).subi(2);
    double[] expected = new double[n * cout * g.outH() * g.outW()];
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < cout; oc++) {
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            double sum = bias == null ? 0 : bias[oc];
            for (int ic = 0; ic < cin; ic++) {
              for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                  int iy = g.inputRow(oy, ky);
                  int ix = g.inputCol(ox, kx);
                  if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                    sum += (double) byChannel[((oc * cin + ic) * kh + ky) * kw + kx] * x.getFloat(b, ic, iy, ix);
                  }
                }
              }
            }
            expected[((b * cout + oc) * g.outH() + oy) * g.outW() + ox] = reference.applyAsDouble(sum);
          }
        }
      }
    }
    long[] shape = {n, cout, g.outH(), g.outW()};
    if (pooling != null) {
      int ph = pooling.height();
      int pw = pooling.width();
      int oh = g.outH() / ph;
      int ow = g.outW() / pw;
      double[] pooled = new double[n * cout * oh * ow];
      for (int p = 0; p < n * cout; p++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double acc = pooling.max() ? Double.NEGATIVE_INFINITY : 0;
            for (int dy = 0; dy < ph; dy++) {
              for (int dx = 0; dx < pw; dx++) {
                double v = expected[(p * g.outH() + oy * ph + dy) * g.outW() + ox * pw + dx];
                acc = pooling.max() ? Math.max(acc, v) : acc + v;
              }
            }
            pooled[(p * oh + oy) * ow + ox] = pooling.max() ? acc : acc / (ph * pw);
          }
        }
      }
      expected = pooled;
      shape = new long[] {n, cout, oh, ow};
    }
    INDArray want = Nd4j.create(expected, shape, 'c');
    DirectConvolution direct = new DirectConvolution(g, cin, cout, byChannel, bias, act, pooling);
    String what = g + " " + cin + "->" + cout + " " + act + (pooling == null ? "" : " then " + pooling);
    assertClose(want, FloatArrays.of(direct.apply(FloatArrays.copyOf(x), n), shape).castTo(DataType.DOUBLE),
        "Java arrays " + what);
    assertClose(want, direct.apply(x).castTo(DataType.DOUBLE), "ND4J buffers " + what);
  }

  /** A square kernel's window, its padding the same on every side. */
  private static SmallKernels.Window window(int h, int w, int k, int stride, int pad) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    return new SmallKernels.Window(h, w, k, k, stride, stride, 1, 1, pad, pad, oh, ow);
  }
}
