package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The products over valid taps against the convolution's definition, summed in double, on shapes
 * the real-framework fixtures ({@code ConvolutionProductTest}'s "validTaps" form) do not have: pixels
 * that read only padding, stride and dilation together, asymmetric padding, both layouts.
 */
class ValidTapsConvolutionTest {

  @Test
  void theShareOfValidTapsCountsEachOutputPixelsTapsInsideTheInput() {
    // 3x3, padding 1: on a 2x2 output each pixel reads 4 of its 9 taps; on 4x4, (2+3+3+2)^2 of 16*9
    assertThat(ValidTapsConvolution.validShare(window(2, 2, 3, 1, 1, 1, 1, 2, 2))).isEqualTo(16.0 / 36);
    assertThat(ValidTapsConvolution.validShare(window(4, 4, 3, 1, 1, 1, 1, 4, 4))).isEqualTo(100.0 / 144);
    assertThat(ValidTapsConvolution.validShare(window(5, 5, 3, 1, 1, 0, 0, 3, 3))).isEqualTo(1.0);
  }

  @Test
  void everyOutputValueIsTheConvolutionsSumOverItsValidTaps() {
    Random random = new Random(3);
    // 1x1 kernel, padding 1: the border pixels read only padding and are the bias
    check(random, window(2, 3, 1, 1, 1, 1, 1, 4, 5), 3, 4);
    // stride 2, dilation 2, padding 2 above and left, 1 below and right (Keras' asymmetric "same")
    check(random, new SmallKernels.Window(5, 6, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3), 2, 5);
    // the 2x2 output this form is for
    check(random, window(2, 2, 3, 1, 1, 1, 1, 2, 2), 6, 3);
    // a 4x4 output, wide enough that its columns are split between two threads, ragged at the end
    // (whole panels, then columns past the last whole vector)
    check(random, window(4, 4, 3, 1, 1, 1, 1, 4, 4), 64, 330);
  }

  private static void check(Random random, SmallKernels.Window g, int cin, int cout) {
    int kh = g.kernelH();
    int kw = g.kernelW();
    float[] byChannel = new float[cout * cin * kh * kw];
    for (int i = 0; i < byChannel.length; i++) {
      byChannel[i] = random.nextFloat() - 0.5f;
    }
    float[] bias = new float[cout];
    for (int i = 0; i < cout; i++) {
      bias[i] = random.nextFloat();
    }
    int n = 2;
    INDArray xFirst = Nd4j.rand(DataType.FLOAT, n, cin, g.height(), g.width());
    double[] expected = new double[n * cout * g.outH() * g.outW()];
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < cout; oc++) {
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            double sum = bias[oc];
            for (int ic = 0; ic < cin; ic++) {
              for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                  int iy = g.inputRow(oy, ky);
                  int ix = g.inputCol(ox, kx);
                  if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                    sum += (double) byChannel[((oc * cin + ic) * kh + ky) * kw + kx]
                        * xFirst.getFloat(b, ic, iy, ix);
                  }
                }
              }
            }
            expected[((b * cout + oc) * g.outH() + oy) * g.outW() + ox] = Math.max(0, sum);
          }
        }
      }
    }
    INDArray want = Nd4j.create(expected, new long[] {n, cout, g.outH(), g.outW()}, 'c');
    Activation relu = Activation.of(Activation.Kind.RELU);
    ValidTapsConvolution first = new ValidTapsConvolution(g, cin, cout, true, byChannel, bias, relu);
    assertClose(want, first.apply(xFirst).castTo(DataType.DOUBLE), "channels first " + g);
    ValidTapsConvolution last = new ValidTapsConvolution(g, cin, cout, false, byChannel, bias, relu);
    INDArray xLast = xFirst.permute(0, 2, 3, 1).dup('c');
    assertClose(want.permute(0, 2, 3, 1).dup('c'), last.apply(xLast).castTo(DataType.DOUBLE), "channels last " + g);
    // the plain-Java regime, inside a pass (its arrays reused, each filled with NaN when taken:
    // PassArrays' poison in the tests) with a helper thread: the ND4J regime's bits
    for (ValidTapsConvolution form : new ValidTapsConvolution[] {first, last}) {
      INDArray x = form == first ? xFirst : xLast;
      float[] values = FloatArrays.copyOf(x);
      INDArray viaNd4j = form.apply(x);
      for (int round = 0; round < 2; round++) {
        float[] y = PassArrays.during(() -> IntraOp.withHelpers(1, () -> form.apply(values, n).clone()));
        assertThat(y).as("the plain-Java regime, " + g + (form == first ? ", channels first" : ", channels last"))
            .isEqualTo(FloatArrays.copyOf(viaNd4j));
      }
    }
  }

  /** A square kernel's window with the same padding above and left. */
  private static SmallKernels.Window window(int h, int w, int k, int stride, int dilation, int top, int left,
      int outH, int outW) {
    return new SmallKernels.Window(h, w, k, k, stride, stride, dilation, dilation, top, left, outH, outW);
  }
}
