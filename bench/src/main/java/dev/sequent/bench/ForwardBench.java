package dev.sequent.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.LogLevels;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The JVM side of {@code bench/run}: Sequent, ONNX Runtime Java (on the real {@code torch.onnx}
 * export of the same PyTorch model) and Deeplearning4j ({@code KerasModelImport} of the same Keras
 * file, on the same ND4J) in one JVM, with the same intra-op thread count.
 *
 * <p>Rigour without JMH's one-fork-per-case: {@code bench/run} starts this JVM several times
 * (forks), and within a fork every case runs its systems in interleaved rounds (A, B, C, A, B, C,
 * ...), each round warming up before it measures, so a burst of load from another process lands on
 * every system of the case rather than on whichever ran then. Each call is timed on its own; the
 * fork reports the median and the 90th percentile of each system's pooled calls.
 *
 * <p>Arguments: {@code models.json out.json warmupMillis measureMillis rounds threads batch,...}.
 * Results go to {@code out.json}; progress to stderr; nothing to stdout.
 */
public final class ForwardBench {
  private static final PrintStream LOG = System.err;

  private ForwardBench() {}

  /** One system's forward pass on one prepared batch. */
  private interface Case extends AutoCloseable {
    Object run() throws Exception;

    @Override
    default void close() throws Exception {}
  }

