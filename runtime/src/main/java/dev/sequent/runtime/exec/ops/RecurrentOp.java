package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.model.layers.Recurrent.Cell;
import dev.sequent.model.layers.Recurrent.Output;
import dev.sequent.model.layers.RecurrentWeights;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.NdArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimpleRNN / LSTM / GRU, one direction or two, one stacked layer or several. The weights of each
 * layer and direction are bound once in one form ({@link RecurrentWeights.CellWeights}: Keras' gate
 * order, kernels {@code (in, gates*H)}) whichever framework declared the layer. Per direction the
 * input projection of all steps is one matrix product ({@code (n*T, F) x (F, G*H)}, biases folded
 * in), and each step one recurrent product of all gates at once ({@code (n, H) x (H, G*H)}); the
 * gates are element-wise Java. A product runs in plain Java ({@link JavaKernels#dense}) when it is
 * small, as at batch 1, where one ND4J call costs more than the product, and through ND4J's gemm
 * otherwise; a {@code GRU(reset_after=False)} step needs a second product, of {@code r * h}.
 */
public final class RecurrentOp implements LayerOpFactory<Recurrent> {
  /**
   * Multiply-adds of one product (an input projection, or one step's recurrent product) below which
   * it runs in Java. Measured on 2 busy cores, LSTM(128) over 50 steps of 64 features: batch 1 all in
   * Java 9 ms, with the projection through ND4J 32 ms, with the 50 step products through ND4J too
   * 605 ms (ND4J's fixed cost per call, paid per step, is most of a (1, 128) x (128, 512) product).
   */
  public static final long JAVA_PRODUCT_LIMIT = 1 << 22;
  /** Multiply-adds per sample below which the whole layer takes the plain-Java path of the plan. */
  public static final long JAVA_LAYER_LIMIT = 1 << 24;
  /** The same with SIMD kernels ({@link JavaKernels#simd}): LSTM(128) over 50 steps up to batch 54. */
  public static final long JAVA_LAYER_LIMIT_SIMD = 1 << 28;

  private final long productLimit;
  private final long layerLimit;

  public RecurrentOp() {
    this(JAVA_PRODUCT_LIMIT, JavaKernels.active().simd() ? JAVA_LAYER_LIMIT_SIMD : JAVA_LAYER_LIMIT);
  }

  /** With other limits: tests force the ND4J products on small layers. */
  RecurrentOp(long productLimit, long layerLimit) {
    this.productLimit = productLimit;
    this.layerLimit = layerLimit;
  }

  @Override
  public Class<Recurrent> layerType() {
    return Recurrent.class;
  }

  /**
   * One direction of one stacked layer, bound: the kernels as (in, G*H) arrays, in ND4J, and packed
   * for this JVM's {@link JavaKernels} (the plain-Java products).
   */
  private record Direction(int in, float[] kernel, INDArray kernelNd, JavaKernels.PackedKernel kernelPacked,
      float[] recurrent, INDArray recurrentNd, JavaKernels.PackedKernel recurrentPacked, float[] inputBias,
      float[] recurrentBias) {}

  @Override
  public BoundLayer bind(Recurrent r, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    // From the record, not inferred.params(): a node giving another output of a call (or another
    // call) lists none of its own and is bound to its owner's tensors.
    List<ParamSpec> specs = r.params(inferred.inputShapes());
    List<ParamArray> arrays = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      arrays.add(new ParamArray(specs.get(i).shape(r.framework()), FloatArrays.copyOf(params.get(i))));
    }
    List<RecurrentWeights.CellWeights> cells = RecurrentWeights.read(r, r.framework(), arrays);
    int h = r.units();
    int gh = r.cell().gates * h;
    boolean resetAfter = r.cell() == Cell.GRU && r.resetAfter();
    List<Direction> dirs = new ArrayList<>();
    for (int l = 0; l < r.layers(); l++) {
      for (int d = 0; d < r.directions(); d++) {
        RecurrentWeights.CellWeights c = cells.get(l * r.directions() + d);
        float[] inputBias = c.inputBias() == null ? null : c.inputBias().clone();
        float[] recurrentBias = null;
        if (c.recurrentBias() != null) {
          if (resetAfter) {
            recurrentBias = c.recurrentBias(); // inside r * (h R + b_hh): not foldable into the input bias
          } else {
            for (int i = 0; i < gh; i++) {
              inputBias[i] += c.recurrentBias()[i];
            }
          }
        }
        int in = c.kernel().shape().dim(0);
        JavaKernels kernels = JavaKernels.active();
        dirs.add(new Direction(in, c.kernel().data(), FloatArrays.of(c.kernel().data(), in, gh),
            kernels.pack(c.kernel().data(), in, gh), c.recurrent().data(), FloatArrays.of(c.recurrent().data(), h, gh),
            kernels.pack(c.recurrent().data(), h, gh), inputBias, recurrentBias));
      }
    }
    int steps = input.dim(0);
    long perSample = (long) steps * gh * (input.last() + (long) h * r.layers() * r.directions()) * r.layers();
    int javaMaxBatch = BoundLayer.maxBatch(layerLimit, perSample);
    Shape output = inferred.outputShape();
    Runner runner = new Runner(r, dirs, steps, input.last(), productLimit);
    SmallOp small = (inputs, n) -> runner.run(inputs, n, false);
    LayerOp nd4j = inputs -> {
      int n = (int) inputs.get(0).size(0);
      List<float[]> xs = new ArrayList<>(inputs.size());
      for (INDArray a : inputs) {
        xs.add(FloatArrays.copyOf(Elementwise.contiguous(a)));
      }
      return FloatArrays.of(runner.run(xs, n, n > javaMaxBatch), output.withBatch(n));
    };
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, small, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
  }

  /** The forward pass over row-major {@code (n, T, F)} floats. */
  private static final class Runner {
    private final Recurrent r;
    private final List<Direction> dirs;
    private final int steps;
    private final int features;
    private final int h;
    private final int gh;
    private final long productLimit;
    /** Keras' Bidirectional sets its layers' zero_output_for_mask to return_sequences (bidirectional.py). */
    private final boolean zeroOutputForMask;

    Runner(Recurrent r, List<Direction> dirs, int steps, int features, long productLimit) {
      this.zeroOutputForMask = r.bidirectional() && r.output() == Output.SEQUENCE;
      this.productLimit = productLimit;
      this.r = r;
      this.dirs = dirs;
      this.steps = steps;
      this.features = features;
      this.h = r.units();
      this.gh = r.cell().gates * r.units();
    }

    /**
     * {@code inputs}: the sequence {@code (n, T, F)}, then the initial states {@code (n, H)} when the
     * layer takes them, then the mask {@code (n, T)} when it reads one.
     */
    float[] run(List<float[]> inputs, int n, boolean nd4j) {
      float[] seq = inputs.get(0);
      float[][] initial = new float[r.cell().states][];
      if (r.initialStates()) {
        for (int i = 0; i < initial.length; i++) {
          initial[i] = inputs.get(1 + i);
        }
      }
      float[] mask = r.masked() ? inputs.get(inputs.size() - 1) : null;
      int in = features;
      int dcount = r.directions();
      float[][] finals = new float[dcount][];
      float[][] outs = new float[dcount][];
      Final end = null;
      for (int l = 0; l < r.layers(); l++) {
        for (int d = 0; d < dcount; d++) {
          boolean backwards = d == 1 || r.goBackwards();
          // Keras' go_backwards gives its outputs in processing order; a bidirectional backward
          // direction (both frameworks) gives each step's output at its own time.
          boolean processingOrder = r.goBackwards();
          float[] out = PassArrays.takeZeroed(n * steps * h);
          end = direction(dirs.get(l * dcount + d), seq, n, in, backwards, processingOrder, out, nd4j, initial,
              mask);
          finals[d] = end.output();
          outs[d] = out;
        }
        boolean last = l == r.layers() - 1;
        float[] layerInput = seq;
        // Stacked PyTorch layers feed the next one both directions concatenated.
        seq = merge(outs, n * steps, last ? r.merge() : Recurrent.Merge.CONCAT);
        for (float[] out : outs) {
          if (out != seq) {
            PassArrays.give(out);
          }
        }
        if (layerInput != inputs.get(0)) {
          PassArrays.give(layerInput);
        }
        in = dcount * h;
      }
      if (r.output() == Output.SEQUENCE) {
        return seq;
      }
      float[] result = switch (r.output()) {
        case FINAL_STATE -> merge(finals, n, r.merge());
        case STATE_H -> end.h();
        case STATE_C -> end.c();
        default -> lastStep(seq, n);
      };
      PassArrays.give(seq);
      return result;
    }

    /** Each sample's output at the sequence's last step, from the layer's whole sequence {@code seq}. */
    private float[] lastStep(float[] seq, int n) {
      int width = r.outputFeatures();
      float[] lastStep = new float[n * width];
      for (int b = 0; b < n; b++) {
        System.arraycopy(seq, (b * steps + steps - 1) * width, lastStep, b * width, width);
      }
      return lastStep;
    }

    /** Rows of {@code h} features per direction, merged: concatenated, summed, multiplied or averaged. */
    private float[] merge(float[][] parts, int rows, Recurrent.Merge merge) {
      if (parts.length == 1) {
        return parts[0];
      }
      float[] a = parts[0];
      float[] b = parts[1];
      if (merge == Recurrent.Merge.CONCAT) {
        float[] out = new float[rows * 2 * h];
        for (int i = 0; i < rows; i++) {
          System.arraycopy(a, i * h, out, i * 2 * h, h);
          System.arraycopy(b, i * h, out, i * 2 * h + h, h);
        }
        return out;
      }
      float[] out = new float[rows * h];
      for (int i = 0; i < out.length; i++) {
        out[i] = switch (merge) {
          case SUM -> a[i] + b[i];
          case MUL -> a[i] * b[i];
          case AVE -> (a[i] + b[i]) / 2;
          case CONCAT -> throw new AssertionError();
        };
      }
      return out;
    }

    /**
     * One direction's end: the last step's output (Keras' {@code last_output}: under a mask, the last
     * kept step's), the final h and an LSTM's final c (null otherwise), each (n, H).
     */
    private record Final(float[] output, float[] h, float[] c) {}

    /**
     * One direction over {@code seq} (n, T, in), writing (n, T, H) into {@code out}, from the
     * {@code initial} states (null entries: zeros). Under a {@code mask} (n, T), as Keras'
     * {@code backend.rnn}: a masked step keeps every state and outputs the previous step's output
     * (zeros before the first kept step; zeros always with {@code zero_output_for_mask}).
     */
    private Final direction(Direction dir, float[] seq, int n, int in, boolean backwards, boolean processingOrder,
        float[] out, boolean nd4j, float[][] initial, float[] mask) {
      int rows = n * steps;
      float[] proj = product(seq, rows, dir.kernelPacked(), dir.kernelNd(), dir.inputBias(),
          nd4j && (long) rows * in * gh > productLimit);
      boolean stepNd4j = nd4j && (long) n * h * gh > productLimit;
      float[] state = initial[0] != null ? initial[0].clone() : new float[n * h];
      float[] cellState = r.cell() != Cell.LSTM ? null : initial[1] != null ? initial[1].clone() : new float[n * h];
      float[] previousOut = new float[n * h];
      float[] kept = mask == null ? null : new float[h];
      float[] keptCell = mask == null || cellState == null ? null : new float[h];
      float[] gates = new float[gh];
      // one buffer for every step's recurrent product on the Java path (50 steps of (n, G*H) otherwise)
      float[] recBuffer = stepNd4j ? null : new float[n * gh];
      boolean resetBefore = r.cell() == Cell.GRU && !r.resetAfter();
      // sigmoid gates and tanh, both frameworks' defaults: one fused pass per sample (JavaKernels.lstmCell)
      boolean standardLstm = r.cell() == Cell.LSTM && r.recurrentActivation().kind() == Activation.Kind.SIGMOID
          && r.activation().kind() == Activation.Kind.TANH;
      for (int s = 0; s < steps; s++) {
        int t = backwards ? steps - 1 - s : s;
        float[] rec;
        if (stepNd4j) {
          rec = product(state, n, dir.recurrentPacked(), dir.recurrentNd(), dir.recurrentBias(), true);
        } else {
          rec = recBuffer;
          JavaKernels.active().dense(state, n, dir.recurrentPacked(), dir.recurrentBias(), rec);
        }
        float[] resetRec = resetBefore ? resetBeforeProduct(dir, state, rec, proj, n, t, stepNd4j) : null;
        for (int b = 0; b < n; b++) {
          int po = (b * steps + t) * gh;
          int ro = b * gh;
          int ho = b * h;
          boolean masked = mask != null && mask[b * steps + t] == 0;
          if (masked) {
            System.arraycopy(state, ho, kept, 0, h);
            if (keptCell != null) {
              System.arraycopy(cellState, ho, keptCell, 0, h);
            }
          }
          switch (r.cell()) {
            case SIMPLE -> {
              for (int j = 0; j < h; j++) {
                gates[j] = proj[po + j] + rec[ro + j];
              }
              activate(r.activation(), gates, 0, h);
              System.arraycopy(gates, 0, state, ho, h);
            }
            case LSTM -> {
              if (standardLstm) {
                JavaKernels.active().lstmCell(proj, po, rec, ro, cellState, state, ho, h);
              } else {
                lstmCell(proj, po, rec, ro, cellState, state, ho, gates);
              }
            }
            case GRU -> {
              for (int j = 0; j < 2 * h; j++) {
                gates[j] = proj[po + j] + rec[ro + j];
              }
              activate(r.recurrentActivation(), gates, 0, 2 * h);
              for (int j = 0; j < h; j++) {
                gates[2 * h + j] = resetBefore
                    ? proj[po + 2 * h + j] + resetRec[b * h + j]
                    : proj[po + 2 * h + j] + gates[h + j] * rec[ro + 2 * h + j];
              }
              activate(r.activation(), gates, 2 * h, h);
              for (int j = 0; j < h; j++) {
                float z = gates[j];
                state[ho + j] = z * state[ho + j] + (1 - z) * gates[2 * h + j];
              }
            }
          }
          int at = (b * steps + (processingOrder ? s : t)) * h;
          if (masked) {
            System.arraycopy(kept, 0, state, ho, h);
            if (keptCell != null) {
              System.arraycopy(keptCell, 0, cellState, ho, h);
            }
            if (!zeroOutputForMask) {
              System.arraycopy(previousOut, ho, out, at, h);
            } // else the zeros out starts with
          } else {
            System.arraycopy(state, ho, out, at, h);
            System.arraycopy(state, ho, previousOut, ho, h);
          }
        }
      }
      PassArrays.give(proj);
      if (mask == null) {
        return new Final(state, state, cellState);
      }
      // Keras' last_output is the last step's output: the previous output where that step is masked.
      float[] lastOut = new float[n * h];
      for (int b = 0; b < n; b++) {
        int t = backwards ? 0 : steps - 1;
        boolean masked = mask[b * steps + t] == 0;
        if (!masked || !zeroOutputForMask) {
          System.arraycopy(masked ? previousOut : state, b * h, lastOut, b * h, h);
        }
      }
      return new Final(lastOut, state, cellState);
    }

    /** One sample's LSTM step with any gate and cell activations, through {@code gates} (4h values). */
    private void lstmCell(float[] proj, int po, float[] rec, int ro, float[] cellState, float[] state, int ho,
        float[] gates) {
      for (int j = 0; j < gh; j++) {
        gates[j] = proj[po + j] + rec[ro + j];
      }
      activate(r.recurrentActivation(), gates, 0, 2 * h);
      activate(r.activation(), gates, 2 * h, h);
      activate(r.recurrentActivation(), gates, 3 * h, h);
      for (int j = 0; j < h; j++) {
        cellState[ho + j] = gates[h + j] * cellState[ho + j] + gates[j] * gates[2 * h + j];
        gates[j] = cellState[ho + j]; // reuse the input gate's slot for act(c)
      }
      activate(r.activation(), gates, 0, h);
      for (int j = 0; j < h; j++) {
        state[ho + j] = gates[3 * h + j] * gates[j];
      }
    }

    /**
     * Keras' {@code GRU(reset_after=False)} candidate: {@code (r * h) @ R_h}, with {@code r} from this
     * step's z,r gates (computed here from {@code rec} and {@code proj}).
     */
    private float[] resetBeforeProduct(Direction dir, float[] state, float[] rec, float[] proj, int n, int t,
        boolean nd4j) {
      float[] reset = new float[n * h];
      for (int b = 0; b < n; b++) {
        int po = (b * steps + t) * gh;
        for (int j = 0; j < h; j++) {
          reset[b * h + j] = proj[po + h + j] + rec[b * gh + h + j];
        }
      }
      activate(r.recurrentActivation(), reset, 0, reset.length);
      for (int i = 0; i < reset.length; i++) {
        reset[i] *= state[i];
      }
      float[] candidate = new float[h * h];
      for (int i = 0; i < h; i++) {
        System.arraycopy(dir.recurrent(), i * gh + 2 * h, candidate, i * h, h);
      }
      return product(reset, n, JavaKernels.active().pack(candidate, h, h), nd4j ? FloatArrays.of(candidate, h, h) : null,
          null, nd4j);
    }
  }

  /** {@code x (rows, in) @ kernel (in, cols) + bias}, in Java or through ND4J's gemm. */
  private static float[] product(float[] x, int rows, JavaKernels.PackedKernel kernel, INDArray kernelNd, float[] bias,
      boolean nd4j) {
    int in = kernel.in();
    int cols = kernel.units();
    if (!nd4j) {
      float[] y = PassArrays.take(rows * cols);
      JavaKernels.active().dense(x, rows, kernel, bias, y);
      return y;
    }
    INDArray a = FloatArrays.of(x, rows, in);
    INDArray y = NdArrays.uninitialized(new long[] {rows, cols});
    Nd4j.gemm(a, kernelNd, y, false, false, 1.0, 0.0);
    float[] out = FloatArrays.copyOf(y);
    if (bias != null) {
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          out[i * cols + j] += bias[j];
        }
      }
    }
    return out;
  }

  /**
   * {@code act} in place on {@code a[off, off+len)}; sigmoid and tanh, the usual gates, through this
   * JVM's {@link JavaKernels} (vectorised where it can be).
   */
  static void activate(Activation act, float[] a, int off, int len) {
    switch (act.kind()) {
      case SIGMOID -> JavaKernels.active().sigmoid(a, off, len);
      case TANH -> JavaKernels.active().tanh(a, off, len);
      case LINEAR -> { }
      default -> Elementwise.activate(act, FloatBuffer.wrap(a, off, len).slice(), new long[] {len});
    }
  }
}
