package dev.sequent.runtime.exec;

import dev.sequent.model.Activation;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Activations and per-feature affine maps computed in plain Java directly on ND4J's off-heap
 * buffer. Each ND4J call costs ~10 us of overhead (softmax ~40 us), which dominates small tensors
 * at batch 1; a Java loop over a few thousand floats costs less. Large tensors use ND4J's
 * vectorised kernels where ND4J has the exact function.
 *
 * <p>All math is done in double and rounded once, so results agree with PyTorch and TensorFlow's
 * float32 kernels to well within 1e-6 relative.
 */
public final class Elementwise {
  /** Above this many elements ND4J's vectorised kernels win over a Java loop. */
  public static final long JAVA_LIMIT = 1 << 16;

  private Elementwise() {}

  /** A c-ordered, non-view float array whose buffer can be walked from index 0. */
  public static INDArray contiguous(INDArray a) {
    return a.isView() || a.ordering() != 'c' || a.offset() != 0 ? a.dup('c') : a;
  }

  /**
   * A view of the array's off-heap values. The view does not keep the native memory alive:
   * callers keep {@code a} reachable while they use it (return it, or fence it).
   */
  public static FloatBuffer buffer(INDArray a) {
    return a.data().asNioFloat();
  }

  /** Applies {@code act} to {@code x} in place ({@code x} must be an array this pass owns). */
  public static INDArray applyInPlace(Activation act, INDArray x) {
    if (act.kind() == Activation.Kind.LINEAR) {
      return x;
    }
    x = contiguous(x);
    if (hasKernel(act.kind())) {
      // Block by block through a heap copy, by this JVM's kernels, the blocks shared among the
      // pass's intra-op threads: one read and one write of the buffer, no ND4J call (whose fixed
      // cost and OpenMP hand-off were most of a small tensor's time) and no value-by-value
      // FloatBuffer loop (12 % of ResNet-18 64x64's Java samples at batch 1).
      FloatBuffer b = buffer(x);
      int n = Math.toIntExact(x.length());
      int tasks = (n + ACTIVATION_TASK - 1) / ACTIVATION_TASK;
      IntraOp.share(tasks, n, t -> {
        FloatBuffer view = b.duplicate();
        float[] block = ACTIVATION_BLOCK.get();
        for (int at = t * ACTIVATION_TASK, end = Math.min(n, at + ACTIVATION_TASK); at < end; at += block.length) {
          int len = Math.min(block.length, end - at);
          view.get(at, block, 0, len);
          activate(act, block, 0, new long[] {len});
          view.put(at, block, 0, len);
        }
      });
      java.lang.ref.Reference.reachabilityFence(x);
      return x;
    }
    activate(act, buffer(x), x.shape());
    java.lang.ref.Reference.reachabilityFence(x);
    return x;
  }

  /** Values per piece of work of {@link #applyInPlace}'s kernel form. */
  private static final int ACTIVATION_TASK = 1 << 16;

  /** The heap block of {@link #applyInPlace}'s kernel form, per thread (16 KB: in L1 while it is worked on). */
  private static final ThreadLocal<float[]> ACTIVATION_BLOCK = ThreadLocal.withInitial(() -> new float[4096]);

  /**
   * Whether {@code act} maps each value on its own (all but softmax and log-softmax, which work
   * along an axis), so that it can be applied to any part of a tensor, a tile or a plane at a time.
   */
  public static boolean mapsEachValue(Activation act) {
    return act.kind() != Activation.Kind.SOFTMAX && act.kind() != Activation.Kind.LOG_SOFTMAX;
  }

  /**
   * The bounds {@code {lo, hi}} of an activation that clamps each value (none: infinite bounds;
   * ReLU, ReLU6, Hardtanh), for {@link JavaKernels#shiftClamp}; null for any other. ReLU as a clamp
   * gives 0 where its kernel keeps a negative zero: equal values.
   */
  public static float[] clampBounds(Activation act) {
    return switch (act.kind()) {
      case LINEAR -> new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
      case RELU -> new float[] {0f, Float.POSITIVE_INFINITY};
      case RELU6 -> new float[] {0f, 6f};
      case HARDTANH -> new float[] {(float) act.alpha(), (float) act.maxValue()};
      default -> null;
    };
  }

