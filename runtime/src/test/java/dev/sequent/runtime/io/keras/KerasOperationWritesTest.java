package dev.sequent.runtime.io.keras;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arithmetic in a Keras model's code ({@code x + 3.0}, {@code 1.0 - x}, {@code x * 0.5},
 * {@code 4.0 / x}, ConvNeXt's {@code inputs + x}, MobileNetV3's hard sigmoid) written back into
 * whole-model files as real Keras writes it: each operation node of Sequent's {@code .keras} is the
 * node real Keras 3 wrote in the file Sequent read (operation class, module, a config of the name
 * alone, the operands among the call's {@code args}), and each {@code TFOpLambda} of its {@code .h5}
 * the one real tf_keras wrote (the function, the first operand as the node entry or
 * {@code _CONSTANT_VALUE}, the second as {@code y}). Only the model inputs' names differ: Sequent
 * names its inputs itself. (ConvNeXt's residual adds are written alike, but Sequent writes its nested
 * stem model's layers into the outer graph, so the adds read another tensor name.) Real Keras 3 and tf_keras load these files and reproduce the models'
 * outputs ({@code fixtures/check_convert_writes.py}, {@code reference/convert_writes_check.json}).
 */
class KerasOperationWritesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"keras_ops/keras_scalar_forms", "keras_ops/keras_scalar_ops",
      "applications/mobilenet_v3_small_mini"})
  void keras3OperationNodesAreTheOnesRealKeras3Wrote(String stem, @TempDir Path tmp) throws IOException {
    Path real = Fixtures.root().resolve(stem + ".keras");
    Path ours = tmp.resolve("ours.keras");
    Network.load(real).saveWeights(ours);
    JsonNode realConfig = JSON.readTree(archiveConfig(real));
    JsonNode ourConfig = JSON.readTree(archiveConfig(ours));
    int compared = compare(realConfig, ourConfig, l -> l.path("module").asText().startsWith("keras.src.ops."));
    assertThat(compared).as("operation nodes in " + stem).isPositive();
    readsBack(stem, ours);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_ops/keras_scalar_forms", "keras_ops/keras_scalar_ops"})
  void tfOpLambdasAreTheOnesRealTfKerasWrote(String stem, @TempDir Path tmp) throws IOException {
    Path real = Fixtures.root().resolve(stem + ".h5");
    Path ours = tmp.resolve("ours.h5");
    Network.load(real).saveWeights(ours);
    int compared = compare(JSON.readTree(modelConfig(real)), JSON.readTree(modelConfig(ours)),
        l -> l.path("class_name").asText().equals("TFOpLambda"));
    assertThat(compared).as("TFOpLambda layers in " + stem).isPositive();
    readsBack(stem, ours);
  }

  /** Each real layer {@code select} picks equals the layer of its name in ours, input names mapped to ours. */
  private static int compare(JsonNode real, JsonNode ours, java.util.function.Predicate<JsonNode> select) {
    Map<String, String> inputs = new LinkedHashMap<>();
    List<String> realInputs = inputNames(real.path("config").path("input_layers"));
    List<String> ourInputs = inputNames(ours.path("config").path("input_layers"));
    assertThat(ourInputs).hasSameSizeAs(realInputs);
    for (int i = 0; i < realInputs.size(); i++) {
      inputs.put(realInputs.get(i), ourInputs.get(i));
    }
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    ours.path("config").path("layers").forEach(l -> byName.put(l.path("name").asText(), l));
    int compared = 0;
    for (JsonNode layer : real.path("config").path("layers")) {
      if (select.test(layer)) {
        String text = layer.toString();
        for (Map.Entry<String, String> e : inputs.entrySet()) {
          text = text.replace("\"" + e.getKey() + "\"", "\"" + e.getValue() + "\"");
        }
        try {
          assertThat(byName.get(layer.path("name").asText())).as(layer.path("name").asText())
              .isEqualTo(JSON.readTree(text));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        compared++;
      }
    }
    return compared;
  }

  /** Sequent reads its own file back and still computes the model's output (single-input, single-output models). */
  private static void readsBack(String stem, Path ours) {
    Path input = Fixtures.root().resolve(stem + "_input.npy");
    Path output = Fixtures.root().resolve(stem + "_output.npy");
    if (Files.exists(input) && Files.exists(output)) {
      assertClose(npy(output), Network.load(ours).forward(npy(input)), stem + " read back from " + ours.getFileName());
    } else {
      assertThat(Network.load(ours).model().nodes()).isNotEmpty();
    }
  }

  /** {@code [name, 0, 0]}, a list of them, or (Keras 3, one input) the triple alone. */
  private static List<String> inputNames(JsonNode refs) {
    List<String> names = new ArrayList<>();
    if (refs.isArray() && refs.size() > 0 && refs.get(0).isTextual()) {
      names.add(refs.get(0).asText());
    } else {
      refs.forEach(r -> names.addAll(inputNames(r)));
    }
    return names;
  }

  private static String archiveConfig(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String modelConfig(Path file) {
    try (HdfFile hdf = new HdfFile(file)) {
      return H5Attributes.string(hdf, "model_config").orElseThrow();
    }
  }
}
