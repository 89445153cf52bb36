package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Cropping2D;
import dev.sequent.model.layers.ZeroPad2D;
import dev.sequent.model.report.KerasTwin;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PyTorch {@code nn.ZeroPad2d} and Keras {@code ZeroPadding2D} (its three forms) and
 * {@code Cropping2D}, channels-first and channels-last, saved whole by real PyTorch (pickled and
 * traced), real Keras 3 ({@code .keras}) and tf_keras ({@code .h5}) with their outputs
 * (fixtures/make_padding_fixtures.py), loaded with no Java source. Each runs at batch 8, one sample
 * at a time and as its last 2 to 5 samples (plain Java, asserted through {@link JavaPath}), tiled
 * to a batch above the model's Java limit (ND4J) and to 160 samples, above every pad and crop op's own
 * Java limit ({@code Nd4j.pad}, views); every run must give the framework's output.
 */
class PaddingTest {
  private static final Path DIR = root().resolve("padding");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"torch_zeropad.pt", "torch_zeropad_traced.pt", "keras_pad_crop.keras",
      "keras_pad_crop.h5", "keras_pad_crop_channels_first.keras", "keras_pad_crop_channels_first.h5"})
  void bothPathsGiveTheFrameworksOutput(String file) {
    String stem = stem(file);
    INDArray x = npy(stem + "_input.npy");
    INDArray expected = npy(stem + "_output.npy");
    Network net = load(file);
    assertThat(net.model().nodes()).anyMatch(l -> l.spec() instanceof ZeroPad2D);
    if (file.startsWith("keras")) {
      assertThat(net.model().nodes()).anyMatch(l -> l.spec() instanceof Cropping2D);
    }
    double worst = assertClose(expected, net.forward(x), file + " batch of 8");

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      worst = Math.max(worst, assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one),
          file + " sample " + i));
    }
    for (int n = 2; n <= 5; n++) {
      INDArray some = x.get(NDArrayIndex.interval(8 - n, 8)).dup('c');
      assertClose(expected.get(NDArrayIndex.interval(8 - n, 8)), net.forward(some), file + " last " + n);
    }
    int tiles = javaLimit / (int) x.size(0) + 1;
    INDArray big = Nd4j.tile(x, batchTimes(tiles, x.rank()));
    assertThat(big.size(0)).as("a batch above the Java limit runs in ND4J").isGreaterThan(javaLimit);
    worst = Math.max(worst, assertClose(Nd4j.tile(expected, batchTimes(tiles, expected.rank())), net.forward(big),
        file + " batch of " + big.size(0) + " (ND4J)"));
    // Each pad and crop op also keeps batches up to its own limit (65536 cells / its per-sample size,
    // 45 to 151 for these models) in plain Java inside the ND4J pass; 160 samples are above all of them,
    // so Nd4j.pad and the cropping views run too.
    INDArray huge = Nd4j.tile(x, batchTimes(20, x.rank()));
    worst = Math.max(worst, assertClose(Nd4j.tile(expected, batchTimes(20, expected.rank())), net.forward(huge),
        file + " batch of 160 (Nd4j.pad and views)"));
    System.out.printf("PaddingTest %s: Java limit %d, max |diff| %.3g%n", file, javaLimit, worst);
  }

  @Test
  void pytorchsOrderIsReadAsLeftRightTopBottom() {
    for (String file : List.of("torch_zeropad.pt", "torch_zeropad_traced.pt")) {
      List<ZeroPad2D> pads = load(file).model().nodes().stream().map(InferredModel.Layer::spec)
          .filter(ZeroPad2D.class::isInstance).map(ZeroPad2D.class::cast).toList();
      assertThat(pads).as(file).containsExactly(
          new ZeroPad2D(Framework.TORCH, 0, 3, 1, 2, DataFormat.CHANNELS_FIRST),
          new ZeroPad2D(Framework.TORCH, 1, 1, 1, 1, DataFormat.CHANNELS_FIRST));
    }
  }

  /**
   * The channels-first PyTorch model's Keras twin pads with {@code ZeroPadding2D(((t, b), (l, r)))}
   * channels-last and, with the exported weights, gives PyTorch's output on the transposed input;
   * so does the whole-model {@code .h5} Sequent writes for it, read back with no Java class.
   */
  @Test
  void theKerasTwinOfZeroPad2dPadsTheSameSidesChannelsLast() throws Exception {
    Network net = load("torch_zeropad.pt");
    InferredModel twinModel = KerasTwin.of(net.model());
    assertThat(twinModel.nodes().stream().map(InferredModel.Layer::spec).filter(ZeroPad2D.class::isInstance))
        .containsExactly(new ZeroPad2D(Framework.KERAS, 0, 3, 1, 2, DataFormat.CHANNELS_LAST),
            new ZeroPad2D(Framework.KERAS, 1, 1, 1, 1, DataFormat.CHANNELS_LAST));
    Network twin = Network.create(twinModel, 1).setWeights(net.getWeights());
    INDArray x = npy("torch_zeropad_input.npy");
    INDArray expected = npy("torch_zeropad_output.npy");
    assertClose(expected, twin.forward(toChannelsLast(x)), "Keras twin");
    Path h5 = tmp.resolve("zeropad.h5");
    net.saveWeights(h5);
    Network loaded = Network.load(h5);
    assertThat(loaded.model().spec().framework()).isEqualTo(Framework.KERAS);
    assertClose(expected, loaded.forward(toChannelsLast(x)), "the twin's .h5 loaded whole");
  }

  private static Network load(String file) {
    return file.endsWith(".pt") ? Network.load(DIR.resolve(file), Shape.of(3, 16, 16)) : Network.load(DIR.resolve(file));
  }

  private static String stem(String file) {
    String s = file.substring(0, file.lastIndexOf('.'));
    return s.endsWith("_traced") ? s.substring(0, s.length() - "_traced".length()) : s;
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }

  private static int[] batchTimes(int times, int rank) {
    int[] reps = new int[rank];
    Arrays.fill(reps, 1);
    reps[0] = times;
    return reps;
  }
}
