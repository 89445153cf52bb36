package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.IntraOp;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution ({@code groups = 1}) as one matrix product per chunk of samples: the input's
 * patches laid out as a matrix (im2col, in Java) times the weights, by ND4J's {@code matmul}
 * (oneDNN's, on OpenMP threads) writing straight into the output. The weights are laid out once,
 * here, in the order the product wants, with a folded BatchNorm already in them and the bias as
 * one more column, matched by a row of ones in the patches, so the product adds it.
 *
 * <p>Why not always ND4J's {@code conv2d}: through ND4J, oneDNN reorders the weights (and,
 * channels first, the activations) on every call; on a 1x1 convolution or a small output that
 * costs more than the work ({@link #preferred} says where). And why not OpenBLAS'
 * {@code cblas_sgemm} called directly: its
 * threads spin between calls and took the two cores from everything else (2-4x slower than
 * ND4J's {@code matmul} on a loaded machine, and the Java code between products slowed by half);
 * {@code docs/benchmarks.md}, "Convolutions as matrix products".
 *
 * <ul>
 *   <li>Channels first, per sample: {@code y[cout, HW] = W[cout, K+1] x P[K+1, HW]} with
 *       {@code K = cin*kh*kw} in OIHW order and the last row of {@code P} ones. For a chunk of
 *       {@code m} samples the patches sit side by side, {@code P[K+1, m*HW]}, so one product covers
 *       them all (one product per sample would be too narrow for the small images of late layers);
 *       its result {@code [cout, m*HW]} is then copied into the batch's {@code [m, cout, HW]}. A
 *       chunk of one sample is written straight into the output.
 *   <li>Channels last: {@code y[m*HW, cout] = P[m*HW, K+1] x W[K+1, cout]} with {@code K} in HWI
 *       order: the output of a chunk is already in place.
 *   <li>A 1x1 convolution of stride 1 without padding needs no patches: the input is the matrix
 *       (per sample channels first, the whole batch at once channels last), and the bias is added
 *       with the activation in one pass after.
 * </ul>
 *
 * <p>Padding on any side (Keras' asymmetric "same") and dilation are the patches' own: no padded
 * copy of the input and no dilated kernel. The patch matrix lives in a buffer per thread (one
 * {@code Network} serves many caller threads), grown to the largest chunk seen and reused across
 * layers and calls: allocating it per call cost page faults on every megabyte.
 */
final class GemmConvolution {
  /** Most patch values per chunk (16 MB): larger batches go through in chunks of samples. */
  static final long CHUNK_VALUES = 1 << 22;

  /**
   * From this output size up, a 1x1 convolution channels first multiplies each sample's input in
   * place (one product per sample); below it, the samples' inputs are copied side by side first,
   * as patches, for one wider product (a 7x7 image gives products 49 columns wide).
   */
  static final int POINTWISE_PER_SAMPLE_MIN_HW = 196;

  /**
   * Which form a convolution takes in the ND4J regime: {@code "rule"} (the default, {@link
   * #preferred}), {@code "always"} this one, {@code "never"} ND4J's {@code conv2d}. Read when a
   * layer is bound; for tests that must reach this form with layers the rule gives to oneDNN, and
   * for measuring one against the other.
   */
  static final String FORM_PROPERTY = "sequent.conv.product";

  /**
   * The measured rule (2 OpenMP threads, batch 1 and 8, ResNet-18's and MobileNetV2's shapes;
   * {@code docs/benchmarks.md}, "Convolutions as matrix products"). Channels first, oneDNN
   * reorders activations and weights on every call: a 1x1 convolution (any stride) is 1.3-4x
   * faster as a product, and so is any kernel on a small output (up to 8x8), where the call's
   * overhead and reorders outweigh the work; larger kernels on larger outputs stay with oneDNN:
   * even at batch 1, and up to 2x faster at batch 8, where its multi-threaded patch handling
   * beats the single-threaded im2col here.
   * Channels last, oneDNN's NHWC convolution needs no reorder and the product wins only on
   * outputs of 4x4 and smaller (1.7-8x); 1x1 convolutions were even (0.6-1.6x either way).
   * Deterministic: shapes and the batch size ({@link #RULE_MAX_BATCH}) only, no timing.
   */
  static boolean preferred(int kh, int kw, int oh, int ow, boolean channelsFirst) {
    if (System.getProperty(FORM_PROPERTY, "rule").equals("always")) {
      return true;
    }
    return preferredShape(kh, kw, oh, ow, channelsFirst);
  }

  /**
   * The largest batch the rule gives to the product. The whole-model runs on a
   * quiet machine (docs/benchmarks.md, "Convolutions as matrix products") had the rule ahead of
   * oneDNN-only at batch 1 on all three convolutional rows (ResNet-18 64x64 19 vs 28 ms, 224x224
   * 48 vs 58, MobileNetV2 55 vs 60) and behind at batch 8 (61 vs 48, 322 vs 271, 278 vs 217):
   * from batch 8 up oneDNN's multi-threaded patch handling beats the single-threaded im2col here.
   * Batches 2-7 were not measured; 4 splits the difference.
   */
  static final int RULE_MAX_BATCH = 4;

  /**
   * Whether the rule gives a batch of {@code n} to this form: a 1x1 convolution that needs no
   * patches (stride 1, no padding: the input is the matrix) at any batch, since the product is
   * all there is and ND4J runs it on its threads (MobileNetV2 at batch 8: 217 against 294 ms with
   * the batch limit, 267 with oneDNN only; docs/benchmarks.md); other layers up to
   * {@link #RULE_MAX_BATCH}, where building the patches does not yet cost more than oneDNN's
   * whole convolution.
   */
  boolean takesBatch(int n) {
    return pointwise || n <= RULE_MAX_BATCH;
  }

  /** Whether the property forces the product form on every batch (read when a layer is bound). */
  static boolean forced() {
    return System.getProperty(FORM_PROPERTY, "rule").equals("always");
  }

  private static boolean preferredShape(int kh, int kw, int oh, int ow, boolean channelsFirst) {
    if (System.getProperty(FORM_PROPERTY, "rule").equals("never")) {
      return false;
    }
    int hw = oh * ow;
    if (channelsFirst) {
      return (kh == 1 && kw == 1) || hw <= 64;
    }
    return hw <= 16;
  }

  /** Pieces the patches of one sample are built in, shared among the pass's intra-op threads. */
  private static final int IM2COL_TASKS = 8;

  /** A heap row per thread for building patch rows (the caller's and each helper's). */
  private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[1][0]);

  private static float[] rowScratch(int values) {
    float[][] r = ROW.get();
    if (r[0].length < values) {
      r[0] = new float[values];
    }
    return r[0];
  }

  /** One growable buffer per thread, shared by every convolution the thread runs. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int cin;
  private final int h;
  private final int w;
  private final int cout;
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final int dh;
  private final int dw;
  private final int top;
  private final int left;
  private final int oh;
  private final int ow;
  private final boolean channelsFirst;
  private final boolean pointwise;
  /** Rows of the patch matrix: {@code cin*kh*kw}, and one of ones for the bias. */
  private final int k;
  /** Channels first {@code [cout, K+1]}, channels last {@code [K+1, cout]}: the bias last. */
  private final INDArray weights;
  /** The same without the bias, for a 1x1 convolution's input taken as it is (no row of ones). */
  private final INDArray weightsNoBias;
  private final float[] bias;
  private final Activation act;

  /**
   * @param oihw the weights {@code (cout, cin, kh, kw)} row-major, any folded scale already in them
   * @param bias {@code cout} values (a folded shift already in them), or null
   */
  GemmConvolution(int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int dh, int dw, int top,
      int left, int oh, int ow, boolean channelsFirst, float[] oihw, float[] bias, Activation act) {
    this.cin = cin;
    this.h = h;
    this.w = w;
    this.cout = cout;
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.dh = dh;
    this.dw = dw;
    this.top = top;
    this.left = left;
    this.oh = oh;
    this.ow = ow;
    this.channelsFirst = channelsFirst;
    this.pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1 && top == 0 && left == 0 && oh == h && ow == w;
    int taps = cin * kh * kw;
    this.k = taps + 1;
    float[] b = bias == null ? new float[cout] : bias;
    // channels first [cout, K+1]: each output channel's taps then its bias; channels last
    // [K+1, cout]: the HWIO kernel, then the bias as the last row
    float[] laid = new float[k * cout];
    float[] plain = new float[taps * cout];
    for (int o = 0; o < cout; o++) {
      for (int c = 0; c < cin; c++) {
        for (int t = 0; t < kh * kw; t++) {
          float v = oihw[(o * cin + c) * kh * kw + t];
          if (channelsFirst) {
            laid[o * k + c * kh * kw + t] = v;
            plain[o * taps + c * kh * kw + t] = v;
          } else {
            laid[(t * cin + c) * cout + o] = v;
            plain[(t * cin + c) * cout + o] = v;
          }
        }
      }
      laid[channelsFirst ? o * k + taps : taps * cout + o] = b[o];
    }
    this.weights = Nd4j.create(laid, channelsFirst ? new long[] {cout, k} : new long[] {k, cout}, 'c');
    this.weightsNoBias = Nd4j.create(plain, channelsFirst ? new long[] {cout, taps} : new long[] {taps, cout}, 'c');
    this.bias = bias == null ? null : bias.clone();
    this.act = act;
  }

  /** The convolution of a c-ordered batch, as a new array. */
  INDArray apply(INDArray input) {
    INDArray x = Elementwise.contiguous(input);
    int n = (int) x.size(0);
    long[] shape = channelsFirst ? new long[] {n, cout, oh, ow} : new long[] {n, oh, ow, cout};
    INDArray y = ActivationBuffers.take(shape);
    int hw = oh * ow;
    int inPlane = cin * h * w;
    int outPlane = cout * hw;
    if (pointwise && (!channelsFirst || hw >= POINTWISE_PER_SAMPLE_MIN_HW || n == 1)) {
      if (channelsFirst) {
        for (int s = 0; s < n; s++) {
          product(weightsNoBias, matrix(x, (long) s * inPlane, cin, hw), matrix(y, (long) s * outPlane, cout, hw));
        }
      } else {
        product(matrix(x, 0, (long) n * hw, cin), weightsNoBias, matrix(y, 0, (long) n * hw, cout));
      }
      biasAndActivation(y, n);
      Reference.reachabilityFence(x);
      return y;
    }
    Scratch scratch = SCRATCH.get();
    float[] xs = scratch.sample(inPlane);
    FloatBuffer xb = Elementwise.buffer(x);
    int m = chunk(n, (long) k * hw);
    for (int s = 0; s < n; s += m) {
      int count = Math.min(m, n - s);
      int cols = count * hw;
      boolean direct = count == 1 || !channelsFirst;
      long patchValues = (long) k * cols;
      scratch.ensure(patchValues + (direct ? 0 : (long) cout * cols));
      FloatBuffer pb = scratch.buffer;
      for (int j = 0; j < count; j++) {
        xb.get((s + j) * inPlane, xs, 0, inPlane);
        int col0 = j * hw;
        int at = j * hw * k;
        // the patches' rows (channels first: per input channel; channels last: per output row)
        // are built on the pass's intra-op threads, each with a heap row of its own
        int parts = Math.min(channelsFirst ? cin : oh, IM2COL_TASKS);
        if (channelsFirst) {
          IntraOp.share(parts, (long) k * hw, t -> im2colChannelsFirst(xs, pb.duplicate(), col0, cols, cin * t / parts,
              cin * (t + 1) / parts, t == 0));
        } else {
          IntraOp.share(parts, (long) k * hw, t -> im2colChannelsLast(xs, pb.duplicate(), at, oh * t / parts, oh * (t + 1) / parts));
        }
      }
      if (channelsFirst) {
        INDArray patches = matrix(scratch.array, 0, k, cols);
        if (direct) {
          product(weights, patches, matrix(y, (long) s * outPlane, cout, hw));
        } else {
          product(weights, patches, matrix(scratch.array, patchValues, cout, cols));
          FloatBuffer yb = Elementwise.buffer(y);
          for (int j = 0; j < count; j++) {
            for (int o = 0; o < cout; o++) {
              yb.put((s + j) * outPlane + o * hw, pb, (int) patchValues + o * cols + j * hw, hw);
            }
          }
        }
      } else {
        product(matrix(scratch.array, 0, cols, k), weights, matrix(y, (long) s * outPlane, cols, cout));
      }
    }
    Reference.reachabilityFence(x);
    return Elementwise.applyInPlace(act, y);
  }

  /** Samples per chunk: as many as fit {@link #CHUNK_VALUES}, at least one. */
  private static int chunk(int n, long perSample) {
    return (int) Math.max(1, Math.min(n, CHUNK_VALUES / Math.max(1, perSample)));
  }

  /** {@code c = a x b}, into {@code c}'s own memory. */
  private static void product(INDArray a, INDArray b, INDArray c) {
    Nd4j.exec(new Mmul(a, b, c, MMulTranspose.allFalse()));
  }

  /** A row-major {@code rows x cols} view of {@code a}'s memory from element {@code offset}. */
  private static INDArray matrix(INDArray a, long offset, long rows, long cols) {
    return Nd4j.create(a.data(), new long[] {rows, cols}, new long[] {cols, 1}, offset, 'c', DataType.FLOAT);
  }

  /**
   * One sample's patches, channels first, of input channels {@code c0 .. c1}: row
   * {@code (c*kh + ky)*kw + kx} of the matrix, columns {@code col0 .. col0 + oh*ow} of a matrix
   * {@code ld} columns wide, and (with {@code ones}) the row of ones last. Each row is built on the
   * heap and copied out in one piece.
   */
  private void im2colChannelsFirst(float[] x, FloatBuffer p, int col0, int ld, int c0, int c1, boolean ones) {
    int hw = oh * ow;
    float[] row = rowScratch(hw);
    for (int c = c0; c < c1; c++) {
      int plane = c * h * w;
      for (int ky = 0; ky < kh; ky++) {
        for (int kx = 0; kx < kw; kx++) {
          int shift = kx * dw - left;
          // Output columns whose input column lies inside the image: [lo, hi).
          int lo = clamp(ceilDiv(-shift, sw), ow);
          int hi = Math.max(lo, clamp(ceilDiv(w - shift, sw), ow));
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * sh - top + ky * dh;
            int dst = oy * ow;
            if (iy < 0 || iy >= h) {
              java.util.Arrays.fill(row, dst, dst + ow, 0f);
              continue;
            }
            int src = plane + iy * w + shift;
            java.util.Arrays.fill(row, dst, dst + lo, 0f);
            if (sw == 1) {
              System.arraycopy(x, src + lo, row, dst + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++) {
                row[dst + ox] = x[src + ox * sw];
              }
            }
            java.util.Arrays.fill(row, dst + hi, dst + ow, 0f);
          }
          p.put(((c * kh + ky) * kw + kx) * ld + col0, row, 0, hw);
        }
      }
    }
    if (ones) {
      java.util.Arrays.fill(row, 0, hw, 1f);
      p.put((k - 1) * ld + col0, row, 0, hw);
    }
  }

  /**
   * One sample's patches, channels last, of output rows {@code oy0 .. oy1}: row {@code oy*ow + ox}
   * from row {@code at / K}, its {@code K} values in HWI order and a one last. Built on the heap
   * one output row at a time.
   */
  private void im2colChannelsLast(float[] x, FloatBuffer p, int at, int oy0, int oy1) {
    float[] rows = rowScratch(ow * k);
    for (int oy = oy0; oy < oy1; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        int row = ox * k;
        int x0 = ox * sw - left;
        // Kernel columns whose input column lies inside the image: [lo, hi).
        int lo = clamp(ceilDiv(-x0, dw), kw);
        int hi = Math.max(lo, clamp(ceilDiv(w - x0, dw), kw));
        for (int ky = 0; ky < kh; ky++) {
          int iy = oy * sh - top + ky * dh;
          int dst = row + ky * kw * cin;
          if (iy < 0 || iy >= h) {
            java.util.Arrays.fill(rows, dst, dst + kw * cin, 0f);
            continue;
          }
          int src = (iy * w + x0) * cin;
          java.util.Arrays.fill(rows, dst, dst + lo * cin, 0f);
          if (dw == 1) {
            System.arraycopy(x, src + lo * cin, rows, dst + lo * cin, (hi - lo) * cin);
          } else {
            for (int kx = lo; kx < hi; kx++) {
              System.arraycopy(x, src + kx * dw * cin, rows, dst + kx * cin, cin);
            }
          }
          java.util.Arrays.fill(rows, dst + hi * cin, dst + kw * cin, 0f);
        }
        rows[row + k - 1] = 1f;
      }
      p.put(at + oy * ow * k, rows, 0, ow * k);
    }
  }

  /**
   * {@code act(y + bias)} over the batch {@code y} of {@code n} samples, in place, for the products
   * that had no row of ones to add the bias: one pass, block by block through a heap copy (a plane
   * channels first, whole rows of channels channels last), the blocks shared among the pass's
   * intra-op threads. ND4J's bias add and then its activation were two passes over the output
   * (20 % of MobileNetV2's native samples at batch 1, its expanded tensors being megabytes).
   */
  private void biasAndActivation(INDArray y, int n) {
    if (bias == null) {
      Elementwise.applyInPlace(act, y);
      return;
    }
    boolean perValue = Elementwise.mapsEachValue(act);
    FloatBuffer yb = Elementwise.buffer(y);
    int hw = oh * ow;
    int total = n * cout * hw;
    int block = channelsFirst ? hw : cout * Math.max(1, 4096 / cout);
    int blocks = (total + block - 1) / block;
    int perTask = Math.max(1, (1 << 16) / block);
    IntraOp.share((blocks + perTask - 1) / perTask, total, t -> {
      FloatBuffer view = yb.duplicate();
      float[] tmp = rowScratch(block);
      for (int at = t * perTask * block, end = Math.min(total, at + perTask * block); at < end; at += block) {
        int len = Math.min(block, total - at);
        view.get(at, tmp, 0, len);
        if (channelsFirst) {
          float b = bias[(at / hw) % cout];
          for (int i = 0; i < len; i++) {
            tmp[i] += b;
          }
        } else {
          for (int i = 0; i < len; i += cout) {
            for (int o = 0; o < cout; o++) {
              tmp[i + o] += bias[o];
            }
          }
        }
        if (perValue) {
          Elementwise.activate(act, tmp, 0, new long[] {len});
        }
        view.put(at, tmp, 0, len);
      }
    });
    Reference.reachabilityFence(y);
    if (!perValue) {
      Elementwise.applyInPlace(act, y);
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(v, max));
  }

  /**
   * A thread's buffers: the native patch matrix (and, channels first, the chunk's product before
   * it is copied into the batch) and a heap copy of one input sample. Grown on
   * demand, never shrunk.
   */
  private static final class Scratch {
    INDArray array;
    FloatBuffer buffer;
    long capacity;
    float[] sample = new float[0];

    void ensure(long values) {
      if (values > capacity) {
        long grown = Math.max(values, capacity + capacity / 2);
        if (array != null) {
          array.close();
        }
        array = Nd4j.createUninitialized(DataType.FLOAT, new long[] {grown}, 'c');
        buffer = Elementwise.buffer(array);
        capacity = grown;
      }
    }

    float[] sample(int values) {
      if (sample.length < values) {
        sample = new float[values];
      }
      return sample;
    }
  }
}
