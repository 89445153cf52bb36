package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Transposed convolutions from files saved whole by real PyTorch (pickled and traced), Keras 3
 * ({@code .keras}) and tf_keras ({@code .h5}) (fixtures/make_conv_transpose_fixtures.py): PyTorch
 * padding with output_padding, asymmetric strides and dilation; Keras "same" (its odd crop after the
 * data), "valid" with output_padding, "same" with output_padding, dilation, strides above the
 * kernel. Each file runs one sample at a time and at batch 8 (plain Java at these sizes) and repeated
 * past the model's plain-Java limit (ND4J).
 */
class ConvTranspose2DTest {
  private static final Path DIR = root().resolve("conv_transpose");

  @ParameterizedTest
  @ValueSource(strings = {"torch_tconv.pt", "torch_tconv_traced.pt", "torch_tconv_plain.pt",
      "torch_tconv_plain_traced.pt", "torch_tconv_twin.pt", "torch_tconv_twin_traced.pt", "keras_tconv.keras", "keras_tconv.h5", "keras_tconv_same_op.keras",
      "keras_tconv_same_op.h5"})
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    Network net = file.endsWith(".pt") ? Network.load(DIR.resolve(file), Shape.of(3, 5, 5))
        : Network.load(DIR.resolve(file));
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = npy(DIR.resolve(stem + "_input.npy"));
    INDArray expected = npy(DIR.resolve(stem + "_output.npy"));
    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    assertBatchAndEachSample(net::forward, x, expected, file);
    // The batch repeated past the plain-Java limit runs through ND4J.
    int copies = javaLimit / (int) x.size(0) + 1;
    INDArray[] xs = new INDArray[copies];
    INDArray[] ys = new INDArray[copies];
    java.util.Arrays.fill(xs, x);
    java.util.Arrays.fill(ys, expected);
    assertClose(Nd4j.concat(0, ys), net.forward(Nd4j.concat(0, xs)), file + " " + copies + " x 8 (ND4J)");
  }

}
