package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Dense;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.NdArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * x @ kernel + bias over the last axis. The kernel stays in its framework's layout: Keras'
 * (in, out) as is, PyTorch's (out, in) read transposed by gemm, rather than a transposed copy
 * being made at load (for a 4096x4096 layer the copy took longer than reading it from the file).
 * Small products (a batch of one, typically) run in plain Java ({@link JavaKernels#dense}) on an
 * (in, out) copy packed at bind time ({@link JavaKernels#pack}): ND4J's fixed cost per call is most of a 1x784 by 784x128 product.
 */
public final class DenseOp implements LayerOpFactory<Dense> {
  /** Multiply-adds below which a dense layer runs in plain Java rather than through ND4J. */
  public static final long JAVA_DENSE_LIMIT = 1 << 18;
  /**
   * The same with SIMD kernels ({@link JavaKernels#simd}), where the plain-Java path (split over the
   * intra-op threads) beats an ND4J gemm and its fixed costs up to a 32x32x64x128 product.
   */
  public static final long JAVA_DENSE_LIMIT_SIMD = 1 << 24;

  /** The limit this JVM's kernels call for. */
  static long javaDenseLimit() {
    return JavaKernels.active().simd() ? JAVA_DENSE_LIMIT_SIMD : JAVA_DENSE_LIMIT;
  }

  @Override
  public Class<Dense> layerType() {
    return Dense.class;
  }

  @Override
  public BoundLayer bind(Dense d, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    boolean outIn = d.framework() != Framework.KERAS;
    // A BatchNorm the plan folded in scales each unit's weights and shifts its bias.
    Epilogue e = context.epilogue();
    INDArray kernel = e.hasAffine() ? Conv2DOp.scaleOutputChannels(params.get(0), outIn ? 0 : 1, e.scale())
        : Elementwise.contiguous(params.get(0));
    INDArray bias = e.hasAffine() ? Conv2DOp.foldedBias(d.useBias() ? params.get(1) : null, e).reshape(1, d.units())
        : d.useBias() ? params.get(1).reshape(1, d.units()).dup('c') : null;
    int in = (int) kernel.size(outIn ? 1 : 0);
    int units = d.units();
    long rowsPerSample = input.size() / in;
    int javaMaxBatch = BoundLayer.maxBatch(javaDenseLimit(), rowsPerSample * in * units);
    // A Java (in, out) copy only where the plain-Java path can run: a large layer never does, and
    // copying its kernel would double its memory.
    JavaKernels.PackedKernel kernelValues = javaMaxBatch > 0
        ? JavaKernels.active().pack(FloatArrays.copyOf(outIn ? kernel.transpose() : kernel), in, units) : null;
    float[] biasValues = bias == null ? null : FloatArrays.copyOf(bias);
    Activation act = e.activationAfter(d.activation());
    SmallOp small = (inputs, n) -> {
      int rows = (int) (n * rowsPerSample);
      float[] y = PassArrays.take(rows * units);
      SmallKernels.denseShared(JavaKernels.active(), inputs.get(0), rows, kernelValues, biasValues, y);
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
      INDArray y = NdArrays.uninitialized(new long[] {rows, units});
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

  /**
   * A folded BatchNorm acts on the units (the last axis); an activation only where the layer has
   * none; no pooling.
   */
  @Override
  public boolean absorbs(Dense d, InferredModel.Layer inferred, Epilogue e) {
    boolean linear = d.activation().kind() == Activation.Kind.LINEAR;
    int lastAxis = inferred.outputShape().rank() - 1;
    return !e.hasPooling() && (!e.hasAffine() || (linear && e.axis() == lastAxis && e.scale().length == d.units()))
        && (!e.hasActivation() || linear);
  }
}
