package dev.sequent.bench;

import dev.sequent.runtime.io.LogLevels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ND4J's convolution kernels (oneDNN in this build) cost per layout, for the convolutions of
 * ResNet-18 and MobileNetV2 at 224x224: {@code conv2d} with NCHW input and OIHW weights (what a
 * PyTorch model binds to), NHWC with HWIO (a Keras model), NHWC with OHWI, and NCHW with HWIO; the
 * depthwise kernel in NCHW and NHWC; and what turning an activation NCHW to NHWC costs (a
 * {@code permute} and a copy, what a layer would pay to change layout). Every kernel gets arrays
 * made once (weights in the layout asked for, contiguous), warmed up, then timed call by call.
 * Prints one JSON object per line on stdout: {@code bench/layouts} collects them.
 * Arguments: {@code batches millisPerCase}.
 */
public final class ConvLayouts {
  private ConvLayouts() {}

  /** One convolution: channels, kernel, stride, padding and the input's height (= width). */
  record Conv(String net, String name, int cin, int cout, int k, int stride, int pad, int hw, boolean depthwise) {}

  static final List<Conv> CONVS = List.of(
      new Conv("resnet18", "conv1 7x7/2 3->64 @224", 3, 64, 7, 2, 3, 224, false),
      new Conv("resnet18", "layer1 3x3 64->64 @56", 64, 64, 3, 1, 1, 56, false),
      new Conv("resnet18", "layer2.0 3x3/2 64->128 @56", 64, 128, 3, 2, 1, 56, false),
      new Conv("resnet18", "layer2 3x3 128->128 @28", 128, 128, 3, 1, 1, 28, false),
      new Conv("resnet18", "layer2.0 down 1x1/2 64->128 @56", 64, 128, 1, 2, 0, 56, false),
      new Conv("resnet18", "layer3 3x3 256->256 @14", 256, 256, 3, 1, 1, 14, false),
      new Conv("resnet18", "layer4 3x3 512->512 @7", 512, 512, 3, 1, 1, 7, false),
      new Conv("mobilenetv2", "stem 3x3/2 3->32 @224", 3, 32, 3, 2, 1, 224, false),
      new Conv("mobilenetv2", "expand 1x1 24->144 @56", 24, 144, 1, 1, 0, 56, false),
      new Conv("mobilenetv2", "project 1x1 144->24 @56", 144, 24, 1, 1, 0, 56, false),
      new Conv("mobilenetv2", "expand 1x1 96->576 @14", 96, 576, 1, 1, 0, 14, false),
      new Conv("mobilenetv2", "last 1x1 320->1280 @7", 320, 1280, 1, 1, 0, 7, false),
      new Conv("mobilenetv2", "dw 3x3 144 @56", 144, 144, 3, 1, 1, 56, true),
      new Conv("mobilenetv2", "dw 3x3/2 144 @56", 144, 144, 3, 2, 1, 56, true),
      new Conv("mobilenetv2", "dw 3x3 576 @14", 576, 576, 3, 1, 1, 14, true),
      new Conv("mobilenetv2", "dw 3x3 960 @7", 960, 960, 3, 1, 1, 7, true));

  public static void main(String[] args) {
    LogLevels.setDefaults();
    int[] batches = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    long millis = Long.parseLong(args[1]);
    Nd4j.getEnvironment().setMaxThreads(Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "2")));
    for (int n : batches) {
      for (Conv c : CONVS) {
        INDArray nchw = Nd4j.rand(DataType.FLOAT, n, c.cin, c.hw, c.hw);
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        List<String> cells = new ArrayList<>();
        if (c.depthwise) {
          INDArray w = Nd4j.rand(DataType.FLOAT, c.k, c.k, c.cin, 1); // ND4J's depthwise kernel (kh, kw, in, mult)
          cells.add(time("depthwise NCHW", millis, () -> Nd4j.cnn().depthWiseConv2d(nchw, w, config(c, "NCHW", WeightsFormat.YXIO))));
          cells.add(time("depthwise NHWC", millis, () -> Nd4j.cnn().depthWiseConv2d(nhwc, w, config(c, "NHWC", WeightsFormat.YXIO))));
        } else {
          INDArray oihw = Nd4j.rand(DataType.FLOAT, c.cout, c.cin, c.k, c.k);
          INDArray hwio = oihw.permute(2, 3, 1, 0).dup('c');
          INDArray ohwi = oihw.permute(0, 2, 3, 1).dup('c');
          cells.add(time("NCHW OIHW", millis, () -> Nd4j.cnn().conv2d(nchw, oihw, config(c, "NCHW", WeightsFormat.OIYX))));
          cells.add(time("NCHW HWIO", millis, () -> Nd4j.cnn().conv2d(nchw, hwio, config(c, "NCHW", WeightsFormat.YXIO))));
          cells.add(time("NHWC HWIO", millis, () -> Nd4j.cnn().conv2d(nhwc, hwio, config(c, "NHWC", WeightsFormat.YXIO))));
          cells.add(time("NHWC OHWI", millis, () -> Nd4j.cnn().conv2d(nhwc, ohwi, config(c, "NHWC", WeightsFormat.OYXI))));
        }
        cells.add(time("NCHW->NHWC copy", millis, () -> nchw.permute(0, 2, 3, 1).dup('c')));
        System.out.printf(Locale.ROOT, "{\"net\": \"%s\", \"conv\": \"%s\", \"batch\": %d, \"median_ms\": {%s}}%n",
            c.net, c.name, n, String.join(", ", cells));
        System.out.flush();
      }
    }
  }

  private static Conv2DConfig config(Conv c, String format, WeightsFormat weights) {
    return Conv2DConfig.builder().kH(c.k).kW(c.k).sH(c.stride).sW(c.stride).pH(c.pad).pW(c.pad).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID).dataFormat(format).weightsFormat(weights).build();
  }

  /** {@code "label": median} of single calls over {@code millis} after a third of that as warm-up (at least 5 calls). */
  private static String time(String label, long millis, Supplier<INDArray> call) {
    long warmEnd = System.nanoTime() + millis * 1_000_000L / 3;
    do {
      call.get();
    } while (System.nanoTime() < warmEnd);
    List<Double> times = new ArrayList<>();
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < end || times.size() < 5) {
      long t0 = System.nanoTime();
      call.get();
      times.add((System.nanoTime() - t0) / 1e6);
    }
    times.sort(null);
    return String.format(Locale.ROOT, "\"%s\": %.4f", label, times.get(times.size() / 2));
  }
}
