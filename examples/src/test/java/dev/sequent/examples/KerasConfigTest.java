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
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each reference model's generated {@code config()} is exactly the JSON that real Keras accepted
 * with {@code model_from_json} and found to rebuild the same architecture, as recorded by
 * {@code fixtures/check_sequent_configs.sh}. The hash ties the record to the current output: a
 * changed config fails here until real Keras has checked it again.
 */
class KerasConfigTest {
  static final Path OUT = Path.of("target", "keras-configs");

  static Stream<ReferenceModels.Case> models() {
    return ReferenceModels.all().stream().filter(c -> KerasConfig.unsupportedReason(c.model().get()).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void configWasAcceptedByRealKeras(ReferenceModels.Case c) throws IOException {
    InferredModel model = c.model().get();
    byte[] config = KerasConfig.toJson(model).getBytes(StandardCharsets.UTF_8);
    String file = c.fixture() + "__" + c.javaModel() + ".json";
    Files.createDirectories(OUT);
    Files.write(OUT.resolve(file), config); // input for fixtures/check_sequent_configs.sh

    JsonNode record = json(root().resolve("reference/keras_config_check.json")).path("checks").path(file);
    assertThat(record.isMissingNode()).as(file + " has not been checked by real Keras; run fixtures/check_sequent_configs.sh")
        .isFalse();
    assertThat(record.get("sha256").asText()).as(file + " changed since real Keras checked it; rerun the check")
        .isEqualTo(sha256(config));
    assertThat(record.get("accepted").asBoolean()).as(file + ": " + record.get("error")).isTrue();
    if (c.vocabulary() == Framework.KERAS) {
      // The reference Keras model is the Keras-vocabulary twin; PyTorch-vocabulary models are
      // written channels-first with separate activation layers, so only acceptance applies to them.
      assertThat(record.get("same_architecture").asBoolean()).as(file + ": " + record.get("differences")).isTrue();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
