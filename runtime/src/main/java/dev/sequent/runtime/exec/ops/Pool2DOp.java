package dev.sequent.runtime.exec.ops;

import static dev.sequent.runtime.exec.ops.SpatialPadding.padSpatial;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.PlanePhases;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D max and average pooling, with the padding amounts fixed from the input shape at bind time.
 * Small poolings run in plain Java ({@link SmallKernels#pool}), since an ND4J pooling call costs
 * about 100 us whatever its size; larger ones through ND4J, whose kernel neither pads
 * asymmetrically nor divides by counted padding as PyTorch does, both worked around below.
 */
public final class Pool2DOp implements LayerOpFactory<Pool2D> {

  @Override
  public Class<Pool2D> layerType() {
    return Pool2D.class;
  }

  @Override
  public BoundLayer bind(Pool2D p, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = p.dataFormat();
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    Padding pad = p.padding();
    SpatialPadding.Margins margins = SpatialPadding.Margins.of(pad, input, f, p.poolH(), p.poolW(), p.strideH(),
        p.strideW(), 1, 1);
    int top = margins.top();
    int bottom = margins.bottom();
    int left = margins.left();
    int right = margins.right();
    boolean max = p.kind() == Pool2D.Kind.MAX;
    // Keras "same" averages ignore padded cells; PyTorch counts them unless count_include_pad=False.
    boolean includePad = pad.mode() == Padding.Mode.EXPLICIT && p.countIncludePad() && !max;
    // ND4J's INCLUDE_PADDING divisor still divides by the real cells (checked against PyTorch in
    // WindowOpsTest), so counted padding is materialised as zeros and pooled without padding.
    boolean symmetric = margins.symmetric() && !includePad;
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(p.poolH()).kW(p.poolW()).sH(p.strideH()).sW(p.strideW()).dH(1).dW(1)
        .pH(symmetric ? top : 0).pW(symmetric ? left : 0)
        .paddingMode(PaddingMode.VALID)
        .type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
        .divisor(includePad ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
        .isNHWC(f == DataFormat.CHANNELS_LAST)
        .build();
    LayerOp nd4j = p.ceilMode() ? ceilPool(p, f, h, w, output, includePad)
        : includePad
        ? in -> Nd4j.cnn().avgPooling2d(padSpatial(in.get(0), f, top, bottom, left, right, 0f), config)
        : nd4jPool(p, f, h, w, top, bottom, left, right, config, output);
    int channels = input.dim(f == DataFormat.CHANNELS_FIRST ? 0 : 2);
    SmallKernels.Window window = new SmallKernels.Window(h, w, p.poolH(), p.poolW(), p.strideH(), p.strideW(),
        1, 1, top, left, output.dim(f.heightAxis()), output.dim(f.heightAxis() + 1));
    SmallKernels.Average kind = max ? SmallKernels.Average.MAX
        : includePad ? SmallKernels.Average.AVG_INCLUDING_PADDING : SmallKernels.Average.AVG_REAL_CELLS;
    long readsPerSample = (long) window.outH() * window.outW() * channels * p.poolH() * p.poolW();
    boolean first = f == DataFormat.CHANNELS_FIRST;
    int javaMaxBatch = BoundLayer.maxBatch(SmallKernels.poolLimit(), readsPerSample);
    // Max pooling channels first (PyTorch's MaxPool2d): per plane, one vectorised max per window
    // tap over the plane's phases (PlanePhases), in both regimes; the per-row loops took 6.9 ms for
    // ResNet-18's stem pooling (64 x 112 x 112) where ND4J's took 1.9 ms. Windows two wide at
    // stride two without padding run in pairs instead (SmallKernels.poolsInPairs): splitting small
    // planes into phases cost more than the maxima (CNN's 32 planes of 26x26: 47-55 us, in pairs 5).
    boolean planes = max && first && !p.ceilMode() && !SmallKernels.poolsInPairs(window);
    // windows of several rows: the rows' maximum first, then the columns' through the phases
    RowsThenColumns separable = planes && window.kernelH() > 1 ? new RowsThenColumns(window) : null;
    PlanePhases phases = planes && separable == null ? new PlanePhases(window, Float.NEGATIVE_INFINITY) : null;
    int outPlane = window.outH() * window.outW();
    SmallOp small = (in, n) -> {
      if (separable != null) {
        return separable.apply(in.get(0), n * channels);
      }
      float[] ys = PassArrays.take(n * outPlane * channels);
      if (phases != null) {
        phases.map(in.get(0), n * channels, c -> c, (c, split, out) -> phases.max(split, out), ys);
      } else {
        SmallKernels.pool(in.get(0), first ? n * channels : n, first ? 1 : channels, window, kind, bottom, right, ys);
      }
      return ys;
    };
    LayerOp mixed = in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (separable != null) {
        return separable.apply(x, output.withBatch(n));
      }
      if (phases != null) {
        return phases.map(x, n * channels, c -> c, (c, split, out) -> phases.max(split, out), output.withBatch(n),
            (long) h * w);
      }
      if (n > javaMaxBatch) {
        return nd4j.apply(in);
      }
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
    };
    return new BoundLayer(mixed, small, javaMaxBatch);
  }

  /**
   * Windows that neither overlap nor pad ({@link Epilogue.Pooling}: stride equal to the window, no
   * padding in effect, the output the input's whole blocks) as a pooling the layer before can
   * apply to each band of its output while it is in the cache.
   */
  @Override
  public Optional<Epilogue> asEpilogue(Pool2D p, InferredModel.Layer inferred, List<INDArray> params) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = p.dataFormat();
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    SpatialPadding.Margins margins = SpatialPadding.Margins.of(p.padding(), input, f, p.poolH(), p.poolW(),
        p.strideH(), p.strideW(), 1, 1);
    boolean unpadded = margins.top() == 0 && margins.bottom() == 0 && margins.left() == 0 && margins.right() == 0;
    boolean blocks = p.strideH() == p.poolH() && p.strideW() == p.poolW()
        && output.dim(f.heightAxis()) == Epilogue.Pooling.pooled(h, p.poolH())
        && output.dim(f.heightAxis() + 1) == Epilogue.Pooling.pooled(w, p.poolW());
    return unpadded && blocks
        ? Optional.of(Epilogue.pooling(new Epilogue.Pooling(p.kind() == Pool2D.Kind.MAX, p.poolH(), p.poolW(), f)))
        : Optional.empty();
  }

  private static LayerOp nd4jPool(Pool2D p, DataFormat f, int h, int w, int top, int bottom, int left, int right,
      Pooling2DConfig config, Shape output) {
    boolean symmetric = top == bottom && left == right;
    boolean max = p.kind() == Pool2D.Kind.MAX;
    if (symmetric && max) {
      // into a reused buffer (ActivationBuffers): ResNet's stem pooling writes megabytes from batch 8
      return in -> {
        INDArray y = ActivationBuffers.take(output.withBatch(in.get(0).size(0)));
        Nd4j.exec(new MaxPooling2D(in.get(0), y, config));
        return y;
      };
    }
    if (symmetric) {
      return in -> Nd4j.cnn().avgPooling2d(in.get(0), config);
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

  /**
   * PyTorch's {@code ceil_mode=True}: the output has one more window where the last one starts
   * inside the (left-padded) input and runs past the end (aten {@code pooling_output_shape}, which
   * the record's shape rule follows). The input is padded up to the last window's end (-inf for
   * max, zeros for average) and pooled without padding; averages, which ND4J then divides by the
   * full window, are rescaled per output cell to aten's divisor: the window clipped to the input
   * plus its padding when {@code count_include_pad}, else to the input alone.
   */
  private static LayerOp ceilPool(Pool2D p, DataFormat f, int h, int w, Shape output, boolean includePad) {
    int oh = output.dim(f.heightAxis());
    int ow = output.dim(f.heightAxis() + 1);
    int ph = p.padding().height();
    int pw = p.padding().width();
    int bottom = Math.max((oh - 1) * p.strideH() + p.poolH() - h - ph, 0);
    int right = Math.max((ow - 1) * p.strideW() + p.poolW() - w - pw, 0);
    boolean max = p.kind() == Pool2D.Kind.MAX;
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(p.poolH()).kW(p.poolW()).sH(p.strideH()).sW(p.strideW()).dH(1).dW(1).pH(0).pW(0)
        .paddingMode(PaddingMode.VALID)
        .type(max ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
        .divisor(Pooling2D.Divisor.INCLUDE_PADDING)
        .isNHWC(f == DataFormat.CHANNELS_LAST)
        .build();
    INDArray rescale = max ? null : divisorRescale(h, w, p, oh, ow, includePad, f);
    return in -> {
      INDArray x = padSpatial(in.get(0), f, ph, bottom, pw, right, max ? Float.NEGATIVE_INFINITY : 0f);
      INDArray y = max ? Nd4j.cnn().maxPooling2d(x, config) : Nd4j.cnn().avgPooling2d(x, config);
      // A window dropped for starting in the right padding is still one ND4J computes: cut it off.
      INDArrayIndex all = NDArrayIndex.all();
      INDArrayIndex rows = NDArrayIndex.interval(0, oh);
      INDArrayIndex cols = NDArrayIndex.interval(0, ow);
      y = f == DataFormat.CHANNELS_FIRST ? y.get(all, all, rows, cols) : y.get(all, rows, cols, all);
      return max ? y.dup('c') : y.mul(rescale);
    };
  }

  /** Per output cell, (full window) / (aten's avg_pool2d divisor), shaped to broadcast over the batch. */
  private static INDArray divisorRescale(int h, int w, Pool2D p, int oh, int ow, boolean includePad, DataFormat f) {
    int ph = p.padding().height();
    int pw = p.padding().width();
    float[] factors = new float[oh * ow];
    for (int i = 0; i < oh; i++) {
      int r0 = i * p.strideH() - ph;
      int r1 = Math.min(r0 + p.poolH(), h + ph);
      int rows = includePad ? r1 - r0 : Math.min(r1, h) - Math.max(r0, 0);
      for (int j = 0; j < ow; j++) {
        int c0 = j * p.strideW() - pw;
        int c1 = Math.min(c0 + p.poolW(), w + pw);
        int cols = includePad ? c1 - c0 : Math.min(c1, w) - Math.max(c0, 0);
        factors[i * ow + j] = (float) (p.poolH() * p.poolW()) / (rows * cols);
      }
    }
    INDArray grid = Nd4j.create(factors, new long[] {oh, ow}, 'c');
    return f == DataFormat.CHANNELS_FIRST ? grid.reshape(1, 1, oh, ow) : grid.reshape(1, oh, ow, 1);
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

  /**
   * Max pooling channels first over windows of several rows, in two steps per plane: each output
   * row's input rows combined into one row of their maxima (whole vectors along the row), then
   * those rows pooled along the columns alone through their phases ({@link PlanePhases}, a window
   * one row high). The maximum of a window is the maximum of its rows' maxima, each taken with
   * {@code Math.max} (NaN wins), in any order the same value; rows in the padding are skipped, as
   * their negative infinity would be.
   *
   * <p>Why: through the phases of the whole plane, ResNet-18's stem pooling (64 planes of 112x112,
   * 3x3 at stride 2) split each plane into four phases and took nine taps per output: 0.44 ms at
   * batch 1 on two threads, 0.61 on one, where ONNX Runtime takes 0.095 and 0.114
   * (docs/benchmarks.md, "Thirteenth round"). Here a
   * plane's rows are read once, and the phases are of rows already pooled: two, of half the rows.
   *
   * <p>Immutable and shared by any number of threads; a plane's pooled rows live in an array per
   * thread.
   */
  static final class RowsThenColumns {
    /** A plane's pooled rows per thread, and in the ND4J regime the input plane read and the plane pooled. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Planes per piece of work shared among the threads. */
    private static final int PLANES_PER_TASK = 8;

    private final SmallKernels.Window window;
    private final PlanePhases columns;
    private final JavaKernels kernels;
    /** Per output row, its first and last input rows inside the input ({@code [2 * oy]}, {@code [2 * oy + 1]}, inclusive). */
    private final int[] rows;

    RowsThenColumns(SmallKernels.Window g) {
      this.window = g;
      this.columns = new PlanePhases(new SmallKernels.Window(g.outH(), g.width(), 1, g.kernelW(), 1, g.strideW(),
          1, g.dilationW(), 0, g.left(), g.outH(), g.outW()), Float.NEGATIVE_INFINITY);
      this.kernels = JavaKernels.active();
      this.rows = new int[2 * g.outH()];
      for (int oy = 0; oy < g.outH(); oy++) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int ky = 0; ky < g.kernelH(); ky++) {
          int iy = g.inputRow(oy, ky);
          if (iy >= 0 && iy < g.height()) {
            lo = Math.min(lo, iy);
            hi = Math.max(hi, iy);
          }
        }
        rows[2 * oy] = lo;
        rows[2 * oy + 1] = hi;
      }
    }

    /** {@code planes} planes of {@code x} (channels first) pooled into a new array of the pass's. */
    float[] apply(float[] x, int planes) {
      float[] y = PassArrays.take(planes * window.outH() * window.outW());
      int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
      IntraOp.share(tasks, (long) planes * window.height() * window.width(), t -> {
        float[] pooledRows = FloatArrays.grown(SCRATCH.get(), 0, window.outH() * window.width());
        for (int q = t * PLANES_PER_TASK, end = Math.min(planes, q + PLANES_PER_TASK); q < end; q++) {
          poolRows(x, q * window.height() * window.width(), pooledRows);
          columns.mapPlane(pooledRows, 0, (c, split, out) -> columns.max(split, out), y,
              q * window.outH() * window.outW());
        }
      });
      return y;
    }

    /**
     * The ND4J regime: each plane read from {@code input}'s buffer into an array of this thread's,
     * the output written into a reused buffer ({@link ActivationBuffers}) of {@code outputShape}.
     */
    INDArray apply(INDArray input, long[] outputShape) {
      INDArray x = Elementwise.contiguous(input);
      FloatBuffer in = Elementwise.buffer(x);
      INDArray y = ActivationBuffers.take(outputShape);
      FloatBuffer out = Elementwise.buffer(y);
      int planeValues = window.height() * window.width();
      int outValues = window.outH() * window.outW();
      int planes = (int) (x.length() / planeValues);
      int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
      IntraOp.share(tasks, (long) planes * planeValues, t -> {
        float[][] s = SCRATCH.get();
        float[] pooledRows = FloatArrays.grown(s, 0, window.outH() * window.width());
        float[] plane = FloatArrays.grown(s, 1, planeValues);
        float[] pooled = FloatArrays.grown(s, 2, outValues);
        // absolute bulk gets and puts only: they change no position, so the helpers share the buffers
        for (int q = t * PLANES_PER_TASK, end = Math.min(planes, q + PLANES_PER_TASK); q < end; q++) {
          in.get(q * planeValues, plane, 0, planeValues);
          poolRows(plane, 0, pooledRows);
          columns.mapPlane(pooledRows, 0, (c, split, o) -> columns.max(split, o), pooled, 0);
          out.put(q * outValues, pooled, 0, outValues);
        }
      });
      java.lang.ref.Reference.reachabilityFence(x);
      java.lang.ref.Reference.reachabilityFence(y);
      return y;
    }

    /** Each output row's input rows of the plane at {@code x[from]} combined into {@code out}'s row. */
    private void poolRows(float[] x, int from, float[] out) {
      int w = window.width();
      for (int oy = 0; oy < window.outH(); oy++) {
        int lo = rows[2 * oy];
        int hi = rows[2 * oy + 1];
        int at = oy * w;
        if (lo == hi) {
          System.arraycopy(x, from + lo * w, out, at, w);
          continue;
        }
        kernels.combine(x, from + lo * w, x, from + (lo + 1) * w, w, true, out, at);
        for (int iy = lo + 2; iy <= hi; iy++) {
          kernels.combine(out, at, x, from + iy * w, w, true, out, at);
        }
      }
    }
  }
}
