package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.layers.Conv2D;
import dev.sequent.runtime.exec.ChannelLayouts;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.PlanFusion;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plain-Java pass's channels-last layers ({@link ChannelLayouts}) on torchvision's MobileNetV2
 * through the real {@code torch.export} (32x32 input: its blocks over 8x8, 4x4, 2x2 and 1x1
 * planes): which layers run channels last, where values change layout, and that the outputs are
 * PyTorch's and those of the same plan with every layer channels first, at batch 1 (one chunk,
 * the ops sharing their work), 2 and the plan's Java limit (chunks), and past it (ND4J).
 */
class ChannelLayoutsTest {

  @Test
  void smallPlanesRunChannelsLastWithPyTorchsOutputs() {
    Case mobilenet = Case.load("export", "mobilenet_v2");
    Network net = mobilenet.net();
    ExecutionPlan plan = net.plan();
    ChannelLayouts layouts = plan.layouts();
    var nodes = net.model().nodes();
    int depthwise = 0;
    int pointwise = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (!(nodes.get(i).spec() instanceof Conv2D c)) {
        continue;
      }
      int positions = nodes.get(i).outputShape().dim(1) * nodes.get(i).outputShape().dim(2);
      int inPositions = nodes.get(i).inputShapes().get(0).dim(1) * nodes.get(i).inputShapes().get(0).dim(2);
      boolean small = positions <= ChannelLayouts.MAX_PLANE && inPositions <= ChannelLayouts.MAX_PLANE;
      boolean pointwiseLayer = c.groups() == 1 && c.kernelH() == 1 && c.kernelW() == 1 && c.strideH() == 1;
      boolean depthwiseLayer = c.groups() > 1 && c.groups() == c.filters();
      boolean last = layouts.channelsLast().get(i);
      if (pointwiseLayer || depthwiseLayer) {
        // a 1x1 folded into the depthwise layer reading it is a pass-through, which follows its
        // input, and that depthwise layer reads the 1x1's input through it, channels first
        boolean folded = plan.ops().get(i) == PlanFusion.PASS_THROUGH;
        boolean readsThrough = nodes.get(i).node().inputs().stream().anyMatch(v -> {
          for (int j = 0; j < nodes.size(); j++) {
            if (nodes.get(j).name().equals(v)) {
              return plan.ops().get(j) == PlanFusion.PASS_THROUGH;
            }
          }
          return false;
        });
        if (!folded && !readsThrough) {
          assertEquals(small, last, nodes.get(i).name() + " over " + positions + " positions runs channels last");
        }
        depthwise += depthwiseLayer && last ? 1 : 0;
        pointwise += pointwiseLayer && last ? 1 : 0;
      } else {
        assertFalse(last, nodes.get(i).name() + ", a full convolution, stays channels first");
      }
    }
    assertTrue(depthwise >= 2, "depthwise layers channels last: " + depthwise);
    assertTrue(pointwise >= 8, "1x1 layers channels last: " + pointwise);
    // values change layout where the small planes start, not between the layers that keep them
    long toLast = layouts.inputs().stream().flatMap(List::stream).filter(Objects::nonNull)
        .filter(ChannelLayouts.Conversion::toLast).count();
    long toFirst = layouts.inputs().stream().flatMap(List::stream).filter(Objects::nonNull)
        .filter(c -> !c.toLast()).count();
    assertTrue(toLast >= 1 && toLast <= 2, "values converted to channels last: " + toLast);
    assertEquals(0, toFirst, "values converted back: the pooling reads channels last, its output has no planes");
    assertNull(layouts.outputs().get(0), "the classifier's output has no planes");

