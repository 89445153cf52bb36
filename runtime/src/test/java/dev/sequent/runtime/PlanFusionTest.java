package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.Shape;
import dev.sequent.runtime.exec.PlanFusion;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plan's fusion pass ({@link PlanFusion}: BatchNorm folded into the convolution before it,
 * activations into the layer before them, poolings over blocks into the direct convolution before
 * them) changes no output: on real PyTorch and Keras files, the
 * fused plan matches the real framework's output and the unfused plan of the same weights, at
 * batch 1 and the plan's Java limit (the plain-Java pass) and one past the limit (ND4J), and at 8
 * and 32, channels-first and -last.
 */
class PlanFusionTest {

  @ParameterizedTest(name = "{0}/{1}: {3} layers folded, {4} poolings with SIMD kernels")
  @CsvSource({
      // Keras Conv2D -> BatchNormalization -> ReLU (channels-last, axis -1): BN and ReLU fold; the
      // residual Add's ReLU folds into the Add
      "residual, keras3.keras, output_keras3.npy, 3, 0",
      // Conv2d -> Tanh three times, Linear -> Tanh, Linear -> Softmax; both AvgPool2d(2) after a
      // tanh fold into the direct convolution before it
      "lenet5, torch_model.pt, output_torch.npy, 5, 2",
      // Conv2d -> ReLU -> MaxPool2d(2); Linear -> Softmax
      "cnn, torch_model.pt, output_torch.npy, 2, 1",
      // BatchNorm2d first (nothing before it to fold into), then Conv2d -> ReLU
      "batchnorm, torch_model.pt, output_torch.npy, 1, 0",
      // Linear followed by nine different activations, and by Dropout (not folded) then Softmax
      "activations, torch_model.pt, output_torch.npy, 10, 0",
  })
  void fusedPlanMatchesTheFrameworkAndTheUnfusedPlan(String model, String file, String output, int perValue,
      int poolings) {
    // the direct convolution, which alone takes a pooling, is the rule's only with SIMD kernels
    int folded = perValue + (dev.sequent.runtime.exec.JavaKernels.active().simd() ? poolings : 0);
    boolean torch = file.startsWith("torch");
    INDArray x = npy(model, torch ? "input_torch.npy" : "input_keras.npy");
    Path path = reference(model, file);
    long[] sample = x.shape();
    Network net = torch ? Network.load(path, Shape.of(toInts(sample))) : Network.load(path);
    ExecutionPlan fused = net.plan();
    ExecutionPlan unfused = new PlanBinder(net.model(), false).bind(fused.params());
    assertEquals(folded, fused.ops().stream().filter(op -> op == PlanFusion.PASS_THROUGH).count(),
        "layers folded into the one before them");
    assertEquals(0, unfused.ops().stream().filter(op -> op == PlanFusion.PASS_THROUGH).count());
    INDArray expected = npy(model, output);
    int javaLimit = fused.javaMaxBatch();
    assertTrue(javaLimit >= 1, "batch 1 runs in plain Java");
    // 1 and the limit run in plain Java; one past the limit (and 8, 32 for the image models) through ND4J
    for (int batch : new int[] {1, 8, 32, javaLimit, javaLimit + 1}) {
      INDArray in = rows(x, batch);
      INDArray want = rows(expected, batch);
      String what = model + "/" + file + " batch " + batch + (batch <= javaLimit ? " (Java)" : " (ND4J)");
      assertClose(want, fused.forward(in), what + ": fused vs " + (torch ? "PyTorch" : "Keras"));
      assertClose(unfused.forward(in), fused.forward(in), what + ": fused vs unfused");
    }
  }

