package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sequent.examples.keras.applications.MobileNetV2Alpha035Net;
import dev.sequent.examples.keras.applications.MobileNetV2Net;
import dev.sequent.examples.keras.applications.ResNet50Net;
import dev.sequent.examples.keras.applications.ResNetSmallNet;
import dev.sequent.model.Framework;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * keras.applications' ResNet50 and MobileNetV2 declared in Java with Keras-vocabulary blocks
 * ({@code examples/.../keras/applications}): layer names come from the structure
 * ({@code conv2_block1_1_conv}, {@code block_3_depthwise_BN}), so {@code loadWeights} pairs every
 * tensor of the files keras.applications' own builders wrote (real Keras 3 {@code .keras}, real
 * tf_keras {@code .h5}; fixtures/make_applications_fixtures.py) by name, and the Java models give
 * Keras' outputs. The reduced models are committed; the full-size ones run where
 * {@code fixtures/large/} has been generated.
 */
class KerasApplicationsBlocksTest {
  private static final Map<String, Supplier<Network>> MODELS = Map.of(
      "resnet_small", ResNetSmallNet::create,
      "mobilenet_v2_035", MobileNetV2Alpha035Net::create,
      "resnet50", ResNet50Net::create,
      "mobilenet_v2", MobileNetV2Net::create);

  @ParameterizedTest
  @ValueSource(strings = {"resnet_small.keras", "resnet_small.h5", "mobilenet_v2_035.keras", "mobilenet_v2_035.h5"})
  void reducedJavaModelsReproduceKeras(String file) {
    Path dir = root().resolve("applications");
    Network net = model(file).loadWeights(dir.resolve(file));
    // Batch 8 through ND4J, and each sample alone (64x64 and 96x96 images take ND4J too).
    assertBatchAndEachSample(net::forward, npy(dir.resolve(stem(file) + "_input.npy")),
        npy(dir.resolve(stem(file) + "_output.npy")), file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet50.keras", "resnet50.h5", "mobilenet_v2.keras", "mobilenet_v2.h5"})
  void fullSizeJavaModelsReproduceKeras(String file) {
    Path dir = root().resolve("large");
    assumeTrue(Files.exists(dir.resolve(file)),
        "fixtures/large/" + file + " not generated (python fixtures/make_applications_fixtures.py --full)");
    Network net = model(file).loadWeights(dir.resolve(file));
    assertClose(npy(dir.resolve(stem(file) + "_output.npy")), net.forward(npy(dir.resolve(stem(file) + "_input.npy"))),
        file + " batch");
  }

  /**
   * The Java model's weighted layers are the file's, by name, each with the file's tensors in order
   * and shape: every tensor paired, none left over. In a legacy {@code .h5} the tensor names are
   * the layer's ({@code conv2_block1_1_conv/kernel:0}) and equal the Java model's; a Keras 3 file
   * numbers its paths by class in Keras' graph order ({@code layers/conv2d_3/vars/0}) and names
   * each path's layer in its config, which is what pairs them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"applications/resnet_small.keras", "applications/resnet_small.h5",
      "applications/mobilenet_v2_035.keras", "applications/mobilenet_v2_035.h5",
      "large/resnet50.keras", "large/resnet50.h5", "large/mobilenet_v2.keras", "large/mobilenet_v2.h5"})
  void layerAndWeightNamesAreTheFiles(String file) {
    Path path = root().resolve(file);
    assumeTrue(Files.exists(path), "fixtures/" + file + " not generated (make_applications_fixtures.py --full)");
    boolean legacy = file.endsWith(".h5");
    WeightFile read = WeightFiles.read(path);
    Map<String, List<String>> inFile = new LinkedHashMap<>();
    read.layerOrder().forEach(l -> inFile.put(l.layerName(), l.tensorNames().stream()
        .map(t -> (legacy ? t + " " : "") + read.tensors().get(t).shapeString().replace(" ", "")).toList()));
    Map<String, List<String>> inJava = new LinkedHashMap<>();
    for (NamedParam p : ParameterNames.of(model(file).model(), Framework.KERAS)) {
      inJava.computeIfAbsent(p.layer(), k -> new ArrayList<>())
          .add((legacy ? p.keras2Name() + " " : "") + p.spec().shape(Framework.KERAS).dims().toString().replace(" ", ""));
    }
    assertThat(inJava.keySet()).containsExactlyInAnyOrderElementsOf(inFile.keySet());
    inJava.forEach((layer, tensors) -> assertThat(tensors).as(layer).isEqualTo(inFile.get(layer)));
    assertThat(read.tensors()).hasSize(inJava.values().stream().mapToInt(List::size).sum());
    if (file.contains("resnet")) {
      assertThat(inJava).containsKeys("conv1_conv", "conv2_block1_0_conv", "conv2_block1_1_conv", "conv3_block1_3_bn");
    } else {
      assertThat(inJava).containsKeys("Conv1", "expanded_conv_depthwise", "block_1_expand_BN", "block_16_project",
          "Conv_1_bn", "predictions");
    }
  }

  /** Keras' {@code count_params()}, recorded by the generator, equals the compile-time count. */
  @ParameterizedTest
  @ValueSource(strings = {"applications/resnet_small", "applications/mobilenet_v2_035", "large/resnet50",
      "large/mobilenet_v2"})
  void parameterCountsAreKeras(String model) {
    Path versions = root().resolve(model.substring(0, model.indexOf('/'))).resolve("versions.json");
    assumeTrue(Files.exists(versions), "fixtures/" + model + " not generated (make_applications_fixtures.py --full)");
    String name = model.substring(model.indexOf('/') + 1);
    long expected = json(versions).get("checks").get(name + "_params").asLong();
    Map<String, Long> compiled = Map.of("resnet_small", ResNetSmallNet.TOTAL_PARAMS,
        "mobilenet_v2_035", MobileNetV2Alpha035Net.TOTAL_PARAMS, "resnet50", ResNet50Net.TOTAL_PARAMS,
        "mobilenet_v2", MobileNetV2Net.TOTAL_PARAMS);
    assertThat(compiled.get(name)).isEqualTo(expected);
  }

  private static Network model(String file) {
    String name = stem(file.substring(file.lastIndexOf('/') + 1));
    return MODELS.get(name).get();
  }

  private static String stem(String file) {
    return file.substring(0, file.lastIndexOf('.'));
  }

  /**
   * Keras' summary of the file (captured from real Keras 3 by fixtures/make_summary_fixtures.py at 200
   * and 80 columns) is the Java model's, line for line: the rows in the order Keras lists a
   * Functional model's layers, not the order the Java declares them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"resnet_small.keras.keras200", "resnet_small.keras.keras80",
      "mobilenet_v2_035.keras.keras200", "mobilenet_v2_035.keras.keras80"})
  void summaryIsKeras(String capture) throws java.io.IOException {
    String expected = Files.readString(root().resolve("summaries").resolve("applications__" + capture + ".txt"));
    int columns = Integer.parseInt(capture.substring(capture.lastIndexOf("keras") + "keras".length()));
    dev.sequent.model.InferredModel model = capture.startsWith("resnet") ? ResNetSmallNet.model()
        : MobileNetV2Alpha035Net.model();
    assertThat(dev.sequent.model.report.KerasSummary.render(model, columns)).isEqualTo(expected);
  }
}