  /** Whether {@link #activate(Activation, float[], int, long[])} maps each value through a kernel of {@link JavaKernels}. */
  private static boolean hasKernel(Activation.Kind kind) {
    return switch (kind) {
      case RELU, TANH, SIGMOID, LEAKY_RELU, RELU6, HARDTANH, GELU, SILU, HARD_SIGMOID, HARD_SILU -> true;
      default -> false;
    };
  }

  /**
   * Applies {@code act} in place to the row-major values {@code b} of a batch-inclusive tensor of
   * {@code shape} (the shape matters only to softmax's axis).
   */
  public static void activate(Activation act, FloatBuffer b, long[] shape) {
    if (b.hasArray()) {
      activate(act, b.array(), b.arrayOffset(), shape);
    } else if (act.kind() == Activation.Kind.SOFTMAX && Axis.of(shape, act.axis()).inner() == 1) {
      softmaxLastAxis(b, shape, act.axis());
    } else {
      activateBuffer(act, b, shape);
    }
  }

  /**
   * Softmax over the last axis of an off-heap tensor by the heap form's kernel, blocks of whole
   * rows at a time through a heap copy: the same bits in the ND4J regime as in the plain-Java pass
   * (which regime a batch takes can depend on how many callers are running).
   */
  private static void softmaxLastAxis(FloatBuffer b, long[] shape, int axis) {
    Axis split = Axis.of(shape, axis);
    int rows = split.outer();
    int size = split.size();
    float[] block = size <= 4096 ? ACTIVATION_BLOCK.get() : new float[size];
    int per = block.length / size;
    for (int r = 0; r < rows; r += per) {
      int count = Math.min(per, rows - r);
      b.get(r * size, block, 0, count * size);
      JavaKernels.active().softmaxRows(block, 0, count, size, 1f);
      b.put(r * size, block, 0, count * size);
    }
  }