    int javaLimit = plan.javaMaxBatch();
    assertTrue(javaLimit >= 2, "batches of 1 and 2 run in plain Java: " + javaLimit);
    // javaLimit + 1 and 8: the ND4J pass, which keeps every layer channels first
    mobilenet.checkOutputs(plan, false, 1, 2, javaLimit, javaLimit + 1, 8);
  }

  /**
   * Real PyTorch modules over planes of at most 8x8 (fixtures/make_small_plane_fixtures.py): values
   * converted both ways where layers without a channels-last form read them (a depthwise layer with
   * two outputs per channel, a Flatten over 4x4 planes), a model output converted back to channels
   * first, a dilated, a strided and a SiLU depthwise layer and a residual add channels last; the
   * outputs PyTorch's and the channels-first plan's at batch 1, 2 and 8.
   */
  @ParameterizedTest(name = "{0}: {1} values converted to channels first, output converted back: {2}")
  @CsvSource({"head, 2, false", "feature_map, 0, true"})
  void valuesChangeLayoutWhereLayersWithoutTheFormReadThem(String name, int toFirst, boolean outputBack) {
    Case fixture = Case.load("small_planes", name);
    ExecutionPlan plan = fixture.net().plan();
    ChannelLayouts layouts = plan.layouts();
    assertTrue(layouts.any(), "layers run channels last");
    assertEquals(toFirst, layouts.inputs().stream().flatMap(List::stream).filter(Objects::nonNull)
        .filter(c -> !c.toLast()).count(), "values converted to channels first");
    assertEquals(outputBack, layouts.outputs().get(0) != null, "the output converted back");
    fixture.checkOutputs(plan, true, 1, 2, 8);
  }

  /**
   * A real PyTorch module of ResNet-style blocks over 8x8 and 4x4 planes
   * (fixtures/make_small_plane_fixtures.py, "residual"): every full convolution runs channels last
   * as products per kernel tap (3x3 at strides 1 and 2, a strided 1x1, a dilated 3x3 whose taps
   * mostly read padding, a 1x3 padded along one axis), the residual adds and ReLUs follow them,
   * the model input is converted once and nothing goes back; the outputs are PyTorch's and the
   * channels-first plan's at batch 1, 2, 8, 40 and 150 (the fixture's 40 samples repeated): a slab
   * of the 8x8 layers' patches holds 33 samples (484 pixel-taps of 64 channels each), so the
   * threads' chunks of 150 samples take two slabs or more. With the scalar kernels the larger layers have no
   * plain-Java form and the pass runs in ND4J: then only the outputs are checked.
   */
  @Test
  void fullConvolutionsOverSmallPlanesRunChannelsLast() {
    Case residual = Case.load("small_planes", "residual");
    Network net = residual.net();
    ExecutionPlan plan = net.plan();
    ChannelLayouts layouts = plan.layouts();
    var nodes = net.model().nodes();
    int full = 0;
    for (int i = 0; i < nodes.size(); i++) {
      // with the scalar kernels the larger layers have no plain-Java form, so none channels last
      if (nodes.get(i).spec() instanceof Conv2D c && c.groups() == 1 && plan.ops().get(i).java() != null) {
        assertTrue(layouts.channelsLast().get(i), nodes.get(i).name() + " runs channels last");
        full++;
      }
    }
    long toLast = layouts.inputs().stream().flatMap(List::stream).filter(Objects::nonNull)
        .filter(ChannelLayouts.Conversion::toLast).count();
    long toFirst = layouts.inputs().stream().flatMap(List::stream).filter(Objects::nonNull)
        .filter(c -> !c.toLast()).count();
    if (JavaKernels.active().simd()) {
      assertEquals(8, full, "full convolutions channels last");
      assertEquals(1, toLast, "the model input converted to channels last, once");
      assertEquals(0, toFirst, "nothing converted back: the pooling reads channels last");
    }
    residual.checkOutputs(plan, JavaKernels.active().simd(), 1, 2, 8, 40, 150);
  }

  /** A conversion to channels last and back gives the values back bit for bit, and moves each where it belongs. */
  @Test
  void conversionsRoundTrip() {
    Random random = new Random(5);
    int n = 3;
    int c = 5;
    int h = 2;
    int w = 3;
    float[] x = new float[n * c * h * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    float[] last = PassArrays.during(() -> new ChannelLayouts.Conversion(true, c, h, w).apply(x, n).clone());
    assertEquals(x[((2 * c + 4) * h + 1) * w + 2], last[((2 * h + 1) * w + 2) * c + 4], "sample 2, channel 4, (1, 2)");
    float[] back = PassArrays.during(() -> new ChannelLayouts.Conversion(false, c, h, w).apply(last, n).clone());
    assertArrayEquals(x, back);
  }

  /** A real PyTorch program and its input and output from {@code fixtures/<dir>/<name>*}. */
  private record Case(String name, INDArray x, INDArray expected, Network net) {
    static Case load(String dir, String name) {
      Path root = Fixtures.root().resolve(dir);
      return new Case(name, Fixtures.npy(root.resolve(name + "_input.npy")),
          Fixtures.npy(root.resolve(name + "_output.npy")), Network.load(root.resolve(name + ".pt2")));
    }

    /**
     * {@code plan}'s outputs at each batch (the fixture's samples repeated) against PyTorch's and
     * against the same plan with every layer channels first; with {@code inPlainJava} each batch
     * must run in the plain-Java pass, where the channels-last forms are.
     */
    void checkOutputs(ExecutionPlan plan, boolean inPlainJava, int... batches) {
      ExecutionPlan channelsFirst = new ExecutionPlan(plan.model(), plan.params(), plan.ops(), plan.javaMaxBatch(),
          plan.freeAfter(), plan.paramMemory(), ChannelLayouts.none(plan.model()));
      assertFalse(channelsFirst.layouts().any());
      for (int batch : batches) {
        INDArray in = rows(x, batch);
        String what = name + " batch " + batch;
        assertTrue(!inPlainJava || batch <= plan.javaMaxBatch() || plan.inJavaChunks(batch), what + " in plain Java");
        assertClose(rows(expected, batch), plan.forward(in), what + ": channels last vs PyTorch");
        assertClose(channelsFirst.forward(in), plan.forward(in), what + ": against channels first");
      }
    }
  }
}
