package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.LayerTimes;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One row's per-layer times inside its forward passes ({@link LayerTimes}), as a markdown table on
 * stdout: each layer's thread milliseconds per call, sorted by the plan's order, with its share of
 * the layers' total, and the pass's median beside the sum. Warm-up as {@code bench/run}'s: at least
 * 20 calls and 300 ms ({@link ForwardBench}'s rule), then {@code seconds} of timed calls.
 * Arguments: {@code models.json model batch seconds}.
 */
public final class ForwardLayers {
  private ForwardLayers() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    JsonNode row = BenchRow.find(Path.of(args[0]), args[1]);
    int batch = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    Network net = BenchRow.load(row);
    INDArray x = Nd4j.rand(DataType.FLOAT, BenchRow.batchShape(BenchRow.sample(row), batch));
    LayerTimes times = new LayerTimes(net);
    long warmEnd = System.nanoTime() + 300_000_000L;
    for (int i = 0; i < 20 || System.nanoTime() < warmEnd; i++) {
      times.forward(x);
    }
    times.reset();
    long[] pass = new long[1 << 16];
    int calls = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while ((calls < 5 || System.nanoTime() < end) && calls < pass.length) {
      long start = System.nanoTime();
      times.forward(x);
      pass[calls++] = System.nanoTime() - start;
    }
    long[] sorted = Arrays.copyOf(pass, calls);
    Arrays.sort(sorted);
    long sum = 0;
    for (int i = 0; i < times.size(); i++) {
      sum += times.nanos(i);
    }
    System.out.printf("%s batch %d: %d calls, pass median %.3f ms, mean %.3f ms; layers' thread time %.3f ms a call%n%n",
        args[1], batch, calls, sorted[calls / 2] / 1e6, Arrays.stream(sorted).average().orElse(0) / 1e6,
        sum / 1e6 / calls);
    System.out.println("| # | layer | kind | ms a call | share | plain Java up to batch |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < times.size(); i++) {
      double ms = times.nanos(i) / 1e6 / calls;
      if (ms < 0.0005) {
        continue; // folded into a neighbour, or a view
      }
      System.out.printf("| %d | %s | %s | %.4f | %.1f %% | %d |%n", i, times.name(i), times.kind(i), ms,
          100.0 * times.nanos(i) / Math.max(1, sum), times.javaMaxBatch(i));
    }
  }
}
