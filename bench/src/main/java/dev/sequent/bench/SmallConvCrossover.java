package dev.sequent.bench;

import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.io.LogLevels;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the plain-Java convolution ({@link SmallKernels#conv}, this JVM's {@link JavaKernels}) stops
 * beating ND4J's (oneDNN), for the small models' convolutions in NCHW: per batch, the median time
 * of the Java kernel with the batch split in two halves over two threads (as the plain-Java pass
 * splits it over the intra-op threads) and of one {@code Nd4j.cnn().conv2d} call with two intra-op
 * threads, and the multiply-adds of the call. Chooses {@link SmallKernels#CONV_LIMIT_SIMD}.
 * Prints one line per convolution and batch on stdout. Arguments: {@code batches millisPerCase}.
 */
public final class SmallConvCrossover {
  private SmallConvCrossover() {}

  record Conv(String name, int cin, int cout, int k, int pad, int hw) {}

  static final List<Conv> CONVS = List.of(
      new Conv("lenet5 conv1 5x5 1->6 pad 2 @28", 1, 6, 5, 2, 28),
      new Conv("lenet5 conv2 5x5 6->16 @14", 6, 16, 5, 0, 14),
      new Conv("cnn conv1 3x3 1->32 @28", 1, 32, 3, 0, 28),
      new Conv("3x3 16->32 pad 1 @28", 16, 32, 3, 1, 28),
      new Conv("3x3 32->64 pad 1 @14", 32, 64, 3, 1, 14));

  public static void main(String[] args) throws Exception {
    LogLevels.setDefaults();
    int[] batches = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    long millis = Long.parseLong(args[1]);
    Nd4j.getEnvironment().setMaxThreads(2);
    System.out.println("kernels: " + JavaKernels.active().description());
    for (Conv c : CONVS) {
      int out = c.hw + 2 * c.pad - c.k + 1;
      INDArray w = Nd4j.rand(DataType.FLOAT, c.cout, c.cin, c.k, c.k);
      INDArray b = Nd4j.rand(DataType.FLOAT, c.cout);
      SmallKernels.ConvWeights weights = SmallKernels.ConvWeights.ofOihw(w.dup('c').data().asFloat(), c.cout, c.cin,
          c.k, c.k, b.data().asFloat());
      SmallKernels.Window g = new SmallKernels.Window(c.hw, c.hw, c.k, c.k, 1, 1, 1, 1, c.pad, c.pad, out, out);
      Conv2DConfig config = Conv2DConfig.builder().kH(c.k).kW(c.k).sH(1).sW(1).dH(1).dW(1).pH(c.pad).pW(c.pad)
          .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
      for (int n : batches) {
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c.cin, c.hw, c.hw);
        float[] xs = x.data().asFloat();
        int half = n / 2;
        int inPer = c.cin * c.hw * c.hw;
        int outPer = c.cout * out * out;
        float[] x0 = Arrays.copyOfRange(xs, 0, half * inPer);
        float[] x1 = Arrays.copyOfRange(xs, half * inPer, n * inPer);
        double java = time(millis, () -> {
          if (half == 0) {
            SmallKernels.conv(x1, n, g, true, weights, new float[n * outPer]);
            return;
          }
          Future<?> other = ForkJoinPool.commonPool().submit(
              () -> SmallKernels.conv(x0, half, g, true, weights, new float[half * outPer]));
          SmallKernels.conv(x1, n - half, g, true, weights, new float[(n - half) * outPer]);
          try {
            other.get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        double nd4j = time(millis, () -> Nd4j.cnn().conv2d(x, w, b, config).close());
        long macs = (long) n * outPer * c.cin * c.k * c.k;
        System.out.printf(Locale.ROOT, "%-36s n=%-3d MACs=%9d java %8.3f ms  oneDNN %8.3f ms  java/oneDNN %.2f%n",
            c.name, n, macs, java, nd4j, java / nd4j);
      }
    }
  }

  /** The median of call times over about {@code millis} ms, after as long again of warm-up. */
  private static double time(long millis, Runnable call) {
    long warm = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < warm) {
      call.run();
    }
    double[] t = new double[100_000];
    int count = 0;
    long end = System.nanoTime() + millis * 1_000_000L;
    while (count < t.length && System.nanoTime() < end) {
      long s = System.nanoTime();
      call.run();
      t[count++] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t, 0, count);
    return t[count / 2];
  }
}
