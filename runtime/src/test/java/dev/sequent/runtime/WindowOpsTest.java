package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Dilated convolutions, padded average pooling (padding counted and not) and Keras "same" pooling
 * with asymmetric padding, built and run by real PyTorch and Keras 3
 * (fixtures/make_window_fixtures.py). Each runs at batch 8, where ND4J's kernels do the work, one
 * sample at a time, where Sequent's plain-Java kernels do (the test asserts both: 1 <= the model's
 * Java limit < 8, see {@link JavaPath}), and as its last 2 to 5 samples (plain Java up to the
 * limit, 1 or 2 for these models, ND4J above); each must give the framework's output.
 */
class WindowOpsTest {
  @ParameterizedTest
  @ValueSource(strings = {"torch_dilated_conv.pt", "torch_avg_pool_count_pad.pt", "torch_max_pool_pad.pt",
      "keras_dilated_conv.keras", "keras_same_pools.keras"})
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    Path dir = root().resolve("windows");
    String stem = file.substring(0, file.lastIndexOf('.'));
    INDArray x = Nd4j.createFromNpyFile(dir.resolve(stem + "_input.npy").toFile()).castTo(DataType.FLOAT);
    INDArray expected = Nd4j.createFromNpyFile(dir.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = file.endsWith(".pt") ? Network.load(dir.resolve(file), Shape.of(3, 32, 32)) : Network.load(dir.resolve(file));

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    assertClose(expected, net.forward(x), file + " batch of " + x.size(0));
    assertClose(JavaPath.pastLimit(expected, javaLimit), net.forward(JavaPath.pastLimit(x, javaLimit)),
        file + " batch past the plain-Java limit (ND4J)");
    assertEachSampleAlone(net, x, expected, file);
  }

  /**
   * The reference models loaded whole from the framework's file (fixtures/reference) one sample at
   * a time (plain Java), as their last 2 to 5 samples, and tiled to one batch above the model's
   * Java limit (ND4J). The batch-8 tests elsewhere run ND4J for the image models (limit 2) but plain
   * Java for activations, simple_net and strided_same (limits in the hundreds), so the tiled batch
   * is where those meet ND4J's kernels.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lenet5/torch_model.pt", "cnn/torch_model.pt", "batchnorm/torch_model.pt",
      "mlp/torch_model.pt", "activations/torch_model.pt", "simple_net/torch_model.pt", "lenet5/keras3.keras",
      "cnn/keras3.keras", "batchnorm/keras3.keras", "strided_same/keras3.keras", "activations/keras3.keras"})
  void referenceModelsOneSampleAtATime(String file) {
    String model = file.substring(0, file.indexOf('/'));
    boolean torch = file.endsWith(".pt");
    INDArray x = npy(model, torch ? "input_torch.npy" : "input_keras.npy");
    INDArray expected = npy(model, torch ? "output_torch.npy" : "output_keras3.npy");
    Path path = reference(model, file.substring(file.indexOf('/') + 1));
    long[] sample = java.util.Arrays.copyOfRange(x.shape(), 1, x.rank());
    Network net = torch && sample.length == 3
        ? Network.load(path, Shape.of(java.util.Arrays.stream(sample).mapToInt(Math::toIntExact).toArray()))
        : Network.load(path);
    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    assertEachSampleAlone(net, x, expected, file);
    int tiles = javaLimit / (int) x.size(0) + 1;
    INDArray big = Nd4j.tile(x, batchTimes(tiles, x.rank()));
    assertThat(big.size(0)).isGreaterThan(javaLimit);
    assertClose(Nd4j.tile(expected, batchTimes(tiles, expected.rank())), net.forward(big),
        file + " batch of " + big.size(0) + " (ND4J)");
  }

  /**
   * LeNet-5 and the CNN at batch 8 and 32, both layouts: with the Vector API kernels their
   * convolutions and poolings stay in plain Java up to batch 32 (SmallKernels' SIMD limits), so
   * both batches run the chunked plain-Java pass; with the scalar kernels they run ND4J. Either way
   * each agrees with the framework's output, as the whole batch and sample by sample.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lenet5/torch_model.pt", "cnn/torch_model.pt", "lenet5/keras3.keras", "cnn/keras3.keras"})
  void imageModelsAtBatch8And32(String file) {
    String model = file.substring(0, file.indexOf('/'));
    boolean torch = file.endsWith(".pt");
    INDArray x = npy(model, torch ? "input_torch.npy" : "input_keras.npy");
    INDArray expected = npy(model, torch ? "output_torch.npy" : "output_keras3.npy");
    Path path = reference(model, file.substring(file.indexOf('/') + 1));
    Network net = torch ? Network.load(path, Shape.of(1, 28, 28)) : Network.load(path);
    int javaLimit = JavaPath.maxBatch(net.model());
    if (dev.sequent.runtime.exec.JavaKernels.active().simd()) {
      assertThat(javaLimit).as("batch 32 runs in plain Java with SIMD kernels").isGreaterThanOrEqualTo(32);
    }
    Fixtures.assertBatchAndEachSample(net::forward, x, expected, file);
    assertClose(Nd4j.tile(expected, batchTimes(4, expected.rank())), net.forward(Nd4j.tile(x, batchTimes(4, x.rank()))),
        file + " batch of 32");
  }

  /** Nd4j.tile's repetitions: {@code times} along the batch axis, once along the others. */
  private static int[] batchTimes(int times, int rank) {
    int[] reps = new int[rank];
    java.util.Arrays.fill(reps, 1);
    reps[0] = times;
    return reps;
  }

  private static void assertEachSampleAlone(Network net, INDArray x, INDArray expected, String what) {
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one), what + " sample " + i);
    }
    // Small batches run the whole pass on Java arrays (ExecutionPlan.forwardInJava) up to the largest
    // batch every layer allows (2 to 4 for these models), so batch offsets are exercised too
    for (int n = 2; n <= 5; n++) {
      INDArray some = x.get(NDArrayIndex.interval(8 - n, 8)).dup('c');
      assertClose(expected.get(NDArrayIndex.interval(8 - n, 8)), net.forward(some), what + " last " + n + " samples");
    }
  }
}
