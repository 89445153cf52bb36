package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.report.KerasConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each reference model's generated {@code config()} is exactly the JSON that real Keras checked,
 * as recorded by {@code fixtures/check_sequent_configs.sh} (fixtures/check_keras_configs.py) in
 * {@code fixtures/reference/keras_config_check.json}; the hash ties the record to the current
 * output: a changed config fails here until real Keras has checked it again. The verdicts asserted:
 *
 * <ul>
 *   <li>every model: {@code keras.models.model_from_json} accepted the config and the rebuilt model
 *       has the reference Keras model's parameter count;
 *   <li>Keras-vocabulary models: it rebuilds the reference Keras model's architecture
 *       ({@code same_architecture}: layer classes, output shapes, per-layer parameter counts,
 *       hyperparameters, input shape, connections);
 *   <li>PyTorch-vocabulary models: {@code config()} is their literal Keras form, channels-first
 *       with activations as layers of their own and PyTorch's BatchNorm settings, so it is not the
 *       (channels-last, fused-activation) reference, and every difference real Keras reported is one
 *       of those three. Their channels-last twin, the config of the whole-model {@code .h5} Sequent
 *       writes, is checked by loading it in real Keras (SavedKerasWeightsTest).
 * </ul>
 */
class KerasConfigTest {
  static final Path OUT = Path.of("target", "keras-configs");
  private static final Path RECORD = Path.of("reference", "keras_config_check.json");

  static Stream<ReferenceModels.Case> models() {
    return ReferenceModels.all().stream();
  }

  private static String file(ReferenceModels.Case c) {
    return c.fixture() + "__" + c.javaModel() + ".json";
  }

