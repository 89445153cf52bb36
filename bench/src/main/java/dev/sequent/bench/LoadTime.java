package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight-load time: how long {@code Network.load} (or a {@code @Module}'s {@code loadWeights}) takes
 * for each named row of {@code models.json}, with the process's resident set after the loads. One
 * JSON object per row on stdout. Arguments: {@code models.json rows seconds}.
 *
 * <p>Four figures, because a JVM's cost of a load changes with how many it has done:
 * {@code nd4j_init_ms}, ND4J's native start-up (once per JVM, before the first row; no load
 * included); {@code first_ms}, the row's first load (the classes' first use: loading, linking,
 * the interpreter); {@code second_ms}, the next one (still mostly interpreted); and
 * {@code warm_median_ms}, the median of the second half of the loads repeated for {@code seconds}
 * (at least 4, at most 400): what a JVM that has loaded models before pays, once the JIT has
 * compiled the loading code. Earlier versions reported the median of loads 2 to 6 as "warm",
 * which on LeNet-5 was the interpreter's figure (hundreds of milliseconds), not the steady one.
 */
public final class LoadTime {
  private LoadTime() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    List<String> wanted = Arrays.asList(args[1].split(","));
    double seconds = Double.parseDouble(args[2]);
    long i0 = System.nanoTime();
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Nd4j.create(new float[] {1f}).addi(1f);
    double nd4jInit = (System.nanoTime() - i0) / 1e6;
    for (JsonNode row : new ObjectMapper().readTree(Path.of(args[0]).toFile())) {
      String name = row.get("name").asText();
      if (!wanted.contains(name)) {
        continue;
      }
      Path file = Path.of(row.hasNonNull("sequent_file") ? row.get("sequent_file").asText()
          : row.get("sequent_weights").asText());
      nd4jInit = time(name, file, () -> BenchRow.load(row), seconds, nd4jInit);
      if (row.hasNonNull("keras3")) {
        // the same model as Keras 3 wrote it, against keras.models.load_model (bench/extras.py)
        Path keras = Path.of(row.get("keras3").asText());
        nd4jInit = time(name + "_keras", keras, () -> Network.load(keras), seconds, nd4jInit);
      }
    }
  }

  /** Times {@code load} as the class comment says and prints one JSON object; returns 0 (ND4J starts once). */
  private static double time(String name, Path file, java.util.concurrent.Callable<Network> load, double seconds,
      double nd4jInit) throws Exception {
    List<Double> times = new ArrayList<>();
    long start = System.nanoTime();
    while (times.size() < 4 || (times.size() < 400 && System.nanoTime() - start < seconds * 1e9)) {
      long t = System.nanoTime();
      load.call();
      times.add((System.nanoTime() - t) / 1e6);
    }
    List<Double> steady = new ArrayList<>(times.subList(times.size() / 2, times.size()));
    steady.sort(null);
    System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"file\": \"%s\", \"file_mb\": %.1f, "
            + "\"nd4j_init_ms\": %.1f, \"first_ms\": %.1f, \"second_ms\": %.1f, \"warm_median_ms\": %.2f, "
            + "\"loads\": %d, \"rss_mb\": %.0f}%n", name, file.getFileName(), Files.size(file) / 1048576.0,
        nd4jInit, times.get(0), times.get(1), steady.get(steady.size() / 2), times.size(), rssMb());
    return 0;
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
