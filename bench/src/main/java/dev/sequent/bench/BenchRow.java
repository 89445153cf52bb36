package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import java.nio.file.Path;

/**
 * One row of {@code bench/work/models.json} (written by prepare.py from models.py) as the bench
 * programs use it: the row by name, its sample shape, and Sequent's network for it, loaded the way
 * {@code bench/run} loads it.
 */
final class BenchRow {
  private BenchRow() {}

  /** The row named {@code name} in {@code modelsJson}; refused when there is none. */
  static JsonNode find(Path modelsJson, String name) throws Exception {
    for (JsonNode r : new ObjectMapper().readTree(modelsJson.toFile())) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no row " + name + " in " + modelsJson);
  }

  /** The row's sample shape (its input without the batch axis). */
  static int[] sample(JsonNode row) {
    int[] sample = new int[row.get("input").size()];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = row.get("input").get(i).asInt();
    }
    return sample;
  }

  /** {@code sample} with a batch axis of {@code batch} in front, for {@code Nd4j.rand}. */
  static long[] batchShape(int[] sample, int batch) {
    long[] shape = new long[sample.length + 1];
    shape[0] = batch;
    for (int i = 0; i < sample.length; i++) {
      shape[i + 1] = sample[i];
    }
    return shape;
  }

  /**
   * Sequent's network for the row: its model file ({@code sequent_file}, {@code Network.load}), or a
   * {@code @Module}'s generated companion ({@code <Module>Net}) with its weights ({@code sequent_weights}).
   */
  static Network load(JsonNode row) throws Exception {
    if (row.hasNonNull("sequent_file")) {
      return Network.load(Path.of(row.get("sequent_file").asText()), Shape.of(sample(row)));
    }
    InferredModel model = (InferredModel) Class.forName(row.get("module").asText() + "Net").getMethod("model").invoke(null);
    return Network.create(model, 0).loadWeights(Path.of(row.get("sequent_weights").asText()));
  }
}
