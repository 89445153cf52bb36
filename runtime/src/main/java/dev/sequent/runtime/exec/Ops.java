package dev.sequent.runtime.exec;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.CustomForward;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns each layer of the network model into a {@link BoundLayer} bound to its parameters: an
 * ND4J {@link LayerOp} and, where the layer has one, a plain-Java {@link SmallOp} for small
 * batches. This is the runtime's one switch over the layer records; each case is the
 * implementation of that layer family.
 */
public final class Ops {
  private Ops() {}

  /**
   * @param layer the inferred layer (its input shapes fix padding amounts ahead of time)
   * @param params the layer's parameters in its own framework's layout, in {@code params()} order
   * @param customs instantiates the forward class of a custom layer
   */
  public static BoundLayer create(InferredModel.Layer layer, List<INDArray> params,
      Function<CustomLayer, CustomForward> customs) {
    LayerSpec spec = layer.spec();
    Shape output = layer.outputShape();
    if (spec instanceof Dense d) {
      return dense(d, layer.inputShapes().get(0), output, params);
    } else if (spec instanceof Conv2D c) {
      return conv(c, layer.inputShapes().get(0), layer.outputShape(), params);
    } else if (spec instanceof Pool2D p) {
      return pool(p, layer.inputShapes().get(0), layer.outputShape());
    } else if (spec instanceof GlobalPool2D g) {
      return globalPool(g, layer.inputShapes().get(0));
    } else if (spec instanceof Flatten) {
      return new BoundLayer(in -> { INDArray x = in.get(0); return x.reshape('c', x.size(0), -1); },
          (in, n) -> in.get(0), Integer.MAX_VALUE); // row-major values are already flat
    } else if (spec instanceof BatchNorm b) {
      return batchNorm(b, layer.inputShapes().get(0), params);
    } else if (spec instanceof Dropout) {
      return new BoundLayer(in -> in.get(0), (in, n) -> in.get(0), Integer.MAX_VALUE);
    } else if (spec instanceof ActivationLayer a) {
      Activation act = a.activation();
      return new BoundLayer(in -> Elementwise.applyInPlace(act, Elementwise.copy(in.get(0))),
          (in, n) -> {
            float[] y = in.get(0).clone();
            Elementwise.activate(act, FloatBuffer.wrap(y), output.withBatch(n));
            return y;
          }, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size()));
    } else if (spec instanceof Add) {
      return new BoundLayer(in -> {
        INDArray sum = Elementwise.copy(in.get(0));
        for (int i = 1; i < in.size(); i++) {
          sum.addi(in.get(i));
        }
        return sum;
      }, (in, n) -> {
        float[] sum = in.get(0).clone();
        for (int i = 1; i < in.size(); i++) {
          float[] x = in.get(i);
          for (int j = 0; j < sum.length; j++) {
            sum[j] += x[j];
          }
        }
        return sum;
      }, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size()));
    } else if (spec instanceof CustomLayer c) {
      CustomForward forward = customs.apply(c);
      Map<String, INDArray> named = new LinkedHashMap<>();
      for (int i = 0; i < c.params().size(); i++) {
        named.put(c.params().get(i).name(), params.get(i));
      }
      Map<String, INDArray> frozen = java.util.Collections.unmodifiableMap(named);
      // user code works on INDArrays: no Java form
      return BoundLayer.nd4jOnly(in -> forward.forward(in.get(0), frozen));
    }
    throw new IllegalArgumentException("no runtime implementation for layer type " + spec.getClass().getName());
  }

  /**
   * x @ kernel + bias over the last axis. The kernel stays in its framework's layout: Keras'
   * (in, out) as is, PyTorch's (out, in) read transposed by gemm, rather than a transposed copy
   * being made at load (for a 4096x4096 layer the copy took longer than reading it from the file).
   * Small products (a batch of one, typically) run in plain Java ({@link SmallKernels#dense}) on an
   * (in, out) copy: ND4J's fixed cost per call is most of a 1x784 by 784x128 product.
   */
  private static BoundLayer dense(Dense d, Shape input, Shape output, List<INDArray> params) {
    boolean outIn = d.framework() != Framework.KERAS;
    INDArray kernel = Elementwise.contiguous(params.get(0));
    INDArray bias = d.useBias() ? params.get(1).reshape(1, d.units()).dup('c') : null;
    int in = (int) kernel.size(outIn ? 1 : 0);
    int units = d.units();
    long rowsPerSample = input.size() / in;
    int javaMaxBatch = BoundLayer.maxBatch(JAVA_DENSE_LIMIT, rowsPerSample * in * units);
    // A Java (in, out) copy only where the plain-Java path can run: a large layer never does, and
    // copying its kernel would double its memory.
    float[] kernelValues = javaMaxBatch > 0 ? FloatArrays.copyOf(outIn ? kernel.transpose() : kernel) : null;
    float[] biasValues = bias == null ? null : FloatArrays.copyOf(bias);
    Activation act = d.activation();
    SmallOp small = (inputs, n) -> {
      int rows = (int) (n * rowsPerSample);
      float[] y = new float[rows * units];
      SmallKernels.dense(inputs.get(0), rows, in, kernelValues, biasValues, units, y);
      Elementwise.activate(act, FloatBuffer.wrap(y), output.withBatch(n));
      return y;
    };
    LayerOp nd4j = inputs -> {
      INDArray x = Elementwise.contiguous(inputs.get(0));
      int n = (int) x.size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      long rows = n * rowsPerSample;
      // Nd4j.gemm straight into a fresh array: half the time of mmul, which goes through the
      // MatMul op's shape checks and an extra buffer (measured 110-165 us vs 300-535 us, 32x784x128)
      INDArray y = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, units}, 'c');
      Nd4j.gemm(x.reshape('c', rows, in), kernel, y, false, outIn, 1.0, 0.0);
      if (bias != null && y.length() <= Elementwise.JAVA_LIMIT) {
        // a few thousand adds cost less in Java than one more ND4J call (~10 us)
        Elementwise.addToRows(Elementwise.buffer(y), (int) rows, units, biasValues);
        java.lang.ref.Reference.reachabilityFence(y);
      } else if (bias != null) {
        y.addiRowVector(bias);
      }
      return Elementwise.applyInPlace(act, y.reshape('c', output.withBatch(n)));
    };
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, small, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
  }

  /** Multiply-adds below which a dense layer runs in plain Java rather than through ND4J. */
  static final long JAVA_DENSE_LIMIT = 1 << 18;

  private static BoundLayer conv(Conv2D c, Shape input, Shape output, List<INDArray> params) {
    DataFormat f = c.dataFormat();
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    Padding p = c.padding();
    int top = p.before(h, c.kernelH(), c.strideH(), c.dilationH(), p.height());
    int bottom = p.after(h, c.kernelH(), c.strideH(), c.dilationH(), p.height());
    int left = p.before(w, c.kernelW(), c.strideW(), c.dilationW(), p.width());
    int right = p.after(w, c.kernelW(), c.strideW(), c.dilationW(), p.width());
    // Keras "same" pads the extra row/column after the data; ND4J pads symmetrically, so pad
    // asymmetric cases explicitly first and convolve without padding.
    boolean symmetric = top == bottom && left == right;
    boolean torchWeights = c.framework() == Framework.TORCH;
    // The oneDNN build refuses dilated convolutions ("could not create a descriptor for a dilated
    // convolution"), so ND4J gets the equivalent kernel with the gaps filled by zeros.
    INDArray nd4jWeights = dilate(params.get(0), torchWeights, c.dilationH(), c.dilationW());
    Conv2DConfig config = Conv2DConfig.builder()
        .kH((c.kernelH() - 1) * c.dilationH() + 1).kW((c.kernelW() - 1) * c.dilationW() + 1)
        .sH(c.strideH()).sW(c.strideW())
        .dH(1).dW(1)
        .pH(symmetric ? top : 0).pW(symmetric ? left : 0)
        .paddingMode(PaddingMode.VALID)
        .dataFormat(f == DataFormat.CHANNELS_FIRST ? "NCHW" : "NHWC")
        .weightsFormat(torchWeights ? WeightsFormat.OIYX : WeightsFormat.YXIO)
        .build();
    INDArray weights = params.get(0).dup('c');
    INDArray bias = c.useBias() ? params.get(1).dup('c') : null;
    Activation act = c.activation();
    int cin = input.dim(f == DataFormat.CHANNELS_FIRST ? 0 : 2);
    int cout = c.filters();
    SmallKernels.Window window = new SmallKernels.Window(h, w, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
        c.dilationH(), c.dilationW(), top, left, output.dim(f.heightAxis()), output.dim(f.heightAxis() + 1));
    // The Java kernel takes OIHW weights as [cout][taps] and their transpose [taps][cout].
    INDArray oihw = torchWeights ? weights : weights.permute(3, 2, 0, 1);
    INDArray byChannel = oihw.dup('c').reshape('c', cout, -1);
    long macsPerSample = (long) window.outH() * window.outW() * cout * cin * c.kernelH() * c.kernelW();
    int javaMaxBatch = BoundLayer.maxBatch(SmallKernels.CONV_LIMIT, macsPerSample);
    float[] smallByChannel = javaMaxBatch > 0 ? FloatArrays.copyOf(byChannel) : null;
    float[] smallByTap = javaMaxBatch > 0 ? FloatArrays.copyOf(byChannel.transpose()) : null;
    float[] smallBias = bias == null || javaMaxBatch == 0 ? null : FloatArrays.copyOf(bias);
    SmallOp small = (in, n) -> {
      float[] ys = new float[n * window.outH() * window.outW() * cout];
      SmallKernels.conv(in.get(0), n, cin, cout, window, f == DataFormat.CHANNELS_FIRST,
          smallByChannel, smallByTap, smallBias, ys);
      Elementwise.activate(act, FloatBuffer.wrap(ys), output.withBatch(n));
      return ys;
    };
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      if (!symmetric) {
        x = padSpatial(x, f, top, bottom, left, right, 0f);
      }
      INDArray y = bias == null ? Nd4j.cnn().conv2d(x, nd4jWeights, config)
          : Nd4j.cnn().conv2d(x, nd4jWeights, bias, config);
      return Elementwise.applyInPlace(act, y);
    };
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, small, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
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

  private static INDArray padSpatial(INDArray x, DataFormat f, int top, int bottom, int left, int right, float value) {
    int[][] pad = f == DataFormat.CHANNELS_FIRST
        ? new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}}
        : new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    return Nd4j.pad(x, pad, org.nd4j.linalg.api.ops.impl.transforms.Pad.Mode.CONSTANT, value);
  }

  private static BoundLayer pool(Pool2D p, Shape input, Shape output) {
    DataFormat f = p.dataFormat();
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    Padding pad = p.padding();
    int top = pad.before(h, p.poolH(), p.strideH(), 1, pad.height());
    int bottom = pad.after(h, p.poolH(), p.strideH(), 1, pad.height());
    int left = pad.before(w, p.poolW(), p.strideW(), 1, pad.width());
    int right = pad.after(w, p.poolW(), p.strideW(), 1, pad.width());
    if (p.ceilMode()) {
      throw new UnsupportedOperationException(p.typeName() + " with ceil_mode=True is not supported by the runtime yet");
    }
    boolean max = p.kind() == Pool2D.Kind.MAX;
    // Keras "same" averages ignore padded cells; PyTorch counts them unless count_include_pad=False.
    boolean includePad = pad.mode() == Padding.Mode.EXPLICIT && p.countIncludePad() && !max;
    // ND4J's INCLUDE_PADDING divisor still divides by the real cells (checked against PyTorch in
    // WindowOpsTest), so counted padding is materialised as zeros and pooled without padding.
    boolean symmetric = top == bottom && left == right && !includePad;
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(p.poolH()).kW(p.poolW()).sH(p.strideH()).sW(p.strideW()).dH(1).dW(1)
        .pH(symmetric ? top : 0).pW(symmetric ? left : 0)
        .paddingMode(PaddingMode.VALID)
        .type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
        .divisor(includePad ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
        .isNHWC(f == DataFormat.CHANNELS_LAST)
        .build();
    LayerOp nd4j = includePad
        ? in -> Nd4j.cnn().avgPooling2d(padSpatial(in.get(0), f, top, bottom, left, right, 0f), config)
        : nd4jPool(p, f, h, w, top, bottom, left, right, config);
    int channels = input.dim(f == DataFormat.CHANNELS_FIRST ? 0 : 2);
    SmallKernels.Window window = new SmallKernels.Window(h, w, p.poolH(), p.poolW(), p.strideH(), p.strideW(),
        1, 1, top, left, output.dim(f.heightAxis()), output.dim(f.heightAxis() + 1));
    SmallKernels.Average kind = max ? SmallKernels.Average.MAX
        : includePad ? SmallKernels.Average.AVG_INCLUDING_PADDING : SmallKernels.Average.AVG_REAL_CELLS;
    long readsPerSample = (long) window.outH() * window.outW() * channels * p.poolH() * p.poolW();
    boolean first = f == DataFormat.CHANNELS_FIRST;
    int javaMaxBatch = BoundLayer.maxBatch(SmallKernels.POOL_LIMIT, readsPerSample);
    SmallOp small = (in, n) -> {
      float[] ys = new float[n * window.outH() * window.outW() * channels];
      SmallKernels.pool(in.get(0), first ? n * channels : n, first ? 1 : channels, window, kind, bottom, right, ys);
      return ys;
    };
    LayerOp mixed = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n > javaMaxBatch) {
        return nd4j.apply(in);
      }
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
    };
    return new BoundLayer(mixed, small, javaMaxBatch);
  }

  private static LayerOp nd4jPool(Pool2D p, DataFormat f, int h, int w, int top, int bottom, int left, int right,
      Pooling2DConfig config) {
    boolean symmetric = top == bottom && left == right;
    boolean max = p.kind() == Pool2D.Kind.MAX;
    if (symmetric) {
      return in -> max ? Nd4j.cnn().maxPooling2d(in.get(0), config) : Nd4j.cnn().avgPooling2d(in.get(0), config);
    }
    if (max) {
      return in -> Nd4j.cnn().maxPooling2d(padSpatial(in.get(0), f, top, bottom, left, right, Float.NEGATIVE_INFINITY), config);
    }
    // Asymmetric "same" average: pad with zeros, average over the full window, then rescale each
    // output cell by (window size / real cells in that window).
    INDArray rescale = windowRescale(h, w, p, top, left, f);
    return in -> {
      INDArray y = Nd4j.cnn().avgPooling2d(padSpatial(in.get(0), f, top, bottom, left, right, 0f), config);
      return y.muli(rescale);
    };
  }

  private static INDArray windowRescale(int h, int w, Pool2D p, int top, int left, DataFormat f) {
    int oh = (h + p.strideH() - 1) / p.strideH();
    int ow = (w + p.strideW() - 1) / p.strideW();
    float[] factors = new float[oh * ow];
    for (int i = 0; i < oh; i++) {
      int r0 = Math.max(i * p.strideH() - top, 0);
      int r1 = Math.min(i * p.strideH() - top + p.poolH(), h);
      for (int j = 0; j < ow; j++) {
        int c0 = Math.max(j * p.strideW() - left, 0);
        int c1 = Math.min(j * p.strideW() - left + p.poolW(), w);
        factors[i * ow + j] = (float) (p.poolH() * p.poolW()) / ((r1 - r0) * (c1 - c0));
      }
    }
    INDArray grid = Nd4j.create(factors, new long[] {oh, ow}, 'c');
    // Shaped to broadcast against [N, C, oh, ow] or [N, oh, ow, C].
    return f == DataFormat.CHANNELS_FIRST ? grid.reshape(1, 1, oh, ow) : grid.reshape(1, oh, ow, 1);
  }

  private static BoundLayer globalPool(GlobalPool2D g, Shape input) {
    boolean first = g.dataFormat() == DataFormat.CHANNELS_FIRST;
    int[] axes = first ? new int[] {2, 3} : new int[] {1, 2};
    boolean max = g.kind() == Pool2D.Kind.MAX;
    int channels = input.dim(first ? 0 : 2);
    int cells = input.dim(first ? 1 : 0) * input.dim(first ? 2 : 1);
    SmallOp small = (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * channels];
      for (int s = 0; s < n; s++) {
        for (int c = 0; c < channels; c++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int i = 0; i < cells; i++) {
            float v = x[s * cells * channels + (first ? c * cells + i : i * channels + c)];
            acc = max ? Math.max(acc, v) : acc + v;
          }
          y[s * channels + c] = (float) (max ? acc : acc / cells);
        }
      }
      return y;
    };
    return new BoundLayer(in -> max ? in.get(0).max(axes) : in.get(0).mean(axes), small,
        BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, (long) channels * cells));
  }

  /** Inference BatchNorm folded into one scale and shift per feature. */
  private static BoundLayer batchNorm(BatchNorm b, Shape input, List<INDArray> params) {
    int features = b.features(input);
    int i = 0;
    float[] gamma = b.scale() ? FloatArrays.copyOf(params.get(i++)) : filled(features, 1f);
    float[] beta = b.center() ? FloatArrays.copyOf(params.get(i++)) : filled(features, 0f);
    float[] mean = FloatArrays.copyOf(params.get(i++));
    float[] var = FloatArrays.copyOf(params.get(i));
    float[] scale = new float[features];
    float[] shift = new float[features];
    for (int f = 0; f < features; f++) {
      double s = gamma[f] / Math.sqrt((double) var[f] + b.epsilon());
      scale[f] = (float) s;
      shift[f] = (float) (beta[f] - mean[f] * s);
    }
    int axis = (b.featureAxis() < 0 ? input.rank() + b.featureAxis() : b.featureAxis()) + 1;
    SmallOp small = (in, n) -> {
      float[] y = in.get(0).clone();
      Elementwise.affinePerFeature(FloatBuffer.wrap(y), input.withBatch(n), axis, scale, shift);
      return y;
    };
    LayerOp nd4j = in -> {
      INDArray y = Elementwise.copy(in.get(0));
      Elementwise.affinePerFeature(Elementwise.buffer(y), y.shape(), axis, scale, shift);
      return y;
    };
    return new BoundLayer(nd4j, small, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, input.size()));
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
