package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;

import dev.sequent.model.Shape;
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
 * (fixtures/make_window_fixtures.py). Each runs at batch 8, where ND4J's kernels do the work, and
 * one sample at a time, where Sequent's plain-Java kernels do; both must give the framework's output.
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

    assertClose(expected, net.forward(x), file + " batch of " + x.size(0));
    assertEachSampleAlone(net, x, expected, file);
  }

  /**
   * The reference models (fixtures/reference) one sample at a time: the batch-8 tests elsewhere
   * mostly exercise ND4J's kernels, a batch of one exercises the plain-Java ones.
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
    assertEachSampleAlone(net, x, expected, file);
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
