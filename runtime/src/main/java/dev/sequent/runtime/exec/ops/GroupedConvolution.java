package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.exec.ops.SpatialPadding.padSpatial;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.ChannelLayouts;
import dev.sequent.runtime.exec.ChannelSource;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.PlanePhases;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A grouped 2-D convolution, the one computation behind PyTorch's {@code Conv2d(groups=g)}, Keras'
 * {@code Conv2D(groups=g)}, {@code DepthwiseConv2D} ({@code g = in}) and the two steps of
 * {@code SeparableConv2D}. Output channel {@code o} reads input channels
 * {@code [g*in/groups, (g+1)*in/groups)} of its group {@code g = o / (out/groups)}.
 *
 * <p>Weights are given once, in PyTorch's grouped layout {@code (out, in/groups, kh, kw)}; callers
 * convert Keras' kernels to it. Small batches run a direct loop in Java; larger ones go to ND4J,
 * whose {@code conv2d} has no groups: a depthwise convolution ({@code in/groups = 1}) is ND4J's
 * {@code depthWiseConv2d} (kernel {@code (kh, kw, in, mult)}, output channel {@code c*mult + m},
 * the same order as PyTorch's groups), any other grouping one {@code conv2d} per group,
 * concatenated. As in {@link Conv2DOp}, padding is applied explicitly and dilation is folded into
 * the kernel, since oneDNN pads only symmetrically and refuses dilated kernels.
 */
final class GroupedConvolution {
  private GroupedConvolution() {}

  /** The shape of a convolution: window, channels and groups. */
  record Geometry(int cin, int cout, int groups, int kernelH, int kernelW, int strideH, int strideW,
      int dilationH, int dilationW, Padding padding, DataFormat format) {
    int inPerGroup() {
      return cin / groups;
    }

    int outPerGroup() {
      return cout / groups;
    }

    /** The window over one {@code h x w} input plane, the padding before the data {@code top, left}. */
    SmallKernels.Window window(int h, int w, int top, int left, int oh, int ow) {
      return new SmallKernels.Window(h, w, kernelH, kernelW, strideH, strideW, dilationH, dilationW, top, left, oh, ow);
    }
  }

  /**
   * Binds the convolution.
   *
   * @param oihw the weights, {@code (cout, cin/groups, kh, kw)} row-major
   * @param bias {@code cout} values, or null
   */
  static BoundLayer bind(Geometry g, float[] oihw, float[] bias, Activation act, Shape input, Shape output) {
    return bindExact(g, oihw, bias, act, input, output);
  }

  /**
   * Binds the convolution with what the plan folded into it (see {@link #absorbs}): a BatchNorm's
   * scale goes into each output channel's weights and its shift into the bias, once, here; a
   * following activation runs on the kernel's output buffer.
   */
  static BoundLayer bind(Geometry g, float[] oihw, float[] bias, Activation own, Shape input, Shape output,
      Epilogue e) {
    return bind(g, oihw, bias, own, input, output, e, null);
  }

  /**
   * The same reading through {@code source} where it is given ({@link #bindThrough}; null: the
   * layer's own input).
   */
  static BoundLayer bind(Geometry g, float[] oihw, float[] bias, Activation own, Shape input, Shape output,
      Epilogue e, ChannelSource source) {
    if (!e.hasAffine()) {
      return source != null ? bindThrough(g, oihw, bias, e.activationAfter(own), input, output, source)
          : bindExact(g, oihw, bias, e.activationAfter(own), input, output);
    }
    int perChannel = oihw.length / g.cout();
    float[] scaled = oihw.clone();
    float[] shifted = new float[g.cout()];
    for (int o = 0; o < g.cout(); o++) {
      for (int i = o * perChannel, end = i + perChannel; i < end; i++) {
        scaled[i] *= e.scale()[o];
      }
      shifted[o] = (float) ((bias == null ? 0.0 : (double) bias[o]) * e.scale()[o] + e.shift()[o]);
    }
    return source != null ? bindThrough(g, scaled, shifted, e.activationAfter(own), input, output, source)
        : bindExact(g, scaled, shifted, e.activationAfter(own), input, output);
  }

  private static BoundLayer bindExact(Geometry g, float[] oihw, float[] bias, Activation act, Shape input,
      Shape output) {
    DataFormat f = g.format();
    boolean first = f == DataFormat.CHANNELS_FIRST;
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    int oh = output.dim(f.heightAxis());
    int ow = output.dim(f.heightAxis() + 1);
    SpatialPadding.Margins m = SpatialPadding.Margins.of(g.padding(), input, f, g.kernelH(), g.kernelW(),
        g.strideH(), g.strideW(), g.dilationH(), g.dilationW());
    int top = m.top();
    int left = m.left();
    long macsPerSample = (long) oh * ow * g.cout() * g.inPerGroup() * g.kernelH() * g.kernelW();

    // Depthwise channels first (PyTorch's Conv2d(groups=C)): per channel plane, one vectorised
    // multiply-add per tap over the plane's phases (PlanePhases); 30 % of MobileNetV2's Java samples at
    // batch 1 were the per-output double loop. In the ND4J regime too, the planes shared among the
    // intra-op threads: 3x faster than oneDNN's NCHW depthwise on MobileNetV2's 32x112x112 layer
    // at batch 1 on one thread (docs/benchmarks.md, "Third round").
    boolean planes = first && g.inPerGroup() == 1;
    long valuesPerSample = (long) h * w * g.cin() + (long) oh * ow * g.cout();
    int heapMaxBatch = BoundLayer.maxBatch(SmallKernels.CONV_LIMIT, macsPerSample);
    // the planes are one kernel in both regimes, so they take the plain-Java pass's batches as far
    // as their arrays are reused; in the ND4J regime they read and write ND4J's buffers themselves
    int javaMaxBatch = Math.max(heapMaxBatch,
        planes ? BoundLayer.maxBatch(SmallKernels.SAME_KERNEL_VALUES, valuesPerSample) : 0);
    PlanePhases phases = !planes ? null : new PlanePhases(g.window(h, w, top, left, oh, ow), 0f);
    SmallOp small = (in, n) -> {
      float[] y = PassArrays.take(n * oh * ow * g.cout());
      if (planes) {
        depthwisePlanes(in.get(0), n, g, phases, oihw, bias, act, output.withBatch(n), y);
      } else {
        direct(in.get(0), n, g, h, w, oh, ow, top, left, oihw, bias, y);
        Elementwise.activate(act, y, 0, output.withBatch(n));
      }
      return y;
    };
    // Symmetric padding is the kernel's own (no padded copy of the input: 15 % of MobileNetV2's
    // native samples at batch 8 were that copy); only Keras' asymmetric "same" is padded first.
    boolean symmetric = m.symmetric();
    boolean depthwiseInJava = !"onednn".equals(System.getProperty(DEPTHWISE_PROPERTY, "java"));
    Nd4jGrouped nd = new Nd4jGrouped(g, oihw, bias, symmetric ? m.top() : 0, symmetric ? m.left() : 0);
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= heapMaxBatch && !(planes && depthwiseInJava)) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      if (planes && depthwiseInJava) {
        return depthwiseParallel(x, g, phases, oihw, bias, act, output.withBatch(n));
      }
      INDArray padded = symmetric ? x : padSpatial(x, f, m.top(), m.bottom(), m.left(), m.right(), 0f);
      INDArray y = Elementwise.applyInPlace(act, nd.apply(padded, first, output.withBatch(n)));
      if (padded != x) {
        ActivationBuffers.give(padded);
      }
      return y;
    };
    if (javaMaxBatch == 0) {
      return BoundLayer.nd4jOnly(nd4j);
    }
    BoundLayer bound = new BoundLayer(nd4j, small, javaMaxBatch, planes && depthwiseInJava);
    boolean channelsLast = planes && g.cout() == g.cin() && Elementwise.mapsEachValue(act)
        && ChannelLayouts.smallPlane(h, w) && ChannelLayouts.smallPlane(oh, ow);
    return channelsLast ? bound.withChannelsLast(
        new ChannelsLastDepthwise(g.window(h, w, top, left, oh, ow), g.cin(), oihw, bias, act), false) : bound;
  }

  /**
   * A depthwise convolution (one input channel per output channel) on channels-last values over
   * small planes ({@link ChannelLayouts}): each output position a sum over its taps inside the
   * input of whole rows of channels, vectors along the channels, so every lane is an output and the
   * plane's edges cost only their missing taps. Each position's taps are listed once, here; the
   * output rows are shared among the pass's threads.
   */
  private static final class ChannelsLastDepthwise implements SmallOp {
    /** Channels computed through a row of positions at a time (four vectors of 16). */
    private static final int CHANNEL_BLOCK = 64;
    private final SmallKernels.Window window;
    private final int channels;
    /** The weights {@code [tap][channel]}. */
    private final float[] byTap;
    private final float[] bias;
    /** The clamp the kernels apply (infinite bounds for an activation that does not clamp). */
    private final float[] clamp;
    /** An activation that does not clamp, applied to the whole output afterwards; null where it clamps. */
    private final Activation afterwards;
    /** Per output position {@code p}, its taps inside the input are {@code [first[p], first[p + 1])} of the next two. */
    private final int[] first;
    /** The input position ({@code y * width + x}) each listed tap reads. */
    private final int[] inputAt;
    /** The tap ({@code ky * kernelW + kx}) of each listed tap. */
    private final int[] tapOf;
    /** Per output row, the positions {@code [from, to)} a 3x3 window has inside the input, or null. */
    private final int[][] inside;

    ChannelsLastDepthwise(SmallKernels.Window g, int channels, float[] oihw, float[] bias, Activation act) {
      this.window = g;
      this.channels = channels;
      int taps = g.kernelH() * g.kernelW();
      this.byTap = new float[taps * channels];
      for (int c = 0; c < channels; c++) {
        for (int t = 0; t < taps; t++) {
          byTap[t * channels + c] = oihw[c * taps + t];
        }
      }
      this.bias = bias == null ? new float[channels] : bias.clone();
      float[] bounds = Elementwise.clampBounds(act);
      this.clamp = bounds == null ? new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY} : bounds;
      this.afterwards = bounds == null ? act : null;
      int positions = g.outH() * g.outW();
      this.first = new int[positions + 1];
      List<int[]> listed = new ArrayList<>();
      for (int oy = 0; oy < g.outH(); oy++) {
        for (int ox = 0; ox < g.outW(); ox++) {
          first[oy * g.outW() + ox] = listed.size();
          for (int ky = 0; ky < g.kernelH(); ky++) {
            int iy = oy * g.strideH() - g.top() + ky * g.dilationH();
            for (int kx = 0; kx < g.kernelW() && iy >= 0 && iy < g.height(); kx++) {
              int ix = ox * g.strideW() - g.left() + kx * g.dilationW();
              if (ix >= 0 && ix < g.width()) {
                listed.add(new int[] {iy * g.width() + ix, ky * g.kernelW() + kx});
              }
            }
          }
        }
      }
      first[positions] = listed.size();
      this.inputAt = listed.stream().mapToInt(t -> t[0]).toArray();
      this.tapOf = listed.stream().mapToInt(t -> t[1]).toArray();
      // a 3x3 window's positions with every tap inside the input, per output row: [from, to) or empty
      this.inside = new int[g.outH()][];
      if (g.kernelH() == 3 && g.kernelW() == 3) {
        int from = (g.left() + g.strideW() - 1) / g.strideW();
        int to = Math.min(g.outW(), Math.floorDiv(g.width() - 1 - 2 * g.dilationW() + g.left(), g.strideW()) + 1);
        for (int oy = 0; oy < g.outH(); oy++) {
          int iy = oy * g.strideH() - g.top();
          if (iy >= 0 && iy + 2 * g.dilationH() < g.height() && to > from) {
            inside[oy] = new int[] {from, to};
          }
        }
      }
    }

    /** Positions {@code [p, end)} of an output row (from {@code to} in the output) by their listed taps. */
    private void listed(JavaKernels k, float[] x, int base, int p, int end, int c0, int c1, float[] y, int to) {
      for (; p < end; p++, to += channels) {
        k.depthwiseChannelsLast(x, base, inputAt, tapOf, first[p], first[p + 1] - first[p], channels, c0, c1, byTap,
            bias, clamp[0], clamp[1], y, to);
      }
    }

    @Override
    public float[] apply(List<float[]> inputs, int n) {
      float[] x = inputs.get(0);
      int outW = window.outW();
      int rows = n * window.outH();
      float[] y = PassArrays.take(rows * outW * channels);
      JavaKernels k = JavaKernels.active();
      int inPlane = window.height() * window.width() * channels;
      IntraOp.share(rows, (long) (x.length / Math.max(1, n) + outW * channels) * n, row -> {
        int base = row / window.outH() * inPlane;
        int oy = row % window.outH();
        int firstOfRow = oy * outW;
        // a block of channels through the whole row, then the next: the block's input rows and
        // weights stay in L1 for every position's taps (all the channels of a position at once,
        // 960 channels' 9 taps read 35 KB of weights per position from L2: a 7x7 layer alone on
        // one thread took 53 us, against 40 in blocks)
        int[] in = inside[oy];
        int rowTo = row * outW * channels;
        for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
          int c1 = Math.min(channels, c0 + CHANNEL_BLOCK);
          if (in == null) {
            listed(k, x, base, firstOfRow, firstOfRow + outW, c0, c1, y, rowTo);
            continue;
          }
          // the edges by their listed taps, the positions between with the 3x3 window's weights held
          listed(k, x, base, firstOfRow, firstOfRow + in[0], c0, c1, y, rowTo);
          int at = base + ((oy * window.strideH() - window.top()) * window.width() + in[0] * window.strideW()
              - window.left()) * channels;
          k.depthwise3x3ChannelsLast(x, at, window.strideW() * channels, window.dilationH() * window.width() * channels,
              window.dilationW() * channels, in[1] - in[0], channels, c0, c1, byTap, bias, clamp[0], clamp[1], y,
              rowTo + in[0] * channels);
          listed(k, x, base, firstOfRow + in[1], firstOfRow + outW, c0, c1, y, rowTo + in[1] * channels);
        }
      });
      if (afterwards != null) {
        Elementwise.activate(afterwards, y, 0, new long[] {rows * outW, channels});
      }
      return y;
    }
  }

  /**
   * Whether a grouped convolution reads through a source of its input ({@link #bindThrough}): a
   * depthwise one channels first (its planes form), over planes larger than those the plain-Java
   * pass keeps channels last ({@link ChannelLayouts}), where the 1x1 before it runs on its own:
   * a small plane's block of channels stays in the cache anyway (384 channels of 8x8: 98 KB).
   */
  static boolean readsThrough(int groups, DataFormat format, Shape input) {
    return format == DataFormat.CHANNELS_FIRST && groups == input.dim(0)
        && !ChannelLayouts.smallPlane(input.dim(1), input.dim(2));
  }

  /**
   * The depthwise planes form reading through {@code source} ({@link PlanePhases#mapThrough}): its
   * input is the source's, and each block of the source's channels is computed into a per-thread
   * array just before the planes that read it, so the source's output never goes to memory.
   * Exactly the unfused planes form's values: the source computes each plane as its own layer does.
   */
  private static BoundLayer bindThrough(Geometry g, float[] oihw, float[] bias, Activation act, Shape input,
      Shape output, ChannelSource source) {
    int h = input.dim(1);
    int w = input.dim(2);
    if (source.channels() != g.cin() || source.planeValues() != h * w) {
      throw new IllegalArgumentException("a source of " + source.channels() + " planes of " + source.planeValues()
          + " values for an input of " + input);
    }
    int oh = output.dim(1);
    int ow = output.dim(2);
    SpatialPadding.Margins m = SpatialPadding.Margins.of(g.padding(), input, g.format(), g.kernelH(), g.kernelW(),
        g.strideH(), g.strideW(), g.dilationH(), g.dilationW());
    PlanePhases phases = new PlanePhases(g.window(h, w, m.top(), m.left(), oh, ow), 0f);
    int multiplier = g.outPerGroup();
    PlanePhases.PlaneKernel kernel = planeKernel(g, phases, oihw, bias, act);
    boolean perValue = Elementwise.mapsEachValue(act);
    // the source's output is never held: the pass keeps only its input and this layer's output
    long valuesPerSample = (long) h * w * source.inChannels() + (long) oh * ow * g.cout();
    int javaMaxBatch = Math.max(1, BoundLayer.maxBatch(SmallKernels.SAME_KERNEL_VALUES, valuesPerSample));
    SmallOp small = (in, n) -> {
      float[] y = PassArrays.take(n * oh * ow * g.cout());
      phases.mapThrough(source, in.get(0), n, multiplier, kernel, y);
      if (!perValue) {
        Elementwise.activate(act, y, 0, output.withBatch(n));
      }
      return y;
    };
    LayerOp nd4j = in -> {
      INDArray y = phases.mapThrough(source, in.get(0), multiplier, kernel, output.withBatch((int) in.get(0).size(0)));
      return perValue ? y : Elementwise.applyInPlace(act, y);
    };
    return new BoundLayer(nd4j, small, javaMaxBatch, true);
  }

  /**
   * Whether a grouped convolution with activation {@code own} and {@code cout} output channels on
   * sample axis {@code channelAxis} can apply {@code e}: an affine part per output channel, and an
   * activation only where the layer has none of its own (as {@link Conv2DOp#absorbs}); no pooling,
   * which only the direct form of an ungrouped convolution takes ({@link Conv2DOp#absorbs}).
   */
  static boolean absorbs(Activation own, int channelAxis, int cout, Epilogue e) {
    boolean linear = own.kind() == Activation.Kind.LINEAR;
    return !e.hasPooling() && (!e.hasAffine() || (linear && e.axis() == channelAxis && e.scale().length == cout))
        && (!e.hasActivation() || linear);
  }

  /**
   * A depthwise convolution channels first ({@code in/groups = 1}) over a batch on Java arrays,
   * one output plane at a time through {@link PlanePhases}, and its activation: the plain-Java
   * path's form. An activation that clamps is applied as the kernel stores each sum (2-3 % of
   * MobileNetV2's samples at batch 1 were its own pass over each plane); any other that maps
   * values one by one on each plane while it is in the cache, on the thread that computed it.
   */
  static void depthwisePlanes(float[] x, int n, Geometry g, PlanePhases p, float[] oihw, float[] bias, Activation act,
      long[] outputShape, float[] y) {
    p.map(x, n * g.cout(), q -> inputPlane(g, q), planeKernel(g, p, oihw, bias, act), y);
    if (!Elementwise.mapsEachValue(act)) {
      Elementwise.activate(act, y, 0, outputShape);
    }
  }

  /**
   * Output plane {@code q}'s convolution, and its activation where it maps values one by one
   * ({@link #depthwisePlanes}).
   */
  private static PlanePhases.PlaneKernel planeKernel(Geometry g, PlanePhases p, float[] oihw, float[] bias,
      Activation act) {
    float[] clamp = Elementwise.clampBounds(act);
    float lo = clamp != null ? clamp[0] : Float.NEGATIVE_INFINITY;
    float hi = clamp != null ? clamp[1] : Float.POSITIVE_INFINITY;
    boolean perValue = clamp == null && Elementwise.mapsEachValue(act);
    long[] planeShape = {p.planeSize()};
    return (q, phases, out) -> {
      int o = q % g.cout();
      p.convolve(phases, oihw, o * g.kernelH() * g.kernelW(), bias == null ? 0f : bias[o], lo, hi, out);
      if (perValue) {
        Elementwise.activate(act, out, 0, planeShape);
      }
    };
  }

  /**
   * The same in the ND4J regime ({@link PlanePhases#map(INDArray, int, java.util.function.IntUnaryOperator,
   * PlanePhases.PlaneKernel, long[], long)}), each plane finished on the heap by the activation
   * where it maps values one by one.
   */
  static INDArray depthwiseParallel(INDArray input, Geometry g, PlanePhases p, float[] oihw, float[] bias,
      Activation act, long[] outputShape) {
    int n = (int) input.size(0);
    INDArray y = p.map(input, n * g.cout(), q -> inputPlane(g, q), planeKernel(g, p, oihw, bias, act), outputShape,
        (long) p.planeSize() * g.kernelH() * g.kernelW());
    return Elementwise.mapsEachValue(act) ? y : Elementwise.applyInPlace(act, y);
  }

  /** The input plane output plane {@code q} (sample-major) of a depthwise convolution reads. */
  private static int inputPlane(Geometry g, int q) {
    return (q / g.cout()) * g.cin() + (q % g.cout()) / g.outPerGroup();
  }

  /** The direct loop over output pixels, in double, either layout. */
  static void direct(float[] x, int n, Geometry g, int h, int w, int oh, int ow, int top, int left, float[] oihw,
      float[] bias, float[] y) {
    boolean first = g.format() == DataFormat.CHANNELS_FIRST;
    int cin = g.cin();
    int cout = g.cout();
    int ipg = g.inPerGroup();
    int opg = g.outPerGroup();
    int kh = g.kernelH();
    int kw = g.kernelW();
    for (int s = 0; s < n; s++) {
      int xBase = s * cin * h * w;
      int yBase = s * cout * oh * ow;
      for (int o = 0; o < cout; o++) {
        int c0 = (o / opg) * ipg;
        int wBase = o * ipg * kh * kw;
        double b = bias == null ? 0 : bias[o];
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double acc = b;
            for (int ky = 0; ky < kh; ky++) {
              int iy = oy * g.strideH() - top + ky * g.dilationH();
              if (iy < 0 || iy >= h) {
                continue;
              }
              for (int kx = 0; kx < kw; kx++) {
                int ix = ox * g.strideW() - left + kx * g.dilationW();
                if (ix < 0 || ix >= w) {
                  continue;
                }
                for (int i = 0; i < ipg; i++) {
                  int c = c0 + i;
                  int xi = first ? xBase + (c * h + iy) * w + ix : xBase + (iy * w + ix) * cin + c;
                  acc += x[xi] * (double) oihw[wBase + (i * kh + ky) * kw + kx];
                }
              }
            }
            int yi = first ? yBase + (o * oh + oy) * ow + ox : yBase + (oy * ow + ox) * cout + o;
            y[yi] = (float) acc;
          }
        }
      }
    }
  }

  /**
   * Where a depthwise convolution channels first runs in the ND4J regime: {@code "java"} (the
   * default, {@link #depthwiseParallel}) or {@code "onednn"} (ND4J's {@code depthwise_conv2d}).
   * Read when a layer is bound; for tests and A/B measurements.
   */
  static final String DEPTHWISE_PROPERTY = "sequent.conv.depthwise";

  /** The ND4J form: depthwise in one call, other groupings one convolution per group. */
  private static final class Nd4jGrouped {
    private final Geometry g;
    private final Conv2DConfig config;
    private final INDArray depthwise;
    private final List<INDArray> groupWeights = new ArrayList<>();
    private final List<INDArray> groupBiases = new ArrayList<>();
    private final INDArray bias;

    Nd4jGrouped(Geometry g, float[] oihw, float[] bias, int padH, int padW) {
      this.g = g;
      int ekh = (g.kernelH() - 1) * g.dilationH() + 1;
      int ekw = (g.kernelW() - 1) * g.dilationW() + 1;
      float[] dilated = dilate(g, oihw, ekh, ekw);
      boolean isDepthwise = g.inPerGroup() == 1;
      config = Conv2DConfig.builder().kH(ekh).kW(ekw).sH(g.strideH()).sW(g.strideW()).dH(1).dW(1).pH(padH).pW(padW)
          .paddingMode(PaddingMode.VALID)
          .dataFormat(g.format() == DataFormat.CHANNELS_FIRST ? "NCHW" : "NHWC")
          .weightsFormat(isDepthwise ? WeightsFormat.YXIO : WeightsFormat.OIYX)
          .build();
      this.bias = bias == null ? null : Nd4j.create(bias, new long[] {g.cout()}, 'c');
      if (isDepthwise) {
        // (cin*mult, 1, kh, kw) -> (kh, kw, cin, mult): output channel c*mult + m in both.
        int mult = g.outPerGroup();
        float[] hwcm = new float[dilated.length];
        for (int o = 0; o < g.cout(); o++) {
          for (int t = 0; t < ekh * ekw; t++) {
            hwcm[t * g.cout() + o] = dilated[o * ekh * ekw + t];
          }
        }
        depthwise = Nd4j.create(hwcm, new long[] {ekh, ekw, g.cin(), mult}, 'c');
      } else {
        depthwise = null;
        INDArray all = Nd4j.create(dilated, new long[] {g.cout(), g.inPerGroup(), ekh, ekw}, 'c');
        for (int k = 0; k < g.groups(); k++) {
          groupWeights.add(all.get(NDArrayIndex.interval(k * g.outPerGroup(), (k + 1) * g.outPerGroup()),
              NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
          if (bias != null) {
            groupBiases.add(this.bias.get(NDArrayIndex.interval(k * g.outPerGroup(), (k + 1) * g.outPerGroup()))
                .dup('c'));
          }
        }
      }
    }

    INDArray apply(INDArray padded, boolean channelsFirst, long[] outputShape) {
      if (depthwise != null) {
        // into a reused buffer (ActivationBuffers): MobileNetV2's depthwise outputs are megabytes
        INDArray y = ActivationBuffers.take(outputShape);
        INDArray[] args = bias == null ? new INDArray[] {padded, depthwise} : new INDArray[] {padded, depthwise, bias};
        Nd4j.exec(new DepthwiseConv2D(args, new INDArray[] {y}, config));
        return y;
      }
      int axis = channelsFirst ? 1 : 3;
      INDArray[] parts = new INDArray[g.groups()];
      for (int k = 0; k < g.groups(); k++) {
        INDArrayIndex[] index = new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
            NDArrayIndex.all()};
        index[axis] = NDArrayIndex.interval(k * g.inPerGroup(), (k + 1) * g.inPerGroup());
        INDArray xg = padded.get(index).dup('c');
        parts[k] = bias == null ? Nd4j.cnn().conv2d(xg, groupWeights.get(k), config)
            : Nd4j.cnn().conv2d(xg, groupWeights.get(k), groupBiases.get(k), config);
      }
      return Nd4j.concat(axis, parts);
    }
  }

  /** The OIHW kernel with its taps spread {@code dilation} apart and zeros between. */
  private static float[] dilate(Geometry g, float[] oihw, int ekh, int ekw) {
    int kh = g.kernelH();
    int kw = g.kernelW();
    int planes = g.cout() * g.inPerGroup();
    float[] out = new float[planes * ekh * ekw];
    for (int p = 0; p < planes; p++) {
      for (int ky = 0; ky < kh; ky++) {
        for (int kx = 0; kx < kw; kx++) {
          out[(p * ekh + ky * g.dilationH()) * ekw + kx * g.dilationW()] = oihw[(p * kh + ky) * kw + kx];
        }
      }
    }
    return out;
  }

  /** Keras' grouped kernel {@code (kh, kw, in/groups, out)} as {@code (out, in/groups, kh, kw)}. */
  static float[] hwioToOihw(float[] hwio, int kh, int kw, int ipg, int cout) {
    float[] oihw = new float[hwio.length];
    for (int ky = 0; ky < kh; ky++) {
      for (int kx = 0; kx < kw; kx++) {
        for (int i = 0; i < ipg; i++) {
          for (int o = 0; o < cout; o++) {
            oihw[((o * ipg + i) * kh + ky) * kw + kx] = hwio[((ky * kw + kx) * ipg + i) * cout + o];
          }
        }
      }
    }
    return oihw;
  }
}
