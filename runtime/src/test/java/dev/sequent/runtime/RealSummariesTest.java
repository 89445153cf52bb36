package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.model.Shape;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequent's summary of every committed model file it loads with no Java source equals, byte for
 * byte, what the real tool printed for the same file (fixtures/make_summary_fixtures.py,
 * {@code fixtures/summaries/manifest.json}): Keras 3's {@code model.summary()} of
 * {@code keras.models.load_model(file)} in a terminal 200 and 80 columns wide, and torchinfo 1.8's
 * table of the pickled module on the first sample of the case's input. A TorchScript file is
 * compared with its eager twin's table (torchinfo cannot hook TorchScript), and a tf_keras
 * {@code .h5} that Keras 3 cannot load with the table Keras 3 prints for the same model saved as
 * {@code .keras}, where the two name every listed layer alike. Nothing in the real text is
 * rewritten.
 */
class RealSummariesTest {
  private static final Map<String, Network> LOADED = new ConcurrentHashMap<>();

  /**
   * The real tools summarise these, Sequent refuses them without Java source (a part of the
   * message says why); each must still be refused, not half-read.
   */
  private static final Map<String, String> REFUSED = Map.of(
      "keras_ops/keras_sine.keras", "Keras operation");

  static Stream<Arguments> cases() {
    JsonNode manifest = Fixtures.json(root().resolve("summaries").resolve("manifest.json"));
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : manifest.get("cases")) {
      String label = c.get("file").asText() + " " + c.get("tool").asText()
          + (c.has("columns") ? " " + c.get("columns").asInt() : "");
      out.add(Arguments.of(label, c));
    }
    return out.stream();
  }

  @Test
  void everyRefusedFileIsACase() {
    JsonNode manifest = Fixtures.json(root().resolve("summaries").resolve("manifest.json"));
    List<String> files = new ArrayList<>();
    manifest.get("cases").forEach(c -> files.add(c.get("file").asText()));
    assertThat(files).containsAll(REFUSED.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void summaryIsTheRealToolsText(String label, JsonNode c) throws IOException {
    String file = c.get("file").asText();
    String expected = Files.readString(root().resolve("summaries").resolve(c.get("summary").asText()));
    String refusal = REFUSED.get(file);
    if (refusal != null) {
      assertThatThrownBy(() -> load(root().resolve(file), c)).as(label)
          .isInstanceOf(UnsupportedArchitectureException.class).hasMessageContaining(refusal);
      return;
    }
    Network net = LOADED.computeIfAbsent(file, f -> load(root().resolve(f), c));
    String actual = c.get("tool").asText().equals("keras") ? net.summary(c.get("columns").asInt()) : net.summary();
    if (!actual.equals(expected)) {
      // beside the build output, for a diff against fixtures/summaries/
      Path mine = Path.of("target", "summaries-actual", c.get("summary").asText());
      Files.createDirectories(mine.getParent());
      Files.writeString(mine, actual);
    }
    assertThat(actual).as(label).isEqualTo(expected);
  }

  private static Network load(Path file, JsonNode c) {
    if (!c.has("input_shape")) {
      return Network.load(file);
    }
    int[] dims = new int[c.get("input_shape").size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = c.get("input_shape").get(i).asInt();
    }
    return Network.load(file, Shape.of(dims));
  }
}
