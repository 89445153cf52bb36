package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory of a forward pass, without a server around it (bench/extras serve): after a warm-up
 * pass and a full GC, the resident set is noted and the kernel's peak counter reset
 * ({@code /proc/self/clear_refs}, 5), then {@code forwards} passes run at {@code batch}; printed
 * (one JSON object): the resident set before, the peak during the passes and the resident set
 * after, in MB, with and without a {@code System.gc()} between passes (what the garbage collector
 * holds back: op-internal ND4J arrays are freed when their Java objects are collected).
 * bench/extras.py runs PyTorch's side the same way. Arguments: {@code models.json model batch forwards}.
 */
public final class ForwardMemory {
  private ForwardMemory() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    JsonNode row = BenchRow.find(Path.of(args[0]), args[1]);
    Network net = BenchRow.load(row);
    int batch = Integer.parseInt(args[2]);
    int forwards = Integer.parseInt(args[3]);
    INDArray x = Nd4j.rand(DataType.FLOAT, net.inputShape().withBatch(batch));
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "{\"model\": \"%s\", \"batch\": %d, \"forwards\": %d",
        args[1], batch, forwards));
    for (boolean gcBetween : new boolean[] {false, true}) {
      net.forward(x).close();
      System.gc();
      Thread.sleep(300);
      double before = LoadTime.rssMb();
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      for (int i = 0; i < forwards; i++) {
        net.forward(x).close();
        if (gcBetween) {
          System.gc();
        }
      }
      String key = gcBetween ? "gc_between" : "plain";
      out.append(String.format(Locale.ROOT, ", \"%s\": {\"rss_before_mb\": %.1f, \"peak_mb\": %.1f, \"rss_after_mb\": %.1f}",
          key, before, field("VmHWM"), LoadTime.rssMb()));
    }
    System.out.println(out.append("}"));
  }

  private static double field(String name) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
