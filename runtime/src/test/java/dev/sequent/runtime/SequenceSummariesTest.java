package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Summaries of the embedding, 1-D, adaptive and ceil-mode models equal what the real frameworks
 * print for the same files: every layer's output shape and parameter count as Keras'
 * {@code summary()} gives them, and as torchinfo gives them with its mult-adds (per sample), recorded
 * by fixtures/make_sequence_fixtures.py and make_pooling_fixtures.py in {@code <case>_summary.json}.
 */
class SequenceSummariesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource({
      "sequence, keras_embedding_conv1d.keras, ", "sequence, keras_conv1d_pools.keras, ",
      "sequence, keras_global_keepdims.keras, ", "sequence, keras_repeat_vector.keras, ", "sequence, torch_embedding.pt, 20",
      "sequence, torch_conv1d_pools.pt, 16x128", "pooling, torch_adaptive.pt, 8x13x17",
      "pooling, torch_adaptive_head.pt, 8x13x17", "pooling, torch_adaptive_max_head.pt, 8x13x17",
      "pooling, torch_ceil_pools.pt, 3x15x15", "pooling, torch_ceil_max_pad.pt, 3x14x11"})
  void layerRowsEqualTheFrameworksSummary(String dir, String file, String input) throws IOException {
    Path d = root().resolve(dir);
    Network net = input == null ? Network.load(d.resolve(file))
        : Network.load(d.resolve(file), Shape.of(java.util.Arrays.stream(input.split("x"))
            .mapToInt(Integer::parseInt).toArray()));
    JsonNode summary = JSON.readTree(d.resolve(file.substring(0, file.lastIndexOf('.')) + "_summary.json").toFile());
    boolean keras = summary.has("keras");
    JsonNode rows = keras ? summary.get("keras") : summary.get("torchinfo");
    List<InferredModel.Layer> layers = net.model().nodes();
    assertThat(layers).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      InferredModel.Layer layer = layers.get(i);
      String what = file + " layer " + i + " " + row.get("class").asText();
      List<Integer> dims = new ArrayList<>();
      row.get("output").forEach(n -> dims.add(n.asInt()));
      assertThat(layer.outputShape().dims()).as(what + " output shape").isEqualTo(dims);
      assertThat(layer.paramCount()).as(what + " params").isEqualTo(row.get("params").asLong());
      if (!keras) {
        assertThat(layer.multAdds()).as(what + " mult-adds").isEqualTo(row.get("macs").asLong());
      }
    }
  }
}