  public static void main(String[] args) throws Exception {
    // Sequent's log defaults (stderr, WARN) before anything touches ND4J: this harness calls ND4J
    // itself before the first Network, and jhdf's bundled simplelogger.properties would otherwise
    // send ND4J's start-up banner to stdout. Nothing here writes stdout; whatever a library prints
    // there goes to stderr too, so bench/run's table stays whole.
    LogLevels.setDefaults();
    System.setOut(System.err);
    ObjectMapper json = new ObjectMapper();
    JsonNode models = json.readTree(Path.of(args[0]).toFile());
    Path out = Path.of(args[1]);
    long warmup = Long.parseLong(args[2]);
    long measure = Long.parseLong(args[3]);
    int rounds = Integer.parseInt(args[4]);
    int threads = Integer.parseInt(args[5]);
    int[] batches = Arrays.stream(args[6].split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> only = args.length > 7 && !args[7].isBlank() ? List.of(args[7].split(",")) : List.of();

    // OMP_NUM_THREADS is set by bench/run before the JVM starts (OpenMP reads it once); this makes
    // ND4J's own thread pools agree.
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    OrtEnvironment ort = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions ortOptions = new OrtSession.SessionOptions();
    ortOptions.setIntraOpNumThreads(threads);
    ortOptions.setInterOpNumThreads(1);
    ortOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // ORT's own thread pool spins between ops unless told not to: the same choice as the
    // OMP_WAIT_POLICY that bench/run gives the OpenMP users (ND4J, PyTorch)
    boolean passive = "PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
    ortOptions.addConfigEntry("session.intra_op.allow_spinning", passive ? "0" : "1");

    ArrayNode results = json.createArrayNode();
    for (JsonNode row : models) {
      String name = row.get("name").asText();
      if (!only.isEmpty() && !only.contains(name)) {
        continue;
      }
      int[] sample = ints(row.get("input"));
      Network sequent = BenchRow.load(row);
      OrtSession session = ort.createSession(row.get("onnx").asText(), ortOptions);
      MultiLayerNetwork dl4j = null;
      String dl4jMissing = null;
      if (row.hasNonNull("keras2_h5")) {
        try {
          dl4j = KerasModelImport.importKerasSequentialModelAndWeights(row.get("keras2_h5").asText(), false);
        } catch (Exception e) {
          dl4jMissing = "KerasModelImport failed: " + e;
        }
      } else {
        dl4jMissing = row.path("keras_missing").asText("no Keras file");
      }
      for (int batch : batches) {
        Map<String, Supplier<Case>> cases = new LinkedHashMap<>();
        float[] values = random(batch * product(sample), 42 + batch);
        INDArray x = Nd4j.create(values, prepend(batch, sample));
        cases.put("sequent", () -> () -> sequent.forward(x));
        OnnxTensor ortInput = OnnxTensor.createTensor(ort, FloatBuffer.wrap(values), prepend(batch, sample));
        cases.put("onnxruntime-java", () -> () -> {
          try (OrtSession.Result r = session.run(Map.of("input", ortInput))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer();
          }
        });
        if (dl4j != null) {
          MultiLayerNetwork net = dl4j;
          INDArray kx = Nd4j.create(random(batch * product(sample), 7 + batch), prepend(batch, ints(row.get("keras_input"))));
          cases.put("dl4j-keras-import", () -> () -> net.output(kx, false));
        }
        String check = agreement(sequent.forward(x), session, ortInput);
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, Timing> warmups = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
          for (Map.Entry<String, Supplier<Case>> e : cases.entrySet()) {
            if (failed.containsKey(e.getKey())) {
              continue;
            }
            try (Case c = e.getValue().get()) {
              Timing t = time(c, r == 0 ? warmup : warmup / 4, r == 0 ? WARMUP_MIN_CALLS : WARMUP_MIN_CALLS / 4,
                  r == 0, measure / rounds);
              samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(t.samples());
              if (r == 0) {
                warmups.put(e.getKey(), t);
              }
            } catch (Exception | Error ex) {
              failed.put(e.getKey(), ex.toString());
            }
          }
        }
        ortInput.close();
        for (Map.Entry<String, List<Long>> e : samples.entrySet()) {
          long[] sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
          ObjectNode o = results.addObject();
          o.put("model", name).put("batch", batch).put("system", e.getKey())
              .put("median_ms", sorted[sorted.length / 2] / 1e6)
              .put("p90_ms", sorted[(int) Math.min(sorted.length - 1, sorted.length * 9L / 10)] / 1e6)
              .put("calls", sorted.length);
          Timing w = warmups.get(e.getKey());
          if (w != null) {
            o.put("warmup_ms", w.warmupNanos() / 1e6).put("warmup_calls", w.warmupCalls());
          }
          if (e.getKey().equals("onnxruntime-java")) {
            o.put("max_abs_diff_vs_sequent", check);
          }
          LOG.printf("%-12s b=%-3d %-18s median %.4f ms  p90 %.4f ms  (%d calls)%n", name, batch, e.getKey(),
              o.get("median_ms").asDouble(), o.get("p90_ms").asDouble(), sorted.length);
        }
        for (Map.Entry<String, String> e : failed.entrySet()) {
          results.addObject().put("model", name).put("batch", batch).put("system", e.getKey()).put("error", e.getValue());
        }
        if (dl4jMissing != null) {
          results.addObject().put("model", name).put("batch", batch).put("system", "dl4j-keras-import")
              .put("missing", dl4jMissing);
        }
      }
      session.close();
    }
    Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(results));
  }

  /** The largest |Sequent - ORT| on the batch: both run the same PyTorch weights. */
  private static String agreement(INDArray sequent, OrtSession session, OnnxTensor input) throws Exception {
    try (OrtSession.Result r = session.run(Map.of("input", input))) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] s = sequent.dup('c').data().asFloat();
      double max = 0;
      for (int i = 0; i < s.length; i++) {
        max = Math.max(max, Math.abs(s[i] - b.get(i)));
      }
      return String.format(java.util.Locale.ROOT, "%.3g", max);
    }
  }

  /**
   * Warm-up calls a case makes whatever {@code warmupMillis} says (py_forward.py has the same):
   * the JIT compiles a method after thousands of calls or loop iterations, and ResNet-18 64x64 at
   * batch 8 (40 ms a call) made 7 calls in 300 ms and measured 61-67 ms, against 38-42 ms after
   * 3 s. Up to {@link #WARMUP_CAP_MILLIS}, so a second-long call does not hold the run.
   */
  static final int WARMUP_MIN_CALLS = 20;
  static final long WARMUP_CAP_MILLIS = 5_000;

  /**
   * The steady-state rule of a case's first round, after the fixed warm-up: windows of at least
   * {@link #STEADY_WINDOW_MILLIS} and {@link #STEADY_WINDOW_CALLS} calls until
   * {@link #STEADY_WINDOWS} in a row fail to beat the best window's median by
   * {@link #STEADY_GAIN} while the JIT spent less than that share of the window compiling
   * ({@code CompilationMXBean}), up to {@link #WARMUP_CAP_MILLIS} in all. A fixed 300 ms was too short for
   * the JIT: ResNet-18 64x64 at batch 1, 4th row of the fork, read 8.0, 6.9, 5.1, 3.9, 3.1 ms in
   * successive 200 ms windows after it (ONNX Runtime 3.0-3.8 throughout), and its quick-run median
   * 5.8-6.4 ms against 2.9-3.2 at steady state. The time and calls each system took are in the
   * JSON ({@code warmup_ms}, {@code warmup_calls}): the JVM's warm-up is a cost a user sees.
   */
  static final long STEADY_WINDOW_MILLIS = 100;
  static final int STEADY_WINDOW_CALLS = 10;
  static final int STEADY_WINDOWS = 2;
  static final double STEADY_GAIN = 0.05;

  /** A case's timed calls, and the warm-up before them. */
  record Timing(List<Long> samples, long warmupNanos, int warmupCalls) {}

  /**
   * Warms up for {@code warmupMillis} and at least {@code minCalls} calls (at most
   * {@link #WARMUP_CAP_MILLIS} for those), then, where {@code untilSteady}, by the steady-state rule
   * above; then times single calls for {@code measureMillis} (at least 5).
   */
  private static Timing time(Case c, long warmupMillis, int minCalls, boolean untilSteady, long measureMillis)
      throws Exception {
    long start = System.nanoTime();
    long end = start + warmupMillis * 1_000_000L;
    long cap = start + Math.max(warmupMillis, WARMUP_CAP_MILLIS) * 1_000_000L;
    Object sink = null;
    int calls = 0;
    do {
      sink = c.run();
      calls++;
    } while (System.nanoTime() < end || (calls < minCalls && System.nanoTime() < cap));
    if (untilSteady) {
      double best = Double.MAX_VALUE;
      int flat = 0;
      List<Long> window = new ArrayList<>();
      java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
      while (flat < STEADY_WINDOWS && System.nanoTime() < cap) {
        window.clear();
        long compiledBefore = jit.getTotalCompilationTime();
        long windowEnd = System.nanoTime() + STEADY_WINDOW_MILLIS * 1_000_000L;
        while (System.nanoTime() < windowEnd || window.size() < STEADY_WINDOW_CALLS) {
          long t0 = System.nanoTime();
          sink = c.run();
          window.add(System.nanoTime() - t0);
        }
        calls += window.size();
        window.sort(null);
        double median = window.get(window.size() / 2);
        // still compiling: the JIT's threads take the cores the pass runs on (2 here), so a window
        // can look flat while the code it times is about to change
        boolean compiling = jit.getTotalCompilationTime() - compiledBefore > STEADY_WINDOW_MILLIS * STEADY_GAIN;
        flat = compiling || median < best * (1 - STEADY_GAIN) ? 0 : flat + 1;
        best = Math.min(best, median);
      }
    }
    long warmupNanos = System.nanoTime() - start;
    List<Long> samples = new ArrayList<>();
    end = System.nanoTime() + measureMillis * 1_000_000L;
    while (System.nanoTime() < end || samples.size() < 5) {
      long t0 = System.nanoTime();
      sink = c.run();
      samples.add(System.nanoTime() - t0);
    }
    if (sink == null) {
      throw new IllegalStateException("no output");
    }
    return new Timing(samples, warmupNanos, calls);
  }

  private static int[] ints(JsonNode a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asInt();
    }
    return v;
  }

  private static long[] prepend(int batch, int[] sample) {
    long[] s = new long[sample.length + 1];
    s[0] = batch;
    for (int i = 0; i < sample.length; i++) {
      s[i + 1] = sample[i];
    }
    return s;
  }

  private static int product(int[] a) {
    int p = 1;
    for (int v : a) {
      p *= v;
    }
    return p;
  }

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat();
    }
    return v;
  }
}
