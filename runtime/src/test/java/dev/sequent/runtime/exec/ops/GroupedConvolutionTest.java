package dev.sequent.runtime.exec.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ND4J form of the grouped convolution (depthwise in one call, other groupings per group,
 * explicit padding, dilation folded into the kernel) and the plain-Java depthwise stencil per
 * plane (channels first) against the direct Java loop, which the
 * conv_family fixtures check against real PyTorch and Keras, for the window options those
 * fixtures run only in Java (strided, dilated, "same" padded after the data).
 */
class GroupedConvolutionTest {

  @ParameterizedTest
  @CsvSource({
      // cin, cout, groups, k, stride, dilation, padding, channelsFirst
      "6, 12, 6, 3, 2, 1, same, false",
      "6, 12, 6, 3, 1, 2, same, true",
      "8, 8, 8, 5, 2, 2, valid, false",
      "8, 12, 4, 3, 2, 1, same, true",
      "8, 12, 2, 3, 1, 2, valid, false",
      "4, 4, 1, 1, 1, 1, valid, true",
      // depthwise channels first (the per-plane stencil): stride 2 with "same" padded after the
      // data, a multiplier of 2 with a 5x5 kernel
      "6, 6, 6, 3, 2, 1, same, true",
      "4, 8, 4, 5, 2, 1, same, true",
      // and its phases (GroupedConvolution.Phases): stride 2 with dilation 2, stride 3, a 1x1
      // kernel, an even kernel ("same" pads one more after the data), a multiplier of 3
      "8, 8, 8, 5, 2, 2, valid, true",
      "6, 6, 6, 3, 3, 1, same, true",
      "5, 10, 5, 1, 1, 1, valid, true",
      "4, 4, 4, 2, 1, 1, same, true",
      "3, 9, 3, 3, 2, 1, valid, true"})
  void nd4jEqualsTheDirectLoop(int cin, int cout, int groups, int k, int stride, int dilation, String padding,
      boolean channelsFirst) {
    DataFormat f = channelsFirst ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
    Padding p = Padding.fromKeras(padding);
    int size = 13;
    Shape in = f.imageShape(cin, size, size);
    int out = p.outputLength(size, k, stride, dilation, 0, false);
    Shape outShape = f.imageShape(cout, out, out);
    Random r = new Random(cin * 31L + cout + groups + k);
    float[] w = new float[cout * (cin / groups) * k * k];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    float[] bias = new float[cout];
    for (int i = 0; i < cout; i++) {
      bias[i] = (float) r.nextGaussian();
    }
    GroupedConvolution.Geometry g = new GroupedConvolution.Geometry(cin, cout, groups, k, k, stride, stride,
        dilation, dilation, p, f);
    for (String depthwise : new String[] {"java", "onednn"}) {
      String before = System.getProperty(GroupedConvolution.DEPTHWISE_PROPERTY);
      System.setProperty(GroupedConvolution.DEPTHWISE_PROPERTY, depthwise);
      try {
        check(GroupedConvolution.bind(g, w, bias, Activation.LINEAR, in, outShape), g, in, outShape, size, k, stride,
            dilation, p, w, bias, r, depthwise);
      } finally {
        if (before == null) {
          System.clearProperty(GroupedConvolution.DEPTHWISE_PROPERTY);
        } else {
          System.setProperty(GroupedConvolution.DEPTHWISE_PROPERTY, before);
        }
      }
    }
  }

