package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.torch.TorchFlattenDimsNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nn.Flatten(start_dim, end_dim)} other than (1, -1), from files real PyTorch saved
 * (fixtures/make_sequence_fixtures.py flatten): loaded whole and traced with {@code Network.load},
 * and declared in Java as {@code @Flatten(startDim = 2)} with its shape known at compile time; each
 * gives PyTorch's output at batch 8 and per sample.
 */
class FlattenDimsTest {
  private static final Path DIR = root().resolve("sequence");

  @ParameterizedTest
  @ValueSource(strings = {"torch_flatten_dims.pt", "torch_flatten_dims_traced.pt"})
  void imageToSequenceFromTheFiles(String file) {
    Network net = Network.load(DIR.resolve(file), Shape.of(3, 6, 6));
    assertThat(net.model().nodes().get(1).spec()).isInstanceOf(Flatten.class);
    assertThat(net.model().nodes().get(1).outputShape()).isEqualTo(Shape.of(4, 36));
    check(net, "torch_flatten_dims", file);
  }

  /** {@code Flatten(-3, -2)}: negative dims counted from the end, as PyTorch counts them. */
  @ParameterizedTest
  @ValueSource(strings = {"torch_flatten_middle.pt", "torch_flatten_middle_traced.pt"})
  void middleAxesFromTheFiles(String file) {
    Network net = Network.load(DIR.resolve(file), Shape.of(2, 4, 5));
    assertThat(net.model().nodes().get(1).outputShape()).isEqualTo(Shape.of(12, 5));
    assertThat(net.model().outputShape()).isEqualTo(Shape.of(12, 4));
    check(net, "torch_flatten_middle", file);
  }

  @Test
  void theJavaDeclarationKnowsTheShapeAndLoadsTheFile() {
    InferredModel m = TorchFlattenDimsNet.model();
    assertThat(m.layer("rows").outputShape()).isEqualTo(Shape.of(4, 36));
    assertThat(m.layer("conv1d").outputShape()).isEqualTo(Shape.of(5, 34));
    assertThat(TorchFlattenDimsNet.OUTPUT_SHAPE).isEqualTo(Shape.of(6));
    // Keras' Flatten joins every axis: no Keras twin for one that keeps some.
    assertThat(KerasTwin.whyNone(m)).hasValueSatisfying(why -> assertThat(why).contains("start_dim=2"));
    Network net = TorchFlattenDimsNet.create().loadWeights(DIR.resolve("torch_flatten_dims.pt"));
    check(net, "torch_flatten_dims", "TorchFlattenDims");
  }

  private static void check(Network net, String stem, String what) {
    assertBatchAndEachSample(net::forward, npy(DIR.resolve(stem + "_input.npy")), npy(DIR.resolve(stem + "_output.npy")),
        what);
  }
}
