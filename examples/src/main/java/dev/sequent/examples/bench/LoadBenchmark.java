package dev.sequent.examples.bench;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sequent's side of the load benchmark ({@code examples/bench/load.sh}): reads {@code large.pt}
 * and {@code large.safetensors} (written by real PyTorch and safetensors) into float32 tensors
 * with {@link WeightFiles#read}, warm page cache, sums every value once and prints {@code case median_ms min_ms} per
 * file, as {@code torch_load.py} does for the peers.
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    time("pt", dir.resolve("large.pt"), runs);
    time("safetensors", dir.resolve("large.safetensors"), runs);
  }

  private static void time(String name, Path file, int runs) {
    touch(WeightFiles.read(file)); // warm-up: page cache, JIT, class loading
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      WeightFile read = WeightFiles.read(file);
      touch(read);
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(millis);
    System.out.printf(Locale.ROOT, "%s %.1f %.1f%n", name, millis[runs / 2], millis[0]);
  }

  /** Sums every value, as the Python side does, so nothing is left lazy on either side. */
  private static double touch(WeightFile file) {
    double sum = 0;
    for (NamedTensor t : file.tensors().values()) {
      for (float v : t.data()) {
        sum += v;
      }
    }
    return sum;
  }
}