  /** The buffer form's loops, value by value: ND4J's off-heap buffers, and what has no kernel. */
  private static void activateBuffer(Activation act, FloatBuffer b, long[] shape) {
    int len = count(shape);
    switch (act.kind()) {
      case LINEAR -> { }
      case SOFTMAX -> softmax(b, shape, act.axis());
      case RELU -> {
        for (int i = 0; i < len; i++) {
          float v = b.get(i);
          if (v < 0f) {
            b.put(i, 0f);
          }
        }
      }
      case TANH -> {
        for (int i = 0; i < len; i++) {
          b.put(i, (float) tanh(b.get(i)));
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < len; i++) {
          b.put(i, (float) sigmoid(b.get(i)));
        }
      }
      case LEAKY_RELU -> {
        double slope = act.alpha();
        for (int i = 0; i < len; i++) {
          float v = b.get(i);
          if (v < 0f) {
            b.put(i, (float) (v * slope));
          }
        }
      }
      case ELU -> {
        double alpha = act.alpha();
        for (int i = 0; i < len; i++) {
          float v = b.get(i);
          if (v < 0f) {
            b.put(i, (float) (alpha * Math.expm1(v)));
          }
        }
      }
      case SELU -> {
        // Constants as PyTorch and Keras define them.
        final double alpha = 1.6732632423543772848170429916717;
        final double scale = 1.0507009873554804934193349852946;
        for (int i = 0; i < len; i++) {
          double v = b.get(i);
          b.put(i, (float) (v > 0 ? scale * v : scale * alpha * Math.expm1(v)));
        }
      }
      case GELU -> {
        boolean tanhApprox = act.approximate();
        for (int i = 0; i < len; i++) {
          double v = b.get(i);
          double g = tanhApprox
              ? 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
              : 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
          b.put(i, (float) g);
        }
      }
      case SILU -> {
        for (int i = 0; i < len; i++) {
          double v = b.get(i);
          b.put(i, (float) (v * sigmoid(v)));
        }
      }
      case SOFTPLUS -> {
        double beta = act.alpha() == 0 ? 1 : act.alpha();
        double threshold = act.threshold();
        for (int i = 0; i < len; i++) {
          double v = b.get(i);
          double bv = beta * v;
          // PyTorch reverts to the identity above the threshold; log1p(exp) is stable below it.
          double s = bv > threshold ? v : (Math.max(bv, 0) + Math.log1p(Math.exp(-Math.abs(bv)))) / beta;
          b.put(i, (float) s);
        }
      }
      case RELU6 -> {
        for (int i = 0; i < len; i++) {
          float v = b.get(i);
          b.put(i, v < 0f ? 0f : Math.min(v, 6f));
        }
      }
      case HARDTANH -> {
        float lo = (float) act.alpha();
        float hi = (float) act.maxValue();
        for (int i = 0; i < len; i++) {
          b.put(i, Math.max(lo, Math.min(hi, b.get(i))));
        }
      }
      case HARD_SIGMOID -> {
        for (int i = 0; i < len; i++) {
          b.put(i, (float) hardSigmoid(b.get(i)));
        }
      }
      case HARD_SIGMOID_TF -> {
        for (int i = 0; i < len; i++) {
          // tf_keras: clip_by_value(x * 0.2 + 0.5, 0, 1), each step in float32 as TensorFlow does.
          float v = b.get(i) * 0.2f + 0.5f;
          b.put(i, Math.max(0f, Math.min(1f, v)));
        }
      }
      case HARD_SILU -> {
        for (int i = 0; i < len; i++) {
          double v = b.get(i);
          b.put(i, (float) (v * hardSigmoid(v)));
        }
      }
      case KERAS_RELU -> kerasRelu(b, len, act.alpha(), act.maxValue(), act.threshold());
      case LOG_SOFTMAX -> logSoftmax(b, shape, act.axis());
      case MISH, EXPONENTIAL, SOFTSIGN, CELU, LOG_SIGMOID, SOFT_SHRINK, HARD_SHRINK, TANH_SHRINK, SQUAREPLUS,
          SPARSE_PLUS, SPARSE_SIGMOID -> {
        for (int i = 0; i < len; i++) {
          b.put(i, (float) scalar(act, b.get(i)));
        }
      }
      default -> throw new IllegalStateException("unhandled activation " + act.kind());
    }
  }

  /**
   * Applies {@code act} in place to the row-major values {@code a[from, from + count(shape))} of a
   * batch-inclusive tensor of {@code shape}: the plain-Java path's form. The common activations run
   * through this JVM's {@link JavaKernels} (SIMD lanes where the Vector API is present: LeNet-5's
   * tanh through the buffer form, one value per call, was a third of its batch-1 pass); softmax
   * works on the array directly; the rest take the buffer form's loops.
   */
  public static void activate(Activation act, float[] a, int from, long[] shape) {
    int len = count(shape);
    JavaKernels k = JavaKernels.active();
    switch (act.kind()) {
      case LINEAR -> { }
      case SOFTMAX -> softmax(a, from, shape, act.axis());
      case RELU -> k.relu(a, from, len);
      case TANH -> k.tanh(a, from, len);
      case SIGMOID -> k.sigmoid(a, from, len);
      case LEAKY_RELU -> k.leakyRelu(a, from, len, (float) act.alpha());
      case RELU6 -> k.clamp(a, from, len, 0f, 6f);
      case HARDTANH -> k.clamp(a, from, len, (float) act.alpha(), (float) act.maxValue());
      case GELU -> k.gelu(a, from, len, act.approximate());
      case SILU -> k.silu(a, from, len);
      case HARD_SIGMOID -> k.hardSigmoid(a, from, len, false);
      case HARD_SILU -> k.hardSigmoid(a, from, len, true);
      default -> activateBuffer(act, FloatBuffer.wrap(a, from, len).slice(), shape);
    }
  }

