package dev.sequent.bench;

import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.io.LogLevels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense product's kernels side by side: {@link JavaKernels#active()}'s {@code dense} (one
 * thread) on a kernel packed once ({@link JavaKernels#pack}, as the layers bind theirs) and on the
 * plain layout (packed per call), and {@code Nd4j.gemm} (OpenBLAS, the intra-op threads), on the products the plan's
 * layers make (rows x in x units): the MLP's, the Transformer's and the LSTM's, and convolutions
 * as im2col products. Interleaved per shape (Java, ND4J, Java, ...), each warmed up, medians of
 * single calls, GF/s as 2 * rows * in * units / time; the Java result is checked against the
 * scalar kernel. Not a test; a measurement for docs/benchmarks.md.
 * Arguments: {@code [millis per shape and system] [threads] [rows x in x units ...]}.
 */
public final class DenseKernels {
  private DenseKernels() {}

  private static final String[] SHAPES = {
    "1x784x128", "8x784x128", "32x784x128", "32x64x192", "256x64x192", "1024x64x192", "1024x64x128",
    "1024x128x64", "8x64x512", "32x128x512", "256x150x16", "3136x576x64", "196x2304x256", "49x4608x512",
  };

  public static void main(String[] args) {
    LogLevels.setDefaults();
    long millis = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    List<String> shapes = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : Arrays.asList(SHAPES);
    JavaKernels java = JavaKernels.active();
    System.out.printf("kernels: %s; ND4J gemm with %d threads%n", java.description(), threads);
    System.out.println("| rows x in x units | Java ms | Java GF/s | Java, plain layout ms | ND4J gemm ms | ND4J GF/s | Java / ND4J | max abs diff vs scalar |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    Random random = new Random(1);
    for (String s : shapes) {
      String[] d = s.split("x");
      int rows = Integer.parseInt(d[0]);
      int in = Integer.parseInt(d[1]);
      int units = Integer.parseInt(d[2]);
      float[] x = values(random, rows * in);
      float[] w = values(random, in * units);
      float[] bias = values(random, units);
      float[] y = new float[rows * units];
      float[] ref = new float[rows * units];
      JavaKernels.scalar().dense(x, rows, in, w, bias, units, ref);
      INDArray xa = Nd4j.createFromArray(x).reshape('c', rows, in);
      INDArray wa = Nd4j.createFromArray(w).reshape('c', in, units);
      INDArray ya = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, units}, 'c');
      JavaKernels.PackedKernel packed = java.pack(w, in, units);
      Runnable javaCall = () -> java.dense(x, rows, packed, bias, y);
      Runnable plainCall = () -> java.dense(x, rows, in, w, bias, units, y);
      Runnable nd4jCall = () -> Nd4j.gemm(xa, wa, ya, false, false, 1.0, 0.0);
      List<Long> javaTimes = new ArrayList<>();
      List<Long> nd4jTimes = new ArrayList<>();
      List<Long> plainTimes = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        time(javaCall, millis / 4, null);
        time(javaCall, millis / 2, javaTimes);
        time(plainCall, millis / 4, null);
        time(plainCall, millis / 2, plainTimes);
        time(nd4jCall, millis / 4, null);
        time(nd4jCall, millis / 2, nd4jTimes);
      }
      javaCall.run();
      double diff = 0;
      for (int i = 0; i < y.length; i++) {
        diff = Math.max(diff, Math.abs(y[i] - ref[i]));
      }
      double flops = 2.0 * rows * in * units;
      double jm = median(javaTimes) / 1e6;
      double nm = median(nd4jTimes) / 1e6;
      System.out.printf("| %s | %.4f | %.1f | %.4f | %.4f | %.1f | %.2f | %.1e |%n", s, jm, flops / jm / 1e6,
          median(plainTimes) / 1e6, nm,
          flops / nm / 1e6, jm / nm, diff);
    }
  }

  private static float[] values(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian() * 0.1f;
    }
    return v;
  }

  private static void time(Runnable call, long millis, List<Long> into) {
    long end = System.nanoTime() + millis * 1_000_000L;
    int calls = 0;
    while (calls < 5 || System.nanoTime() < end) {
      long t = System.nanoTime();
      call.run();
      long dt = System.nanoTime() - t;
      if (into != null) {
        into.add(dt);
      }
      calls++;
    }
  }

  private static double median(List<Long> times) {
    long[] t = times.stream().mapToLong(Long::longValue).sorted().toArray();
    return t[t.length / 2];
  }
}
