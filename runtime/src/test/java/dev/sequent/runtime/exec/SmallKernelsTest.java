package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java convolution and pooling kernels used at small sizes agree with ND4J's (oneDNN)
 * kernels, which the reference-model tests check against real Keras and PyTorch, over strides,
 * dilations, symmetric and asymmetric padding, both data layouts, and both loop orders (more
 * output pixels than channels and the reverse).
 */
class SmallKernelsTest {
  static Stream<Arguments> convolutions() {
    // batch, cin, h, w, cout, kh, kw, stride, dilation, top, bottom, left, right
    return Stream.of(
        Arguments.of(2, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2),   // LeNet-5 conv1 (pad 2)
        Arguments.of(1, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0),  // LeNet-5 conv2
        Arguments.of(3, 16, 5, 5, 120, 5, 5, 1, 1, 0, 0, 0, 0),  // LeNet-5 conv3: 1x1 output, 120 channels
        Arguments.of(2, 2, 8, 8, 4, 3, 3, 2, 1, 0, 1, 0, 1),     // Keras "same", stride 2: extra row after
        Arguments.of(1, 3, 9, 7, 5, 3, 2, 2, 1, 1, 1, 0, 1),     // non-square kernel, odd sizes
        // Dilated convolutions: ND4J's oneDNN build refuses them, so WindowOpsTest checks both
        // paths against real PyTorch and Keras instead.
        Arguments.of(1, 4, 6, 6, 8, 1, 1, 1, 1, 0, 0, 0, 0),     // pointwise
        Arguments.of(9, 1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 0, 0),  // the CNN's conv at a batch past one
        Arguments.of(5, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0),  // LeNet-5 conv2, several samples
        Arguments.of(3, 16, 20, 20, 120, 5, 5, 1, 1, 0, 0, 0, 0), // channels-last patches in several blocks
        Arguments.of(2, 8, 6, 6, 40, 3, 3, 1, 1, 0, 0, 0, 0),    // fewer pixels than channels: transposed
        Arguments.of(3, 3, 7, 7, 24, 3, 3, 2, 1, 1, 1, 1, 1),    // the same, strided and padded
        Arguments.of(2, 4, 9, 9, 6, 4, 4, 1, 1, 1, 2, 1, 2),     // stride 1, asymmetric padding (Keras "same", even kernel)
        Arguments.of(2, 3, 12, 12, 4, 3, 3, 2, 1, 1, 1, 1, 1));  // strided, more pixels than channels
  }

