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
 * PyTorch's adaptive pools (uneven, overlapping windows; None sizes; the 1x1 head) and ceil-mode
 * pools with padding and count_include_pad both ways, from files saved whole and traced by real
 * PyTorch (fixtures/make_pooling_fixtures.py), at batch 8 (ND4J) and one sample at a time (plain Java).
 */
class PoolingFixturesTest {
  private static final Map<String, Shape> INPUTS = Map.of(
      "torch_adaptive", Shape.of(8, 13, 17), "torch_adaptive_head", Shape.of(8, 13, 17),
      "torch_adaptive_max_head", Shape.of(8, 13, 17), "torch_ceil_pools", Shape.of(3, 15, 15),
      "torch_ceil_max_pad", Shape.of(3, 14, 11));

  @ParameterizedTest
  @ValueSource(strings = {
      "torch_adaptive.pt", "torch_adaptive_traced.pt", "torch_adaptive_head.pt", "torch_adaptive_head_traced.pt",
      "torch_adaptive_max_head.pt", "torch_adaptive_max_head_traced.pt", "torch_ceil_pools.pt",
      "torch_ceil_pools_traced.pt", "torch_ceil_max_pad.pt", "torch_ceil_max_pad_traced.pt"})
  void batchAndSingleSamplesGivePytorchsOutput(String file) {
    Path dir = root().resolve("pooling");
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = Nd4j.createFromNpyFile(dir.resolve(stem + "_input.npy").toFile()).castTo(DataType.FLOAT);
    INDArray expected = Nd4j.createFromNpyFile(dir.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = Network.load(dir.resolve(file), INPUTS.get(stem));

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    SequenceFixturesTest.check(expected, net.forward(x), file + " batch of 8");
    SequenceFixturesTest.check(JavaPath.pastLimit(expected, javaLimit), net.forward(JavaPath.pastLimit(x, javaLimit)),
        file + " batch past the plain-Java limit (ND4J)");
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      SequenceFixturesTest.check(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one),
          file + " sample " + i + " (Java)");
    }
  }
}
