package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.exec.ops.SpatialPadding.padSpatial;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.ChannelLayouts;
import dev.sequent.runtime.exec.ChannelSource;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import java.util.Optional;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution, with the padding amounts fixed from the input shape at bind time. Small
 * convolutions run in plain Java ({@link SmallKernels#conv}), since a oneDNN call costs about the
 * same at batch 1 whatever its size; larger ones either as patches times weights through ND4J's
 * matrix product ({@link GemmConvolution}, where {@link GemmConvolution#preferred} says it is
 * faster: 1x1 convolutions and small outputs channels first, the smallest outputs channels last)
 * or through ND4J's {@code conv2d}, whose kernel only pads symmetrically and refuses dilation,
 * both worked around below.
 */
public final class Conv2DOp implements LayerOpFactory<Conv2D> {

  @Override
  public Class<Conv2D> layerType() {
    return Conv2D.class;
  }

  @Override
  public BoundLayer bind(Conv2D c, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = c.dataFormat();
    if (c.groups() != 1) {
      return bindGrouped(c, params, input, output, context.epilogue(), context.source());
    }
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    SpatialPadding.Margins margins = SpatialPadding.Margins.of(c.padding(), input, f, c.kernelH(), c.kernelW(),
        c.strideH(), c.strideW(), c.dilationH(), c.dilationW());
    int top = margins.top();
    int bottom = margins.bottom();
    int left = margins.left();
    int right = margins.right();
    // Keras "same" pads the extra row/column after the data; ND4J pads symmetrically, so pad
    // asymmetric cases explicitly first and convolve without padding.
    boolean symmetric = margins.symmetric();
    boolean torchWeights = c.framework() == Framework.TORCH;
    // The oneDNN build refuses dilated convolutions ("could not create a descriptor for a dilated
    // convolution"), so ND4J gets the equivalent kernel with the gaps filled by zeros.
    // A BatchNorm the plan folded in scales each output channel's weights and shifts its bias.
    Epilogue e = context.epilogue();
    INDArray kernel = e.hasAffine() ? scaleOutputChannels(params.get(0), torchWeights ? 0 : 3, e.scale())
        : params.get(0);
    INDArray bias = e.hasAffine() ? foldedBias(c.useBias() ? params.get(1) : null, e)
        : c.useBias() ? params.get(1).dup('c') : null;
    INDArray nd4jWeights = dilate(kernel, torchWeights, c.dilationH(), c.dilationW());
    Conv2DConfig config = Conv2DConfig.builder()
        .kH((c.kernelH() - 1) * c.dilationH() + 1).kW((c.kernelW() - 1) * c.dilationW() + 1)
        .sH(c.strideH()).sW(c.strideW())
        .dH(1).dW(1)
        .pH(symmetric ? top : 0).pW(symmetric ? left : 0)
        .paddingMode(PaddingMode.VALID)
        .dataFormat(f == DataFormat.CHANNELS_FIRST ? "NCHW" : "NHWC")
        .weightsFormat(torchWeights ? WeightsFormat.OIYX : WeightsFormat.YXIO)
        .build();
    INDArray weights = kernel.dup('c');
    Activation act = e.activationAfter(c.activation());
    int cin = input.dim(f == DataFormat.CHANNELS_FIRST ? 0 : 2);
    int cout = c.filters();
    SmallKernels.Window window = window(c, input, output, margins);
    // The Java kernel takes OIHW weights as [cout][taps] and their transpose [taps][cout].
    INDArray oihw = torchWeights ? weights : weights.permute(3, 2, 0, 1);
    INDArray byChannel = oihw.dup('c').reshape('c', cout, -1);
    long macsPerSample = (long) window.outH() * window.outW() * cout * cin * c.kernelH() * c.kernelW();
    long limit = window.outH() * window.outW() < cout ? SmallKernels.convLimitFewPixels() : SmallKernels.convLimit();
    int productMaxBatch = BoundLayer.maxBatch(limit, macsPerSample);
    boolean channelsFirst = f == DataFormat.CHANNELS_FIRST;
    DirectConvolution direct = channelsFirst && DirectConvolution.preferred(window)
        ? new DirectConvolution(window, cin, cout, FloatArrays.copyOf(byChannel),
            bias == null ? null : FloatArrays.copyOf(bias), act, e.pooling())
        : null;
    if (e.hasPooling() && direct == null) {
      // absorbs() took the pooling on the same rule: only a changed property can get here
      throw new IllegalStateException(
          inferred.name() + ": a pooling was folded into a convolution the direct form does not take");
    }
    // the direct form is the same kernel in both regimes, so it takes the plain-Java pass's batches
    // as far as their arrays are reused
    int javaMaxBatch = direct == null ? productMaxBatch : Math.max(productMaxBatch, BoundLayer.maxBatch(
        SmallKernels.SAME_KERNEL_VALUES, (long) h * w * cin + (long) window.outH() * window.outW() * cout));
    ValidTapsConvolution validTaps = direct == null && ValidTapsConvolution.preferred(window)
        ? new ValidTapsConvolution(window, cin, cout, channelsFirst, FloatArrays.copyOf(byChannel),
            bias == null ? null : FloatArrays.copyOf(bias), act)
        : null;
    if (validTaps != null) {
      // the same kernel in both regimes too, its patches (each valid tap's input rows) as well
      javaMaxBatch = Math.max(productMaxBatch, BoundLayer.maxBatch(SmallKernels.SAME_KERNEL_VALUES,
          (long) h * w * cin + (long) window.outH() * window.outW() * cout + validTaps.patchValuesPerSample()));
    }
    // the product's own copy of the weights only for a layer neither form above takes
    SmallKernels.ConvWeights small = productMaxBatch == 0 || direct != null || validTaps != null ? null
        : SmallKernels.ConvWeights.ofOihw(FloatArrays.copyOf(byChannel), cout, cin, c.kernelH(), c.kernelW(),
            bias == null ? null : FloatArrays.copyOf(bias));
    SmallOp java = direct != null ? (in, n) -> direct.apply(in.get(0), n)
        : validTaps != null ? (in, n) -> validTaps.apply(in.get(0), n) : (in, n) -> {
      float[] ys = PassArrays.take(n * window.outH() * window.outW() * cout);
      SmallKernels.conv(in.get(0), n, window, channelsFirst, small, ys);
      Elementwise.activate(act, ys, 0, output.withBatch(n));
      return ys;
    };
    // a layer either form above takes never reaches the product: no copy of its weights for it
    GemmConvolution gemm = direct != null || validTaps != null || !GemmConvolution.preferred(c.kernelH(), c.kernelW(), window.outH(), window.outW(),
        f == DataFormat.CHANNELS_FIRST) ? null : new GemmConvolution(cin, h, w, cout, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
        c.dilationH(), c.dilationW(), top, left, window.outH(), window.outW(), f == DataFormat.CHANNELS_FIRST,
        FloatArrays.copyOf(byChannel), bias == null ? null : FloatArrays.copyOf(bias), act);
    boolean productAnyBatch = GemmConvolution.forced();
    // Past the Java limit: the direct form or the valid taps' products where the rule chose one,
    // which take every batch, so only the other layers keep oneDNN's weights (a folded copy of
    // each layer's) alive
    LayerOp beyond;
    if (direct != null) {
      beyond = in -> direct.apply(in.get(0));
    } else if (validTaps != null) {
      beyond = in -> validTaps.apply(in.get(0));
    } else {
      beyond = in -> {
        INDArray x = in.get(0);
        int n = (int) x.size(0);
        if (gemm != null && (productAnyBatch || gemm.takesBatch(n))) {
          return gemm.apply(x);
        }
        INDArray padded = symmetric ? x : padSpatial(x, f, top, bottom, left, right, 0f);
        // into a reused buffer (ActivationBuffers): a fresh output cost up to a third of the
        // convolution on ResNet-18's and MobileNetV2's large layers (0.6 of 3.1 ms, 2.0 of 5.1 ms)
        INDArray y = ActivationBuffers.take(output.withBatch(n));
        INDArray[] args = bias == null ? new INDArray[] {padded, nd4jWeights} : new INDArray[] {padded, nd4jWeights, bias};
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D(args, new INDArray[] {y}, config));
        if (padded != x) {
          ActivationBuffers.give(padded);
        }
        return Elementwise.applyInPlace(act, y);
      };
    }
    // in the ND4J regime, the heap form only where it is another kernel (the product's), not for
    // the direct or valid-taps forms, which are the same kernel in both regimes
    int heapMaxBatch = direct == null && validTaps == null ? productMaxBatch : 0;
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= heapMaxBatch) {
        return FloatArrays.of(java.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      return beyond.apply(in);
    };
    if (javaMaxBatch == 0) {
      return BoundLayer.nd4jOnly(nd4j);
    }
    BoundLayer bound = new BoundLayer(nd4j, java, javaMaxBatch, direct != null || validTaps != null);
    SmallOp channelsLast = !overSmallPlanes(c, window, e) ? null
        : pointwise(window) ? channelsLastPointwise(FloatArrays.copyOf(byChannel), cout, cin,
            bias == null ? null : FloatArrays.copyOf(bias), act, window.outH() * window.outW())
        : channelsLastTaps(new ValidTapsConvolution(window, cin, cout, false, FloatArrays.copyOf(byChannel),
            bias == null ? null : FloatArrays.copyOf(bias), act));
    return channelsLast == null ? bound : bound.withChannelsLast(channelsLast, false);
  }

  /**
   * Whether the layer has a channels-last form: channels first, with nothing but a per-value
   * activation after it, and either a 1x1 convolution at stride 1 unpadded over planes of at most
   * {@link ChannelLayouts#MAX_PLANE} positions, one matrix product of every position by the weights
   * ({@link #channelsLastPointwise}), or any other over output planes of at most
   * {@link ValidTapsConvolution#MAX_CHANNELS_LAST_PIXELS} (its input's may be larger: a strided
   * layer), a product per kernel tap over the positions whose tap reads the input
   * ({@link ValidTapsConvolution}, the layout its products work in anyway).
   */
  private static boolean overSmallPlanes(Conv2D c, SmallKernels.Window window, Epilogue e) {
    return c.dataFormat() == DataFormat.CHANNELS_FIRST && !e.hasPooling()
        && Elementwise.mapsEachValue(e.activationAfter(c.activation()))
        && ChannelLayouts.smallPlane(window.outH(), window.outW())
        && (pointwise(window) || ValidTapsConvolution.takesChannelsLast(window));
  }

  /** Whether the window is a 1x1 convolution at stride 1 without padding: every output its own input position. */
  private static boolean pointwise(SmallKernels.Window window) {
    return window.kernelH() == 1 && window.kernelW() == 1 && window.strideH() == 1 && window.strideW() == 1
        && window.top() == 0 && window.left() == 0 && window.outH() == window.height()
        && window.outW() == window.width();
  }

  /** The valid taps' products on channels-last values, their own layout: no transposition either way. */
  private static SmallOp channelsLastTaps(ValidTapsConvolution taps) {
    return (in, n) -> taps.apply(in.get(0), n);
  }

  /**
   * The channels-last form of a 1x1 convolution: the {@code (n * positions, cin)} values times the
   * {@code (cin, cout)} transposed weights, plus the bias, then the activation, into
   * {@code (n * positions, cout)}; the product shared among the pass's threads.
   *
   * @param byChannel the weights {@code [cout][cin]}
   */
  private static SmallOp channelsLastPointwise(float[] byChannel, int cout, int cin, float[] bias, Activation act,
      int positions) {
    float[] inByOut = new float[cin * cout];
    for (int o = 0; o < cout; o++) {
      for (int i = 0; i < cin; i++) {
        inByOut[i * cout + o] = byChannel[o * cin + i];
      }
    }
    JavaKernels kernels = JavaKernels.active();
    JavaKernels.PackedKernel packed = kernels.pack(inByOut, cin, cout);
    return (in, n) -> {
      int rows = n * positions;
      float[] y = PassArrays.take(rows * cout);
      SmallKernels.denseShared(kernels, in.get(0), rows, packed, bias, act, y);
      return y;
    };
  }

  /**
   * A 1x1 convolution at stride 1 the direct form takes in place, channels first, with what the
   * plan folded into it (a BatchNorm, a clamp or another per-value activation; no pooling): its
   * output computed a block of channels at a time by the layer that reads it.
   */
  @Override
  public Optional<ChannelSource> asChannelSource(Conv2D c, InferredModel.Layer inferred, List<INDArray> params,
      Epilogue e) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    if (c.groups() != 1 || c.dataFormat() != DataFormat.CHANNELS_FIRST || c.kernelH() != 1 || c.kernelW() != 1
        || c.strideH() != 1 || c.strideW() != 1 || e.hasPooling() || input.dim(1) != output.dim(1)
        || input.dim(2) != output.dim(2)) {
      return Optional.empty();
    }
    SpatialPadding.Margins margins = SpatialPadding.Margins.of(c.padding(), input, c.dataFormat(), 1, 1, 1, 1,
        c.dilationH(), c.dilationW());
    SmallKernels.Window window = window(c, input, output, margins);
    if (margins.top() != 0 || margins.left() != 0 || !DirectConvolution.preferred(window)) {
      return Optional.empty();
    }
    boolean torchWeights = c.framework() == Framework.TORCH;
    INDArray kernel = e.hasAffine() ? scaleOutputChannels(params.get(0), torchWeights ? 0 : 3, e.scale())
        : params.get(0);
    INDArray bias = e.hasAffine() ? foldedBias(c.useBias() ? params.get(1) : null, e)
        : c.useBias() ? params.get(1) : null;
    INDArray oihw = torchWeights ? kernel : kernel.permute(3, 2, 0, 1);
    int cout = c.filters();
    DirectConvolution direct = new DirectConvolution(window, input.dim(0), cout,
        FloatArrays.copyOf(oihw.dup('c').reshape('c', cout, -1)), bias == null ? null : FloatArrays.copyOf(bias),
        e.activationAfter(c.activation()), null);
    return direct.computesBlocks() ? Optional.of(direct) : Optional.empty();
  }

  /** A depthwise convolution channels first reads through a source ({@link GroupedConvolution#readsThrough}). */
  @Override
  public boolean readsThrough(Conv2D c, InferredModel.Layer inferred) {
    return c.groups() != 1
        && GroupedConvolution.readsThrough(c.groups(), c.dataFormat(), inferred.inputShapes().get(0));
  }

  /** {@code groups > 1}: the grouped convolution shared with the depthwise and separable layers. */
  private static BoundLayer bindGrouped(Conv2D c, List<INDArray> params, Shape input, Shape output, Epilogue e,
      ChannelSource source) {
    int cin = input.dim(c.dataFormat().channelAxis());
    GroupedConvolution.Geometry g = new GroupedConvolution.Geometry(cin, c.filters(), c.groups(), c.kernelH(),
        c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), c.dataFormat());
    float[] w = FloatArrays.copyOf(params.get(0));
    float[] oihw = c.framework() == Framework.TORCH ? w
        : GroupedConvolution.hwioToOihw(w, c.kernelH(), c.kernelW(), g.inPerGroup(), c.filters());
    float[] bias = c.useBias() ? FloatArrays.copyOf(params.get(1)) : null;
    return GroupedConvolution.bind(g, oihw, bias, c.activation(), input, output, e, source);
  }

  /**
   * A folded epilogue's affine part goes on the output channels' axis (PyTorch's O, Keras' last),
   * and a following activation only where the layer has none of its own; a pooling where the
   * direct form takes the layer ({@link DirectConvolution#preferred}), which pools each band of
   * its output while it is in the cache.
   */
  @Override
  public boolean absorbs(Conv2D c, InferredModel.Layer inferred, Epilogue e) {
    int channelAxis = c.dataFormat() == DataFormat.CHANNELS_FIRST ? 0 : 2;
    Epilogue perValue = e.withoutPooling();
    if (!GroupedConvolution.absorbs(c.activation(), channelAxis, c.filters(), perValue)) {
      return false;
    }
    if (!e.hasPooling()) {
      return true;
    }
    Shape input = inferred.inputShapes().get(0);
    SpatialPadding.Margins margins = SpatialPadding.Margins.of(c.padding(), input, c.dataFormat(), c.kernelH(),
        c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW());
    return c.groups() == 1 && c.dataFormat() == DataFormat.CHANNELS_FIRST
        && DirectConvolution.pools(e.pooling(), perValue.activationAfter(c.activation()))
        && DirectConvolution.preferred(window(c, input, inferred.outputShape(), margins));
  }

  /** The convolution's window over one input plane: sizes, kernel, stride, dilation, the padding before the data. */
  private static SmallKernels.Window window(Conv2D c, Shape input, Shape output, SpatialPadding.Margins margins) {
    DataFormat f = c.dataFormat();
    return new SmallKernels.Window(input.dim(f.heightAxis()), input.dim(f.heightAxis() + 1), c.kernelH(), c.kernelW(),
        c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), margins.top(), margins.left(),
        output.dim(f.heightAxis()), output.dim(f.heightAxis() + 1));
  }

  /** {@code kernel} with each slice along {@code axis} (an output channel) multiplied by its scale. */
  static INDArray scaleOutputChannels(INDArray kernel, int axis, float[] scale) {
    INDArray k = kernel.dup('c');
    long[] shape = k.shape();
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= (int) shape[i];
    }
    float[] v = FloatArrays.copyOf(k);
    for (int at = 0; at < v.length; ) {
      for (float s : scale) {
        for (int end = at + inner; at < end; at++) {
          v[at] *= s;
        }
      }
    }
    return Nd4j.create(v, shape, 'c');
  }

  /** {@code scale * bias + shift} per output channel (bias 0 where the layer has none). */
  static INDArray foldedBias(INDArray bias, Epilogue e) {
    float[] b = bias == null ? new float[e.scale().length] : FloatArrays.copyOf(bias);
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) ((double) b[i] * e.scale()[i] + e.shift()[i]);
    }
    return Nd4j.create(b, new long[] {b.length}, 'c');
  }

  /** The kernel of a dilated convolution as an undilated one: taps spread out, zeros between. */
  private static INDArray dilate(INDArray kernel, boolean oihw, int dh, int dw) {
    if (dh == 1 && dw == 1) {
      return kernel.dup('c');
    }
    int hAxis = oihw ? 2 : 0;
    long kh = kernel.size(hAxis);
    long kw = kernel.size(hAxis + 1);
    long[] shape = kernel.shape().clone(); // shape() is the array's own metadata: never modify it
    shape[hAxis] = (kh - 1) * dh + 1;
    shape[hAxis + 1] = (kw - 1) * dw + 1;
    INDArray out = Nd4j.zeros(DataType.FLOAT, shape);
    for (long y = 0; y < kh; y++) {
      for (long x = 0; x < kw; x++) {
        INDArrayIndex[] from = tapIndex(oihw, y, x);
        INDArrayIndex[] to = tapIndex(oihw, y * dh, x * dw);
        out.put(to, kernel.get(from));
      }
    }
    return out;
  }

  private static INDArrayIndex[] tapIndex(boolean oihw, long y, long x) {
    return oihw
        ? new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)}
        : new INDArrayIndex[] {NDArrayIndex.point(y), NDArrayIndex.point(x), NDArrayIndex.all(), NDArrayIndex.all()};
  }
}
