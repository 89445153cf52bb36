package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Weight-load time: how long {@code Network.load} (or a {@code @Module}'s {@code loadWeights}) takes
 * for each named row of {@code models.json}, the first time in this JVM (ND4J's native start-up and
 * the classes' first use included) and then warm (the median of {@code repeats} more loads), with
 * the process's resident set after the loads. One JSON object per row on stdout.
 * Arguments: {@code models.json rows repeats}.
 */
public final class LoadTime {
  private LoadTime() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    List<String> wanted = Arrays.asList(args[1].split(","));
    int repeats = Integer.parseInt(args[2]);
    for (JsonNode row : new ObjectMapper().readTree(Path.of(args[0]).toFile())) {
      String name = row.get("name").asText();
      if (!wanted.contains(name)) {
        continue;
      }
      int[] sample = new int[row.get("input").size()];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = row.get("input").get(i).asInt();
      }
      Path file = Path.of(row.hasNonNull("sequent_file") ? row.get("sequent_file").asText()
          : row.get("sequent_weights").asText());
      long t0 = System.nanoTime();
      load(row, sample);
      double first = (System.nanoTime() - t0) / 1e6;
      List<Double> warm = new ArrayList<>();
      for (int i = 0; i < repeats; i++) {
        long t = System.nanoTime();
        load(row, sample);
        warm.add((System.nanoTime() - t) / 1e6);
      }
      warm.sort(null);
      System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"file\": \"%s\", \"file_mb\": %.1f, \"first_ms\": %.1f, "
              + "\"warm_median_ms\": %.1f, \"rss_mb\": %.0f}%n", name, file.getFileName(),
          Files.size(file) / 1048576.0, first, warm.get(warm.size() / 2), rssMb());
    }
  }

  private static Network load(JsonNode row, int[] sample) throws Exception {
    if (row.hasNonNull("sequent_file")) {
      return Network.load(Path.of(row.get("sequent_file").asText()), Shape.of(sample));
    }
    InferredModel model = (InferredModel) Class.forName(row.get("module").asText() + "Net").getMethod("model").invoke(null);
    return Network.create(model, 0).loadWeights(Path.of(row.get("sequent_weights").asText()));
  }

  /** VmRSS of this process, from /proc (Linux). */
  static double rssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
