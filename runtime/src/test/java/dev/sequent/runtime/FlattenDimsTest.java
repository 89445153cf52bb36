package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code nn.Flatten(start_dim, end_dim)} other than (1, -1) in files real PyTorch saved whole and
 * traced (fixtures/make_sequence_fixtures.py flatten), on both paths: the batch of 8 and each sample
 * run in plain Java (these models are small), and the batch repeated past the plain-Java limit runs
 * through ND4J, whose reshape must keep the axes Flatten does not join.
 */
class FlattenDimsTest {
  private static final Path DIR = root().resolve("sequence");

  @ParameterizedTest
  @CsvSource({
      "torch_flatten_dims.pt, 3, 6, 6", "torch_flatten_dims_traced.pt, 3, 6, 6",
      "torch_flatten_middle.pt, 2, 4, 5", "torch_flatten_middle_traced.pt, 2, 4, 5"})
  void bothPathsGivePytorchsOutput(String file, int c, int h, int w) {
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    Network net = Network.load(DIR.resolve(file), Shape.of(c, h, w));
    INDArray x = npy(DIR.resolve(stem + "_input.npy"));
    INDArray y = npy(DIR.resolve(stem + "_output.npy"));
    assertBatchAndEachSample(net::forward, x, y, file + " (plain Java)");
    int limit = JavaPath.maxBatch(net.model());
    int copies = limit / (int) x.size(0) + 1;
    INDArray many = Nd4j.concat(0, java.util.Collections.nCopies(copies, x).toArray(INDArray[]::new));
    INDArray expected = Nd4j.concat(0, java.util.Collections.nCopies(copies, y).toArray(INDArray[]::new));
    assertThat(many.size(0)).as("past the plain-Java limit").isGreaterThan(limit);
    assertClose(expected, net.forward(many), file + " batch of " + many.size(0) + " (ND4J)");
  }
}
