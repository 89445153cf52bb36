package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Embedding and the 1-D layers (and the 2-D global pools' keepdims) from files saved whole by real
 * PyTorch (pickled and traced), Keras 3 ({@code .keras}) and tf_keras ({@code .h5})
 * (fixtures/make_sequence_fixtures.py): Embedding on int32/int64 ids given as the integer arrays
 * the frameworks ran on, Conv1D causal/same/valid with strides and dilation, 1-D pools with same
 * padding, ceil_mode and count_include_pad, global 1-D pools with keepdims, RepeatVector. Each file runs at batch 8
 * through ND4J and one sample at a time through plain Java (asserted with {@link JavaPath}) and
 * must give the framework's output.
 */
class SequenceFixturesTest {
  /** PyTorch files record no input size: the shapes the script ran them on. */
  private static final Map<String, Shape> TORCH_INPUTS = Map.of(
      "torch_embedding", Shape.of(20), "torch_conv1d_pools", Shape.of(16, 128));

  @ParameterizedTest
  @ValueSource(strings = {
      "torch_embedding.pt", "torch_embedding_traced.pt", "torch_conv1d_pools.pt", "torch_conv1d_pools_traced.pt",
      "keras_embedding_conv1d.keras", "keras_embedding_conv1d.h5", "keras_conv1d_pools.keras",
      "keras_conv1d_pools.h5", "keras_global_keepdims.keras", "keras_global_keepdims.h5",
      "keras_repeat_vector.keras", "keras_repeat_vector.h5"})
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    Path dir = root().resolve("sequence");
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = Nd4j.createFromNpyFile(dir.resolve(stem + "_input.npy").toFile());
    INDArray expected = Nd4j.createFromNpyFile(dir.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = file.endsWith(".pt") ? Network.load(dir.resolve(file), TORCH_INPUTS.get(stem))
        : Network.load(dir.resolve(file));

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    check(expected, net.forward(x), file + " batch of 8");
    // past the Java limit: ND4J (the fixture's batch, repeated where the limit takes all of it)
    check(JavaPath.pastLimit(expected, javaLimit), net.forward(JavaPath.pastLimit(x, javaLimit)),
        file + " batch past the plain-Java limit (ND4J)");
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      check(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one), file + " sample " + i + " (Java)");
    }
  }

  /** 1e-5 absolute, 1e-4 relative where the expected value is above 1. */
  static void check(INDArray expected, INDArray actual, String what) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    float[] e = expected.dup('c').data().asFloat();
    float[] a = actual.castTo(DataType.FLOAT).dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) {
      double tol = Math.max(1e-5, 1e-4 * Math.abs(e[i]));
      assertThat((double) Math.abs(e[i] - a[i])).as("%s value %d: expected %s, got %s", what, i, e[i], a[i])
          .isLessThanOrEqualTo(tol);
    }
  }
}
