package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J regime's convolution ({@code groups = 1}) as patches times weights through ND4J's
 * matrix product ({@code GemmConvolution}) against models built and run by real PyTorch and
 * Keras: each fixture's batch tiled until it is larger than every such convolution's own
 * plain-Java limit (a model's batch of 8 leaves its small convolutions in Java), once with every
 * convolution bound as a product (the test switch) and once by the measured rule (products and
 * oneDNN's {@code conv2d} mixed, as models run).
 * Together they cover both layouts, stride 2, dilation, 1x1 convolutions (pointwise: no patches),
 * Keras' asymmetric "same", a folded BatchNorm and bias, and ReLU, ReLU6 and other activations in
 * the epilogue, at batch sizes that take one chunk of one sample, one chunk of several, and
 * several chunks.
 */
class ConvolutionProductTest {
  /** {@code GemmConvolution.FORM_PROPERTY}: the bind-time switch between the two ND4J forms. */
  private static final String FORM_PROPERTY = "sequent.conv.product";
  /** {@code DirectConvolution.FORM_PROPERTY}: channels-first convolutions computed directly in Java. */
  private static final String DIRECT_PROPERTY = "sequent.conv.direct";
  /** {@code ValidTapsConvolution.FORM_PROPERTY}: small outputs as products over their valid taps only. */
  private static final String VALID_TAPS_PROPERTY = "sequent.conv.validTaps";
  /** {@code GroupedConvolution.DEPTHWISE_PROPERTY}: depthwise channels first in Java phases or oneDNN. */
  private static final String DEPTHWISE_PROPERTY = "sequent.conv.depthwise";

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
      // torchvision ResNet-18 (narrow) and MobileNetV2 through torch.export: channels first, stride 2,
      // 1x1 downsample, folded BatchNorm, ReLU / ReLU6
      "export, narrow_resnet18.pt2, narrow_resnet18_input.npy, narrow_resnet18_output.npy",
      "export, mobilenet_v2.pt2, mobilenet_v2_input.npy, mobilenet_v2_output.npy",
      // keras.applications: channels last, folded BatchNorm, 1x1 and 3x3, "same" with stride 2
      "applications, resnet_small.keras, resnet_small_input.npy, resnet_small_output.npy",
      "applications, mobilenet_v2_035.keras, mobilenet_v2_035_input.npy, mobilenet_v2_035_output.npy",
      "applications, convnext_mini.keras, convnext_mini_input.npy, convnext_mini_output.npy",
      // dilation, both layouts
      "windows, torch_dilated_conv.pt, torch_dilated_conv_input.npy, torch_dilated_conv_output.npy",
      "windows, keras_dilated_conv.keras, keras_dilated_conv_input.npy, keras_dilated_conv_output.npy",
      // Keras "same" with stride 2: one row and column more after the data than before
      "reference/strided_same, keras3.keras, input_keras.npy, output_keras3.npy",
      "reference/cnn, torch_model.pt, input_torch.npy, output_torch.npy",
      "reference/cnn, keras3.keras, input_keras.npy, output_keras3.npy",
      "reference/batchnorm, torch_model.pt, input_torch.npy, output_torch.npy",
      "reference/batchnorm, keras3.keras, input_keras.npy, output_keras3.npy",
      "reference/lenet5, torch_model.pt, input_torch.npy, output_torch.npy",
      // Keras Conv2D channels first (the Keras model's layout taken through the channels-first product)
      "graphs, channels_first_flatten.keras, channels_first_flatten_input.npy, channels_first_flatten_output.npy",
      "graphs, channels_first_flatten.h5, channels_first_flatten_input.npy, channels_first_flatten_output.npy",
      // grouped and plain convolutions, PReLU, Mish and other activations after them (PyTorch)
      "conv_family, torch_conv_family.pt, torch_conv_family_input.npy, torch_conv_family_output.npy",
      "conv_family, keras_conv_family.keras, keras_conv_family_input.npy, keras_conv_family_output.npy",
  })
  void everyConvolutionRunsAsAProductAndGivesTheFrameworksOutput(String dir, String file, String input,
      String output) {
    Path root = Fixtures.root().resolve(dir);
    INDArray x = Fixtures.npy(root.resolve(input));
    INDArray expected = Fixtures.npy(root.resolve(output));
    // "rule/onednn": the rule, with depthwise convolutions channels first through oneDNN instead of
    // the Java phases (GroupedConvolution.DEPTHWISE_PROPERTY)
    // "direct": every channels-first convolution computed directly (DirectConvolution), on the
    // scalar kernels in the default test run and on the vector ones in the vector-kernels run
    // "validTaps": every convolution (channels first or last) as products over its output pixels'
    // valid taps (ValidTapsConvolution)
    for (String form : new String[] {"always", "direct", "validTaps", "rule", "rule/onednn"}) {
      Network net = load(root.resolve(file), x, form);
      int limit = largestConvolutionJavaLimit(net);
      assertThat(limit).as("%s has a convolution with groups = 1", file).isGreaterThanOrEqualTo(0);
      int copies = limit / (int) x.size(0) + 1;
      INDArray big = tile(x, copies);
      assertThat(big.size(0)).as("past every convolution's Java limit").isGreaterThan(limit);
      String what = file + " (" + form + ")";
      assertClose(tile(expected, copies), net.forward(big), what + " batch of " + big.size(0));
      // the fixture's own batch too: one chunk for the model's larger layers, Java for the small ones
      assertClose(expected, net.forward(x), what + " batch of " + x.size(0));
    }
  }

  /**
   * One network, four caller threads at once, each with its own batch size (so each grows its own
   * patch buffer to a different size): every result must be the framework's.
   */
  @Test
  void callerThreadsShareTheNetworkAndKeepTheirOwnPatchBuffers() throws Exception {
    Path root = Fixtures.root().resolve("export");
    INDArray x = Fixtures.npy(root.resolve("narrow_resnet18_input.npy"));
    INDArray expected = Fixtures.npy(root.resolve("narrow_resnet18_output.npy"));
    Network net = load(root.resolve("narrow_resnet18.pt2"), x, "always");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int copies = t + 1;
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 3; i++) {
            assertClose(tile(expected, copies), net.forward(tile(x, copies)), "thread with batch " + 8 * copies);
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The model bound with every convolution as a product ({@code always}), every channels-first one
   * computed directly ({@code direct}), every one over its valid taps ({@code validTaps}) or by the
   * measured rule, and after a slash the depthwise
   * form ({@code java} or {@code onednn}).
   */
  private static Network load(Path file, INDArray x, String form) {
    String[] parts = form.split("/");
    String before = System.getProperty(FORM_PROPERTY);
    String directBefore = System.getProperty(DIRECT_PROPERTY);
    String depthwiseBefore = System.getProperty(DEPTHWISE_PROPERTY);
    String validTapsBefore = System.getProperty(VALID_TAPS_PROPERTY);
    boolean validTaps = parts[0].equals("validTaps");
    System.setProperty(FORM_PROPERTY, parts[0].equals("direct") || validTaps ? "rule" : parts[0]);
    System.setProperty(DIRECT_PROPERTY, parts[0].equals("direct") ? "always"
        : parts[0].equals("always") || validTaps ? "never" : "rule");
    System.setProperty(VALID_TAPS_PROPERTY, validTaps ? "always" : parts[0].equals("always") ? "never" : "rule");
    System.setProperty(DEPTHWISE_PROPERTY, parts.length > 1 ? parts[1] : "java");
    try {
      return load(file, x);
    } finally {
      restore(FORM_PROPERTY, before);
      restore(DIRECT_PROPERTY, directBefore);
      restore(DEPTHWISE_PROPERTY, depthwiseBefore);
      restore(VALID_TAPS_PROPERTY, validTapsBefore);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static Network load(Path file, INDArray x) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".pt")) {
      return Network.load(file);
    }
    int[] sample = new int[x.rank() - 1];
    for (int i = 1; i < x.rank(); i++) {
      sample[i - 1] = (int) x.size(i);
    }
    return Network.load(file, Shape.of(sample));
  }

  /**
   * The largest plain-Java batch limit of the model's {@code groups = 1} convolutions; -1 for none.
   * A 1x1 convolution the plan folded into the depthwise layer reading it has no op of its own
   * (its reader's limit is that layer's).
   */
  private static int largestConvolutionJavaLimit(Network net) {
    List<InferredModel.Layer> nodes = net.model().nodes();
    List<BoundLayer> ops = net.plan().ops();
    int limit = -1;
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).spec() instanceof Conv2D c && c.groups() == 1
          && ops.get(i) != dev.sequent.runtime.exec.PlanFusion.PASS_THROUGH) {
        limit = Math.max(limit, ops.get(i).javaMaxBatch());
      }
    }
    return limit;
  }

  private static INDArray tile(INDArray a, int copies) {
    INDArray[] parts = new INDArray[copies];
    java.util.Arrays.fill(parts, a);
    return copies == 1 ? a : Nd4j.concat(0, parts);
  }
}
