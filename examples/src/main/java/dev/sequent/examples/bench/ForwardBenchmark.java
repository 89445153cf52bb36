package dev.sequent.examples.bench;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A warmed-up harness timing Sequent's forward pass for LeNet-5 and the MLP at batch 1 and 32.
 * {@code examples/bench/run.sh} runs it beside the same measurement in real PyTorch, with the
 * same thread count, and reports the ratios. Prints one line per case:
 * {@code model batch median_us p10_us p90_us}.
 */
public final class ForwardBenchmark {
  private ForwardBenchmark() {}

  public static void main(String[] args) {
    Path fixtures = Path.of(args.length > 0 ? args[0] : "fixtures").resolve("reference");
    long budgetMillis = args.length > 1 ? Long.parseLong(args[1]) : 3000;
    Network lenet = Network.load(fixtures.resolve("lenet5/torch_model.pt"), Shape.of(1, 28, 28));
    Network mlp = Network.load(fixtures.resolve("mlp/torch_model.pt"));
    for (int batch : new int[] {1, 32}) {
      run("lenet5", lenet, Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28), budgetMillis);
      run("mlp", mlp, Nd4j.rand(DataType.FLOAT, batch, 784), budgetMillis);
    }
  }

  private static void run(String name, Network net, INDArray x, long budgetMillis) {
    long warmupEnd = System.nanoTime() + budgetMillis * 1_000_000L / 2;
    while (System.nanoTime() < warmupEnd) {
      net.forward(x);
    }
    long[] samples = new long[200_000];
    int n = 0;
    long end = System.nanoTime() + budgetMillis * 1_000_000L;
    while (System.nanoTime() < end && n < samples.length) {
      long t0 = System.nanoTime();
      net.forward(x);
      samples[n++] = System.nanoTime() - t0;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%s %d %.1f %.1f %.1f%n", name, x.size(0), sorted[n / 2] / 1e3,
        sorted[n / 10] / 1e3, sorted[n * 9 / 10] / 1e3);
  }
}