  /**
   * Depthwise and grouped convolutions absorb the BatchNorm and activation after them too:
   * torchvision's MobileNetV2 through {@code torch.export} ({@code Conv2d(groups=C)} ->
   * {@code BatchNorm2d} -> {@code ReLU6}, channels-first) and keras.applications' MobileNetV2
   * ({@code DepthwiseConv2D} -> {@code BatchNormalization} -> {@code ReLU(6)}, channels-last),
   * checked against the framework and the unfused plan on both paths (Java and ND4J).
   */
  @ParameterizedTest(name = "{0}/{1}: at least {3} layers folded, {4} read through with SIMD kernels")
  @CsvSource({
      // 17 blocks: every Conv2d (1x1, grouped 3x3) with its BatchNorm2d and ReLU6 where it has one;
      // the 1x1 expansion over planes of whole tiles larger than the plain-Java pass keeps
      // channels last (16x16 at this 32x32 input: block 2; blocks 3-6 over 8x8 and 4x4 run
      // channels last instead, ChannelLayoutsTest) computed by the depthwise layer that reads it;
      // Keras' channels-last layers have no such form
      "export, mobilenet_v2.pt2, mobilenet_v2, 20, 1",
      "applications, mobilenet_v2_035.keras, mobilenet_v2_035, 20, 0",
  })
  void groupedConvolutionsAbsorbBatchNormAndActivation(String dir, String file, String stem, int atLeast,
      int readThroughWithSimd) {
    Path root = Fixtures.root().resolve(dir);
    INDArray x = Fixtures.npy(root.resolve(stem + "_input.npy"));
    INDArray expected = Fixtures.npy(root.resolve(stem + "_output.npy"));
    Network net = Network.load(root.resolve(file));
    ExecutionPlan fused = net.plan();
    ExecutionPlan unfused = new PlanBinder(net.model(), false).bind(fused.params());
    long folded = fused.ops().stream().filter(op -> op == PlanFusion.PASS_THROUGH).count();
    assertTrue(folded >= atLeast, "layers folded: " + folded);
    // the BatchNorm read from each grouped convolution is folded into it
    var nodes = net.model().nodes();
    int grouped = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (!isGrouped(nodes.get(i).spec())) {
        continue;
      }
      grouped++;
      String name = nodes.get(i).name();
      for (int j = i + 1; j < nodes.size(); j++) {
        if (nodes.get(j).node().inputs().contains(name)) {
          assertTrue(fused.ops().get(j) == PlanFusion.PASS_THROUGH,
              nodes.get(j).name() + " after grouped " + name + " is folded into it");
        }
      }
    }
    assertTrue(grouped > 0, "the model has grouped convolutions");
    long readThrough = java.util.stream.IntStream.range(0, nodes.size())
        .filter(i -> fused.ops().get(i) == PlanFusion.PASS_THROUGH
            && nodes.get(i).spec() instanceof dev.sequent.model.layers.Conv2D c && c.groups() == 1)
        .count();
    assertEquals(dev.sequent.runtime.exec.JavaKernels.active().simd() ? readThroughWithSimd : 0, readThrough,
        "1x1 convolutions computed by the depthwise layer reading them");
    int javaLimit = fused.javaMaxBatch();
    // the plan's Java limit is per plan: 0 where a layer is too large for the Java path even at batch 1
    // 32: tensors past Elementwise.JAVA_LIMIT, whose activation runs in ND4J
    int[] batches = javaLimit >= 1 ? new int[] {1, javaLimit, javaLimit + 1, (int) x.size(0), 32}
        : new int[] {1, (int) x.size(0), 32};
    for (int batch : batches) {
      INDArray in = rows(x, batch);
      String what = file + " batch " + batch + (batch <= javaLimit ? " (Java)" : " (ND4J)");
      assertClose(rows(expected, batch), fused.forward(in), what + ": fused vs the framework");
      assertClose(unfused.forward(in), fused.forward(in), what + ": fused vs unfused");
    }
  }

  private static boolean isGrouped(Object layer) {
    return layer instanceof dev.sequent.model.layers.DepthwiseConv2D
        || (layer instanceof dev.sequent.model.layers.Conv2D c && c.groups() > 1);
  }


  private static int[] toInts(long[] shape) {
    int[] s = new int[shape.length - 1];
    for (int i = 1; i < shape.length; i++) {
      s[i - 1] = (int) shape[i];
    }
    return s;
  }
}