  private static JsonNode checks() {
    return json(root().resolve(RECORD)).path("checks");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void configWasCheckedByRealKeras(ReferenceModels.Case c) throws IOException {
    InferredModel model = c.model().get();
    assertThat(KerasConfig.unsupportedReason(model)).as(c + " has a Keras config").isEmpty();
    byte[] config = KerasConfig.toJson(model).getBytes(StandardCharsets.UTF_8);
    String file = file(c);
    Files.createDirectories(OUT);
    Files.write(OUT.resolve(file), config); // input for fixtures/check_sequent_configs.sh

    JsonNode record = checks().path(file);
    assertThat(record.isMissingNode()).as(file + " has not been checked by real Keras; run fixtures/check_sequent_configs.sh")
        .isFalse();
    assertThat(record.get("sha256").asText()).as(file + " changed since real Keras checked it; rerun the check")
        .isEqualTo(sha256(config));
    assertThat(record.get("accepted").asBoolean()).as(file + ": " + record.get("error")).isTrue();
    List<String> differences = new ArrayList<>();
    record.get("differences").forEach(d -> differences.add(d.asText()));
    // The comparison ran (an error other than the list of differences would leave the list empty)
    // and found the reference's parameter count.
    if (differences.isEmpty()) {
      assertThat(record.get("error").isNull()).as(file + ": " + record.get("error")).isTrue();
    } else {
      assertThat(record.get("error").asText()).startsWith("differs from reference '" + c.fixture() + "': ");
    }
    assertThat(differences).as(file).noneMatch(d -> d.contains("params in all"));

    if (c.vocabulary() == Framework.KERAS) {
      assertThat(record.get("same_architecture").asBoolean()).as(file + ": " + differences).isTrue();
      assertThat(differences).isEmpty();
    } else {
      assertThat(record.get("same_architecture").asBoolean()).isEqualTo(differences.isEmpty());
      for (String d : differences) {
        assertThat(pytorchVocabularyDifference(d)).as(file + ": a difference that is not channels-first layout, "
            + "an activation layer or PyTorch's BatchNorm settings: " + d).isTrue();
      }
    }
  }

  /** No record for a model that is gone, and none missing (the parameterized test would say so too). */
  @Test
  void theRecordHoldsExactlyTheReferenceModels() {
    List<String> recorded = new ArrayList<>();
    checks().fieldNames().forEachRemaining(recorded::add);
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(models().map(KerasConfigTest::file).toList());
  }

  @Test
  void theDifferenceClassifierRefusesOtherDifferences() {
    assertThat(pytorchVocabularyDifference("input shape [1, 28, 28], reference [28, 28, 1]")).isTrue();
    assertThat(pytorchVocabularyDifference("input shape [28, 28, 1], reference [1, 28, 28]")).isFalse();
    assertThat(pytorchVocabularyDifference("layer 0 (c): output shape [32, 26, 26], reference [26, 26, 32]")).isTrue();
    assertThat(pytorchVocabularyDifference("layer 0 (c): output shape [32, 26, 26], reference [26, 26, 16]")).isFalse();
    assertThat(pytorchVocabularyDifference("layer classes ['Dense', 'ReLU', 'Dense'], reference ['Dense', 'Dense']"))
        .isTrue();
    assertThat(pytorchVocabularyDifference("layer classes ['Dense', 'ReLU'], reference ['Dense', 'Dense']")).isFalse();
    assertThat(pytorchVocabularyDifference("layer 0 (fc1): activation 'linear', reference 'relu'")).isTrue();
    assertThat(pytorchVocabularyDifference("layer 0 (fc1): activation 'tanh', reference 'relu'")).isFalse();
    assertThat(pytorchVocabularyDifference("layer 1 (bn): epsilon 1e-05, reference 0.001")).isTrue();
    assertThat(pytorchVocabularyDifference("layer 1 (bn): momentum 0.9, reference 0.99")).isTrue();
    assertThat(pytorchVocabularyDifference("layer 1 (bn): momentum 0.5, reference 0.99")).isFalse();
    assertThat(pytorchVocabularyDifference("layer 3 (fc): units 11, reference 10")).isFalse();
    assertThat(pytorchVocabularyDifference("layer 3 (fc): 10 params, reference 11")).isFalse();
  }

  private static final Pattern SHAPE = Pattern.compile(
      "(?:input shape|layer \\d+ \\([^)]*\\): output shape) \\[([0-9, ]+)\\], reference \\[([0-9, ]+)\\]");
  private static final Pattern CLASSES = Pattern.compile("layer classes \\[(.*)\\], reference \\[(.*)\\]");
  private static final Pattern UNFUSED = Pattern.compile("layer \\d+ \\([^)]*\\): activation 'linear', reference '[a-z_]+'");
  private static final Set<String> PYTORCH_BATCHNORM = Set.of(
      "epsilon 1e-05, reference 0.001", // BatchNorm2d's eps, Keras' default epsilon
      "momentum 0.9, reference 0.99"); // BatchNorm2d's momentum 0.1 as Keras counts it, Keras' default
  private static final Set<String> ACTIVATION_LAYERS = Set.of("Activation", "ReLU", "Softmax", "ELU", "LeakyReLU",
      "PReLU");

  /**
   * Whether one of real Keras' differences between a PyTorch-vocabulary config and the Keras
   * reference is what the vocabulary implies: a channels-first image shape (the reference's
   * channels-last one, channels moved first), activation layers of their own (the same classes but
   * for activation layers; the reference's activation fused into the layer before, which then says
   * 'linear'), or PyTorch's BatchNorm epsilon and momentum.
   */
  static boolean pytorchVocabularyDifference(String d) {
    Matcher m = SHAPE.matcher(d);
    if (m.matches()) {
      int[] ours = ints(m.group(1));
      int[] theirs = ints(m.group(2));
      return ours.length == 3 && theirs.length == 3 && ours[0] == theirs[2] && ours[1] == theirs[0]
          && ours[2] == theirs[1];
    }
    m = CLASSES.matcher(d);
    if (m.matches()) {
      return withoutActivations(m.group(1)).equals(withoutActivations(m.group(2)));
    }
    if (UNFUSED.matcher(d).matches()) {
      return true;
    }
    int colon = d.indexOf("): ");
    return d.matches("layer \\d+ \\([^)]*\\): .*") && PYTORCH_BATCHNORM.contains(d.substring(colon + 3));
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(", ")).mapToInt(Integer::parseInt).toArray();
  }

  private static List<String> withoutActivations(String classes) {
    return Arrays.stream(classes.split(", ")).map(s -> s.replace("'", ""))
        .filter(s -> !ACTIVATION_LAYERS.contains(s)).toList();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
