package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput of one {@link Network} shared by 1, 2 and 4 concurrent callers (each on its own
 * input), for {@code bench/scaling}: prints {@code model batch callers forwards_per_s} lines on
 * stderr and stdout. The intra-op thread count is the JVM's OMP_NUM_THREADS.
 * Arguments: {@code models.json model batch seconds callers,... [intra,... [rounds]]}.
 *
 * <p>With the optional intra-op list, every caller count is measured once per intra-op thread
 * count ({@code Environment.setMaxThreads}, which also sets how many chunks the plain-Java pass
 * splits a batch into), interleaved, {@code rounds} times: a comparison of the settings within
 * one JVM and one stretch of the machine's load, printed as {@code model batch intra callers
 * forwards_per_s}. OpenMP's own team size stays OMP_NUM_THREADS's.
 */
public final class ThreadScaling {
  private ThreadScaling() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    JsonNode row = BenchRow.find(Path.of(args[0]), args[1]);
    int batch = Integer.parseInt(args[2]);
    long millis = Long.parseLong(args[3]) * 1000;
    long[] shape = BenchRow.batchShape(BenchRow.sample(row), batch);
    Network net = BenchRow.load(row);
    if (args.length > 5) {
      int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 1;
      var env = Nd4j.getEnvironment();
      for (int round = 0; round < rounds; round++) {
        for (String c : args[4].split(",")) {
          for (String intra : args[5].split(",")) {
            env.setMaxThreads(Integer.parseInt(intra));
            String line = String.format(Locale.ROOT, "%s %d %s %s %.1f", args[1], batch, intra, c,
                forwardsPerSecond(net, shape, Integer.parseInt(c), millis));
            System.err.println(line);
            System.out.println(line);
          }
        }
      }
      return;
    }
    for (String c : args[4].split(",")) {
      int callers = Integer.parseInt(c);
      double perSecond = forwardsPerSecond(net, shape, callers, millis);
      String line = String.format(Locale.ROOT, "%s %d %d %.1f", args[1], batch, callers, perSecond);
      System.err.println(line);
      System.out.println(line);
    }
  }

  private static double forwardsPerSecond(Network net, long[] shape, int callers, long millis) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    List<Future<Long>> counts = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      INDArray x = Nd4j.rand(DataType.FLOAT, shape);
      counts.add(pool.submit(() -> {
        long n = 0;
        while (!stop.get()) {
          net.forward(x);
          if (measuring.get()) {
            n++;
          }
        }
        return n;
      }));
    }
    Thread.sleep(millis / 3); // warm-up
    measuring.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    measuring.set(false);
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    long total = 0;
    for (Future<Long> f : counts) {
      total += f.get();
    }
    pool.shutdown();
    return total / seconds;
  }
}
