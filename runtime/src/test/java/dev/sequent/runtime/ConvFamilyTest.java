package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.TorchSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution family and its activations from files saved whole by real PyTorch (pickled and
 * traced), Keras 3 ({@code .keras}) and tf_keras ({@code .h5}) (fixtures/make_conv_family_fixtures.py):
 * grouped, depthwise (multiplier 1 and 2, strided, dilated) and separable convolutions, PReLU in
 * both frameworks' forms, BatchNorm with non-trivial statistics, and every element-wise activation
 * module and Keras 3 activation string. Each file runs at batch 8 (ND4J) and one sample at a time
 * (plain Java) and must give the framework's output; the summaries must count what torchinfo and
 * Keras' summary() count.
 */
class ConvFamilyTest {
  private static final Path DIR = root().resolve("conv_family");

  static Stream<String> files() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pt") || n.endsWith(".keras") || n.endsWith(".h5")).sorted().toList().stream();
    }
  }

  private static Network load(String file) {
    if (!file.endsWith(".pt")) {
      return Network.load(DIR.resolve(file));
    }
    return Network.load(DIR.resolve(file), file.startsWith("torch_conv_family") ? Shape.of(4, 16, 16)
        : Shape.of(3, 16, 16));
  }

  @ParameterizedTest
  @MethodSource("files")
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = Nd4j.createFromNpyFile(DIR.resolve(stem + "_input.npy").toFile()).castTo(DataType.FLOAT);
    INDArray expected = Nd4j.createFromNpyFile(DIR.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = load(file);

    int javaLimit = JavaPath.maxBatch(net.model());
    // The elementwise PReLU model is 6x6x3, so small that the batch of 8 runs in Java as well.
    assertThat(javaLimit).as("the batch of 8 in plain Java too").isGreaterThanOrEqualTo(
        file.startsWith("keras_prelu_elementwise") ? (int) x.size(0) : 1);
    // the batch of 8 runs ND4J with the scalar kernels, plain Java with the SIMD kernels' higher
    // convolution limits (and the elementwise PReLU model's with both); the tiled batch past the
    // limit runs ND4J with either
    check(expected, net.forward(x), file + " batch of 8");
    check(JavaPath.pastLimit(expected, javaLimit), net.forward(JavaPath.pastLimit(x, javaLimit)),
        file + " batch past the plain-Java limit (ND4J)");
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      check(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one), file + " sample " + i + " (Java)");
    }
  }

  @Test
  void theFilesHoldTheNewLayers() {
    List<String> torch = load("torch_conv_family.pt").model().nodes().stream()
        .map(l -> l.spec().typeName()).toList();
    assertThat(torch).contains("Conv2d", "PReLU", "Mish");
    List<String> keras = load("keras_conv_family.keras").model().nodes().stream()
        .map(l -> l.spec().typeName()).toList();
    assertThat(keras).contains("DepthwiseConv2D", "SeparableConv2D", "PReLU");
  }

  /** torchinfo.summary(depth=1) of the PyTorch model: each module's class, parameters and mult-adds. */
  @Test
  void torchSummaryEqualsTorchinfo() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(DIR.resolve("summaries.json").toFile()).get("torch_conv_family");
    for (String file : List.of("torch_conv_family.pt", "torch_conv_family_traced.pt")) {
      InferredModel model = load(file).model();
      List<TorchSummary.Row> rows = TorchSummary.rows(model);
      assertThat(rows).hasSize(expected.get("layers").size());
      for (int i = 0; i < rows.size(); i++) {
        JsonNode e = expected.get("layers").get(i);
        assertThat(rows.get(i).type()).as(file + " row " + i).isEqualTo(e.get("class").asText());
        assertThat(rows.get(i).params()).as(file + " row " + i + " params").isEqualTo(e.get("params").asLong());
        assertThat(rows.get(i).multAdds()).as(file + " row " + i + " mult-adds").isEqualTo(e.get("mult_adds").asLong());
      }
      assertThat(model.multAdds()).isEqualTo(expected.get("total_mult_adds").asLong());
      // torchinfo counts parameters, not buffers (BatchNorm's running statistics).
      assertThat(model.trainableParams()).isEqualTo(expected.get("total_params").asLong());
    }
  }

  /** Keras' model.summary(): each layer's class and "Param #" (trainable and not). */
  @Test
  void kerasSummaryEqualsKeras() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(DIR.resolve("summaries.json").toFile()).get("keras_conv_family");
    for (String file : List.of("keras_conv_family.keras", "keras_conv_family.h5")) {
      InferredModel model = load(file).model();
      assertThat(model.nodes()).hasSize(expected.get("layers").size());
      for (int i = 0; i < model.nodes().size(); i++) {
        JsonNode e = expected.get("layers").get(i);
        InferredModel.Layer l = model.nodes().get(i);
        assertThat(l.spec().typeName()).as(file + " layer " + i).isEqualTo(e.get("class").asText());
        assertThat(l.paramCount()).as(file + " layer " + i + " params").isEqualTo(e.get("params").asLong());
      }
      assertThat(model.totalParams()).isEqualTo(expected.get("total_params").asLong());
    }
  }

  /** 1e-5 absolute, 1e-4 relative where the expected value is above 1. */
  private static void check(INDArray expected, INDArray actual, String what) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    float[] e = expected.dup('c').data().asFloat();
    float[] a = actual.dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs(e[i] - a[i]);
      double tol = Math.max(1e-5, 1e-4 * Math.abs(e[i]));
      assertThat(d).as("%s value %d: expected %s, got %s", what, i, e[i], a[i]).isLessThanOrEqualTo(tol);
    }
  }
}