  /**
   * tanh through {@code Math.exp}, which the JIT turns into an intrinsic: about 6x faster than
   * {@code Math.tanh} and, in double, exact to float precision (the cubic covers |v| < 1e-4, where
   * the formula would cancel).
   */
  static double tanh(double v) {
    if (Math.abs(v) < 1e-4) {
      return v - v * v * v / 3;
    }
    return 1 - 2 / (Math.exp(2 * v) + 1);
  }

  /**
   * The element-wise functions of Keras 3's {@code keras/src/backend/tensorflow/nn.py} and PyTorch's
   * {@code torch/nn/modules/activation.py}, in double (both frameworks define them alike where both
   * have them; the fixtures of {@code fixtures/conv_family} check each against the real ones).
   */
  private static double scalar(Activation act, double v) {
    double a = act.alpha();
    return switch (act.kind()) {
      case MISH -> v * Math.tanh(softplus(v));
      case EXPONENTIAL -> Math.exp(v);
      case SOFTSIGN -> v / (1 + Math.abs(v));
      case CELU -> Math.max(v, 0) + a * Math.expm1(Math.min(v, 0) / a);
      case LOG_SIGMOID -> -softplus(-v);
      case SOFT_SHRINK -> v > a ? v - a : v < -a ? v + a : 0;
      case HARD_SHRINK -> Math.abs(v) > a ? v : 0;
      case TANH_SHRINK -> v - Math.tanh(v);
      case SQUAREPLUS -> (v + Math.sqrt(v * v + a)) / 2;
      case SPARSE_PLUS -> v <= -1 ? 0 : v < 1 ? 0.25 * (v + 1) * (v + 1) : v;
      case SPARSE_SIGMOID -> v <= -1 ? 0 : v >= 1 ? 1 : 0.5 * (v + 1);
      default -> throw new IllegalStateException("not a scalar activation: " + act.kind());
    };
  }

  /** {@code log(1 + exp(v))}, stable for large |v|. */
  private static double softplus(double v) {
    return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }

  /**
   * A tensor seen along one axis, as softmax and log-softmax walk it: {@code outer} blocks of
   * {@code size} positions on the axis, each {@code inner} values apart.
   */
  private record Axis(int outer, int size, int inner) {
    static Axis of(long[] shape, int axis) {
      int ax = axis < 0 ? shape.length + axis : axis;
      int outer = 1;
      for (int i = 0; i < ax; i++) {
        outer *= (int) shape[i];
      }
      int inner = 1;
      for (int i = ax + 1; i < shape.length; i++) {
        inner *= (int) shape[i];
      }
      return new Axis(outer, (int) shape[ax], inner);
    }
  }