  @ParameterizedTest(name = "n={0} cin={1} {2}x{3} cout={4} k={5}x{6} s={7} d={8} pad={9},{10},{11},{12}")
  @MethodSource("convolutions")
  void convolutionMatchesNd4j(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int dilation,
      int top, int bottom, int left, int right) {
    Random random = new Random(n * 31 + cin * 7 + cout);
    INDArray x = random(random, n, cin, h, w);
    INDArray weights = random(random, cout, cin, kh, kw); // OIHW
    INDArray bias = random(random, cout);
    int oh = (h + top + bottom - dilation * (kh - 1) - 1) / stride + 1;
    int ow = (w + left + right - dilation * (kw - 1) - 1) / stride + 1;
    SmallKernels.Window window = new SmallKernels.Window(h, w, kh, kw, stride, stride, dilation, dilation,
        top, left, oh, ow);
    INDArray byChannel = weights.reshape('c', cout, -1);
    float[] byChannelValues = byChannel.dup('c').data().asFloat();
    SmallKernels.ConvWeights convWeights = SmallKernels.ConvWeights.ofOihw(byChannelValues, cout, cin, kh, kw,
        bias.data().asFloat());

    for (boolean channelsFirst : new boolean[] {true, false}) {
      INDArray input = channelsFirst ? x : x.permute(0, 2, 3, 1).dup('c');
      INDArray padded = Nd4j.pad(input, channelsFirst
          ? new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}}
          : new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}}, Pad.Mode.CONSTANT, 0);
      Conv2DConfig config = Conv2DConfig.builder().kH(kh).kW(kw).sH(stride).sW(stride).dH(dilation).dW(dilation)
          .pH(0).pW(0).paddingMode(PaddingMode.VALID).dataFormat(channelsFirst ? "NCHW" : "NHWC")
          .weightsFormat(channelsFirst ? WeightsFormat.OIYX : WeightsFormat.YXIO).build();
      INDArray expected = Nd4j.cnn().conv2d(padded,
          channelsFirst ? weights : weights.permute(2, 3, 1, 0).dup('c'), bias, config);

      float[] y = new float[n * cout * oh * ow];
      SmallKernels.conv(input.dup('c').data().asFloat(), n, window, channelsFirst, convWeights, y);
      assertThat(expected.shape()).isEqualTo(channelsFirst ? new long[] {n, cout, oh, ow} : new long[] {n, oh, ow, cout});
      assertClose(y, expected.dup('c').data().asFloat(), channelsFirst ? "NCHW" : "NHWC");
    }
  }

  static Stream<Arguments> poolings() {
    // batch, channels, h, w, k, stride, pad (symmetric), max?, count padding?
    return Stream.of(
        Arguments.of(2, 6, 28, 28, 2, 2, 0, false, true),   // LeNet-5 average pool
        Arguments.of(1, 3, 9, 9, 3, 2, 1, true, true),
        Arguments.of(2, 4, 7, 6, 3, 1, 1, false, true),      // PyTorch count_include_pad=True
        Arguments.of(2, 4, 7, 6, 3, 2, 1, false, false),     // count_include_pad=False
        Arguments.of(1, 2, 5, 5, 2, 2, 0, true, false));
  }

  @ParameterizedTest(name = "n={0} c={1} {2}x{3} k={4} s={5} pad={6} max={7} countPad={8}")
  @MethodSource("poolings")
  void poolingMatchesNd4j(int n, int c, int h, int w, int k, int stride, int pad, boolean max, boolean countPad) {
    INDArray x = random(new Random(h * w + c), n, c, h, w);
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    SmallKernels.Window window = new SmallKernels.Window(h, w, k, k, stride, stride, 1, 1, pad, pad, oh, ow);
    SmallKernels.Average kind = max ? SmallKernels.Average.MAX
        : countPad ? SmallKernels.Average.AVG_INCLUDING_PADDING : SmallKernels.Average.AVG_REAL_CELLS;
    for (boolean channelsFirst : new boolean[] {true, false}) {
      INDArray input = channelsFirst ? x : x.permute(0, 2, 3, 1).dup('c');
      // ND4J's INCLUDE_PADDING divisor divides by real cells anyway, so counted padding is made
      // explicit: zeros around the input, then a pool that needs no padding.
      boolean zeroPad = countPad && !max;
      INDArray source = zeroPad ? Nd4j.pad(input, channelsFirst
          ? new int[][] {{0, 0}, {0, 0}, {pad, pad}, {pad, pad}}
          : new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}, Pad.Mode.CONSTANT, 0) : input;
      Pooling2DConfig config = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).dH(1).dW(1)
          .pH(zeroPad ? 0 : pad).pW(zeroPad ? 0 : pad).paddingMode(PaddingMode.VALID)
          .type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
          .divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
          .isNHWC(!channelsFirst).build();
      INDArray expected = max ? Nd4j.cnn().maxPooling2d(source, config) : Nd4j.cnn().avgPooling2d(source, config);
      float[] y = new float[n * c * oh * ow];
      SmallKernels.pool(input.dup('c').data().asFloat(), channelsFirst ? n * c : n, channelsFirst ? 1 : c, window,
          kind, pad, pad, y);
      assertClose(y, expected.dup('c').data().asFloat(), channelsFirst ? "NCHW" : "NHWC");
    }
  }

  @Test
  void tanhThroughExpMatchesMathTanhToFloatPrecision() {
    for (double v = -12; v <= 12; v += 1e-3) {
      assertThat((float) Elementwise.tanh(v)).as("tanh(%s)", v).isCloseTo((float) Math.tanh(v),
          org.assertj.core.data.Offset.offset(Math.ulp((float) Math.tanh(v)) * 2));
    }
    for (double v : new double[] {0, 1e-9, -1e-9, 9.99e-5, 1e-4, -3e-5, 400, -400}) {
      assertThat((float) Elementwise.tanh(v)).as("tanh(%s)", v).isEqualTo((float) Math.tanh(v));
    }
  }

  private static INDArray random(Random random, long... shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Nd4j.create(values, shape, 'c').castTo(DataType.FLOAT);
  }

  /**
   * Within 1e-5 of the output's scale: the two kernels sum up to 400 products in different
   * orders, so float rounding differs by a few ulps of the largest partial sums.
   */
  private static void assertClose(float[] actual, float[] expected, String layout) {
    assertThat(actual).hasSameSizeAs(expected);
    double squares = 0;
    for (float e : expected) {
      squares += e * e;
    }
    float tolerance = (float) (1e-5 * Math.max(1, Math.sqrt(squares / expected.length)));
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("%s element %d", layout, i).isCloseTo(expected[i],
          org.assertj.core.data.Offset.offset(tolerance));
    }
  }
}
