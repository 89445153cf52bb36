package dev.sequent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs one row's Sequent forward pass in a loop for a while, for a profiler to watch
 * ({@code bench/profile} runs it under JFR and prints the hottest frames).
 * Only the loop is recorded (JFR's {@code profile} settings, through {@code jdk.jfr.Recording}, the
 * API behind {@code -XX:StartFlightRecording}): loading and warm-up are not the forward pass.
 * Arguments: {@code models.json model batch seconds out.jfr}.
 */
public final class ProfileForward {
  private ProfileForward() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    JsonNode row = BenchRow.find(Path.of(args[0]), args[1]);
    int batch = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    Network net = BenchRow.load(row);
    long[] shape = BenchRow.batchShape(BenchRow.sample(row), batch);
    INDArray x = Nd4j.rand(DataType.FLOAT, shape);
    for (int i = 0; i < 3; i++) {
      net.forward(x); // warm-up outside the recording: loading and the JIT's first compiles are not the pass
    }
    // Starting a recording deoptimises compiled code (the profile settings retransform classes),
    // and Vector API code runs boxed in C1 until C2 compiles it again, 5-10x slower: a recording
    // that is thrown away, with a few seconds of calls, takes that hit, so the measured one starts
    // on C2's code.
    try (Recording discarded = new Recording(Configuration.getConfiguration("profile"))) {
      discarded.start();
      long end = System.nanoTime() + Math.min(5, Math.max(1, seconds / 2)) * 1_000_000_000L;
      while (System.nanoTime() < end) {
        net.forward(x);
      }
      discarded.stop();
    }
    long calls = 0;
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.start();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        net.forward(x);
        calls++;
      }
      recording.stop();
      recording.dump(Path.of(args[4]));
    }
    System.err.printf("%s batch %d: %d calls in %d s, %.3f ms each%n", args[1], batch, calls, seconds,
        seconds * 1e3 / calls);
  }
}