  /** Log-softmax along {@code axis} of the full tensor of {@code shape}, in place: {@code x - max - log(sum exp(x - max))}. */
  static void logSoftmax(FloatBuffer b, long[] shape, int axis) {
    Axis split = Axis.of(shape, axis);
    int outer = split.outer();
    int size = split.size();
    int inner = split.inner();
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * size * inner + in;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
          max = Math.max(max, b.get(base + k * inner));
        }
        double sum = 0;
        for (int k = 0; k < size; k++) {
          sum += Math.exp(b.get(base + k * inner) - max);
        }
        double log = Math.log(sum);
        for (int k = 0; k < size; k++) {
          b.put(base + k * inner, (float) (b.get(base + k * inner) - max - log));
        }
      }
    }
  }

  /** {@code relu6(v + 3) / 6}: Keras 3's and PyTorch's hard sigmoid. */
  private static double hardSigmoid(double v) {
    return Math.max(0, Math.min(6, v + 3)) / 6;
  }

  /**
   * Keras' {@code ReLU(max_value, negative_slope, threshold)} as {@code keras/src/activations/
   * activations.py} computes it (tf_keras' {@code backend.relu} alike): {@code x} where
   * {@code x > threshold} else 0 (plain relu when the threshold is 0), clipped to
   * {@code [0, max_value]}, minus {@code negative_slope * relu(threshold - x)}.
   */
  private static void kerasRelu(FloatBuffer b, int len, double slope, double max, double threshold) {
    for (int i = 0; i < len; i++) {
      double v = b.get(i);
      double y = v > threshold ? v : 0;
      if (y > max) {
        y = max;
      }
      if (slope != 0 && v < threshold) {
        y -= slope * (threshold - v);
      }
      b.put(i, (float) y);
    }
  }

  private static double sigmoid(double v) {
    return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
  }

  /** Softmax along {@code axis} of the full (batch-inclusive) tensor of {@code shape}, in place. */
  static void softmax(FloatBuffer b, long[] shape, int axis) {
    Axis split = Axis.of(shape, axis);
    int outer = split.outer();
    int size = split.size();
    int inner = split.inner();
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * size * inner + in;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
          max = Math.max(max, b.get(base + k * inner));
        }
        double sum = 0;
        for (int k = 0; k < size; k++) {
          sum += Math.exp(b.get(base + k * inner) - max);
        }
        for (int k = 0; k < size; k++) {
          b.put(base + k * inner, (float) (Math.exp(b.get(base + k * inner) - max) / sum));
        }
      }
    }
  }

  /**
   * {@link #softmax(FloatBuffer, long[], int)} on {@code a[from, ...)}: over the last axis by
   * {@link JavaKernels#softmaxRows} (to float precision), over another in the same arithmetic.
   */
  static void softmax(float[] a, int from, long[] shape, int axis) {
    Axis split = Axis.of(shape, axis);
    int outer = split.outer();
    int size = split.size();
    int inner = split.inner();
    if (inner == 1) {
      // the last axis, rows of consecutive values: one exponential per value, in this JVM's
      // kernels (in double here, every value's was computed twice: a classifier's 32x10 softmax
      // took longer than its 128x10 product)
      JavaKernels.active().softmaxRows(a, from, outer, size, 1f);
      return;
    }
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = from + o * size * inner + in;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
          max = Math.max(max, a[base + k * inner]);
        }
        double sum = 0;
        for (int k = 0; k < size; k++) {
          sum += Math.exp(a[base + k * inner] - max);
        }
        for (int k = 0; k < size; k++) {
          a[base + k * inner] = (float) (Math.exp(a[base + k * inner] - max) / sum);
        }
      }
    }
  }

  /**
   * {@code x * scale[f] + shift[f]} in place on the row-major values {@code b} of a tensor of
   * {@code shape}, where {@code f} is the index along the feature axis {@code axis}
   * (batch-inclusive). Used for inference-time BatchNorm.
   */
  public static void affinePerFeature(FloatBuffer b, long[] shape, int axis, float[] scale, float[] shift) {
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= (int) shape[i];
    }
    int len = count(shape);
    int features = scale.length;
    // blocks of [features][inner]: no division per value
    for (int at = 0; at < len; ) {
      for (int f = 0; f < features; f++) {
        float s = scale[f];
        float t = shift[f];
        for (int end = at + inner; at < end; at++) {
          b.put(at, b.get(at) * s + t);
        }
      }
    }
  }

  /** Adds {@code row} to each of the {@code rows} rows of the row-major matrix {@code y}. */
  public static void addToRows(FloatBuffer y, int rows, int units, float[] row) {
    for (int r = 0, at = 0; r < rows; r++) {
      for (int u = 0; u < units; u++, at++) {
        y.put(at, y.get(at) + row[u]);
      }
    }
  }

  /** The number of values in a tensor of {@code shape}. */
  private static int count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** A fresh copy owned by the caller, for ops that must not modify their input. */
  public static INDArray copy(INDArray a) {
    return a.dup('c');
  }

  static INDArray zerosLike(long... shape) {
    return Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
  }
}
