package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import dev.sequent.serve.BatchingPredictor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows per second of one {@link Network}'s forward pass, the same loop run from different threads
 * of one JVM, for the question of docs/benchmarks.md's "Which thread calls forward": why a plain
 * loop on the main thread ran ten times slower than the same calls made by a
 * {@link BatchingPredictor}'s worker (docs/spark.md). Each letter of {@code order} is one loop
 * over {@code rows} random rows in batches of {@code batch}, run by:
 *
 * <ul>
 *   <li>{@code m}: the main thread (which loaded the network, so made ND4J's first OpenMP team);
 *   <li>{@code t}: a new thread, which ends after its loop;
 *   <li>{@code w}: one worker thread that lives for the whole run (an executor's);
 *   <li>{@code p}: a {@code BatchingPredictor} with one instance, the main thread submitting.
 * </ul>
 *
 * Prints one line per loop (the letter, rows/s, the process's thread count). Arguments:
 * {@code models.json model batch rows order}, e.g. {@code lenet5 64 3200 mtmwmpm}.
 */
public final class CallerThreads {
  private CallerThreads() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    JsonNode row = BenchRow.find(Path.of(args[0]), args[1]);
    Network net = BenchRow.load(row);
    int batch = Integer.parseInt(args[2]);
    int rows = Integer.parseInt(args[3]);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      for (char c : args[4].toCharArray()) {
        double perSecond = switch (c) {
          case 'm' -> loop(net, batch, rows, null);
          case 't' -> {
            double[] result = new double[1];
            Thread t = new Thread(() -> result[0] = loop(net, batch, rows, null));
            t.start();
            t.join();
            yield result[0];
          }
          case 'w' -> worker.submit(() -> loop(net, batch, rows, null)).get();
          case 'p' -> {
            try (BatchingPredictor predictor = BatchingPredictor.builder(net).maxBatch(batch).instances(1).build()) {
              yield loop(net, batch, rows, predictor);
            }
          }
          default -> throw new IllegalArgumentException("order letters are m, t, w, p; not " + c);
        };
        String line = String.format(Locale.ROOT, "%s %.0f rows/s, %d threads", c, perSecond,
            Thread.getAllStackTraces().size());
        System.out.println(line);
      }
    } finally {
      worker.shutdown();
    }
  }

  /** Rows per second of {@code rows} random rows in batches, by {@code predictor} or directly. */
  private static double loop(Network net, int batch, int rows, BatchingPredictor predictor) {
    int size = Math.toIntExact(net.inputShape().size());
    float[] buffer = new float[batch * size];
    Random random = new Random(1);
    long t0 = System.nanoTime();
    for (int done = 0; done < rows; done += batch) {
      for (int i = 0; i < buffer.length; i++) {
        buffer[i] = random.nextFloat();
      }
      INDArray x = Nd4j.create(buffer, net.inputShape().withBatch(batch), 'c');
      if (predictor != null) {
        predictor.predict(x);
      } else {
        net.forward(x);
      }
    }
    return rows / ((System.nanoTime() - t0) / 1e9);
  }
}
