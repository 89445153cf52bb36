package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.Shape;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batches past the plan's Java limit run in the plain-Java pass in chunks where the limits that
 * stop them bound only the memory of a call ({@code ExecutionPlan.inJavaChunks}): on torchvision's
 * MobileNetV2 through {@code torch.export}, whose direct and depthwise convolutions and residual
 * adds are such layers, the chunked pass gives the framework's output and the ND4J regime's (the
 * same plan with chunks turned off); on the CNN, whose head (a fifth of its work) is faster
 * through ND4J past its own limit, a batch past that stays in the ND4J regime.
 */
class JavaChunksTest {

  @Test
  void mobileNetV2PastItsJavaLimitRunsInChunksWithTheFrameworksOutput() {
    Path root = Fixtures.root().resolve("export");
    INDArray x = Fixtures.npy(root.resolve("mobilenet_v2_input.npy"));
    INDArray expected = Fixtures.npy(root.resolve("mobilenet_v2_output.npy"));
    ExecutionPlan plan = Network.load(root.resolve("mobilenet_v2.pt2")).plan();
    int limit = plan.javaMaxBatch();
    assertTrue(limit >= 1, "batch 1 runs in plain Java");
    for (int batch : new int[] {limit + 1, 2 * limit + 1, 9}) {
      if (batch <= limit) {
        continue;
      }
      // the direct form (and with it the memory-only limits of the 1x1 layers) needs the SIMD kernels
      boolean simd = dev.sequent.runtime.exec.JavaKernels.active().simd();
      assertEquals(simd, plan.inJavaChunks(batch), "batch " + batch + " past the limit " + limit + " runs in chunks");
      INDArray in = rows(x, batch);
      INDArray chunked = plan.forward(in);
      assertClose(rows(expected, batch), chunked, "batch " + batch + " in chunks of " + limit + " vs PyTorch");
      System.setProperty(ExecutionPlan.NO_JAVA_CHUNKS_PROPERTY, "true");
      try {
        assertFalse(plan.inJavaChunks(batch));
        assertClose(plan.forward(in), chunked, "batch " + batch + ": chunks vs the ND4J regime");
      } finally {
        System.clearProperty(ExecutionPlan.NO_JAVA_CHUNKS_PROPERTY);
      }
    }
  }

  @Test
  void layersFasterThroughNd4jKeepALargeBatchThere() {
    // the CNN: a convolution (direct with the SIMD kernels: a memory limit) and a 5408x10 head
    // (a speed limit: past it Nd4j.gemm is faster) doing a fifth of the work
    ExecutionPlan plan = Network.load(Fixtures.reference("cnn", "torch_model.pt"), Shape.of(1, 28, 28))
        .plan();
    int limit = plan.javaMaxBatch();
    assertTrue(limit >= 1);
    boolean simd = dev.sequent.runtime.exec.JavaKernels.active().simd();
    int pastConvolution = 2 * limit + 1;
    assertEquals(simd, plan.inJavaChunks(pastConvolution),
        "past the convolution's memory limit " + limit + ", within the head's: chunks where the convolution is direct");
    assertFalse(plan.inJavaChunks(4096), "past the head's speed limit too: the ND4J regime");
  }
}