  /** The bound layer's ND4J form past its Java limit and its Java form against the direct loop. */
  private static void check(BoundLayer bound, GroupedConvolution.Geometry g, Shape in, Shape outShape, int size, int k,
      int stride, int dilation, Padding p, float[] w, float[] bias, Random r, String form) {
    int out = outShape.dim(g.format() == DataFormat.CHANNELS_FIRST ? 1 : 0);
    int n = Math.max(bound.javaMaxBatch() + 1, 2);
    float[] x = new float[n * (int) in.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    INDArray nd = bound.nd4j().apply(List.of(FloatArrays.of(x, in.withBatch(n))));
    float[] java = new float[n * (int) outShape.size()];
    GroupedConvolution.direct(x, n, g, size, size, out, out, p.before(size, k, stride, dilation, 0),
        p.before(size, k, stride, dilation, 0), w, bias, java);
    assertThat(nd.shape()).isEqualTo(outShape.withBatch(n));
    float[] got = FloatArrays.copyOf(nd);
    for (int i = 0; i < java.length; i++) {
      assertThat((double) got[i]).as(form + " ND4J-regime value " + i).isCloseTo(java[i], org.assertj.core.data.Offset.offset(2e-4));
    }
    // the plain-Java form (the per-plane stencil for depthwise channels first) on the first samples
    assertThat(bound.javaMaxBatch()).as("these sizes have a plain-Java form").isPositive();
    int small = Math.min(bound.javaMaxBatch(), n);
    float[] mine = bound.java().apply(List.of(Arrays.copyOf(x, small * (int) in.size())), small);
    assertThat(mine).hasSize(small * (int) outShape.size());
    for (int i = 0; i < mine.length; i++) {
      assertThat((double) mine[i]).as("Java form value " + i).isCloseTo(java[i], org.assertj.core.data.Offset.offset(2e-5));
    }
  }
  /**
   * A depthwise convolution reading through a 1x1 convolution ({@link GroupedConvolution#bindThrough},
   * the plan's fold of MobileNetV2's expansions) gives exactly, bit for bit, what the two layers
   * give one after the other: the source's planes are the same kernel's, a block of channels at a
   * time. Both regimes; source channels past a whole block, channel multipliers, strides, a clamp
   * and an activation that does not clamp.
   */
  @ParameterizedTest
  @CsvSource({
      // source in, channels, multiplier, k, stride, size, depthwise activation, batch
      "3, 16, 1, 3, 1, 16, RELU6, 3",
      "5, 12, 1, 3, 2, 16, RELU6, 3",
      "4, 10, 2, 3, 2, 12, SILU, 3",
      "2, 9, 3, 5, 1, 8, LINEAR, 3",
      // the ND4J regime's input copied in chunks of samples (16 of 65536 values here)
      "16, 8, 1, 3, 1, 64, RELU6, 17"})
  void aDepthwiseReadingThroughItsSourceEqualsTheTwoLayers(int sourceIn, int channels, int multiplier, int k,
      int stride, int size, Activation.Kind kind, int n) {
    Random r = new Random(sourceIn * 131L + channels + multiplier * 7L + k);
    Activation act = Activation.of(kind);
    SmallKernels.Window pointwise = new SmallKernels.Window(size, size, 1, 1, 1, 1, 1, 1, 0, 0, size, size);
    DirectConvolution source = new DirectConvolution(pointwise, sourceIn, channels, gaussians(r, channels * sourceIn),
        gaussians(r, channels), Activation.of(Activation.Kind.RELU6), null);
    assertThat(source.computesBlocks()).isTrue();
    int cout = channels * multiplier;
    GroupedConvolution.Geometry g = new GroupedConvolution.Geometry(channels, cout, channels, k, k, stride, stride, 1,
        1, Padding.SAME, DataFormat.CHANNELS_FIRST);
    Shape sourceShape = DataFormat.CHANNELS_FIRST.imageShape(sourceIn, size, size);
    Shape in = DataFormat.CHANNELS_FIRST.imageShape(channels, size, size);
    int out = Padding.SAME.outputLength(size, k, stride, 1, 0, false);
    Shape outShape = DataFormat.CHANNELS_FIRST.imageShape(cout, out, out);
    float[] w = gaussians(r, cout * k * k);
    float[] bias = gaussians(r, cout);
    BoundLayer alone = GroupedConvolution.bind(g, w, bias, act, in, outShape);
    BoundLayer through = GroupedConvolution.bind(g, w, bias, act, in, outShape, Epilogue.NONE, source);
    float[] x = gaussians(r, n * (int) sourceShape.size());
    float[] expanded = source.apply(x, n).clone();
    float[] expected = alone.java().apply(List.of(expanded), n).clone();
    float[] java = through.java().apply(List.of(x), n);
    INDArray nd = through.nd4j().apply(List.of(FloatArrays.of(x, sourceShape.withBatch(n))));
    assertThat(nd.shape()).isEqualTo(outShape.withBatch(n));
    float[] nd4j = FloatArrays.copyOf(nd);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Float.floatToIntBits(java[i])).as("plain-Java regime, value " + i)
          .isEqualTo(Float.floatToIntBits(expected[i]));
      assertThat(Float.floatToIntBits(nd4j[i])).as("ND4J regime, value " + i)
          .isEqualTo(Float.floatToIntBits(expected[i]));
    }
  }

  private static float[] gaussians(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
