package dev.sequent.runtime.io.torch.export;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Programs saved by real PyTorch with {@code torch.export.save} (fixtures/make_export_fixtures.py),
 * in the default ATen form and after {@code run_decompositions()}, run through {@link Network#load}
 * with no Java source against PyTorch's outputs: the batch of 8 in one call and each sample alone.
 */
class ExportedProgramTest {
  private static Path dir() {
    return root().resolve("export");
  }

  @ParameterizedTest
  @ValueSource(strings = {"narrow_resnet18.pt2", "narrow_resnet18_core.pt2", "mobilenet_v2.pt2",
      "mobilenet_v2_core.pt2", "functional.pt2", "functional_core.pt2", "lstm_classifier.pt2"})
  void exportedProgramsGivePyTorchOutputs(String file) {
    assertPyTorchOutput(Network.load(dir().resolve(file)), dir(), file, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet18.pt2", "resnet18_core.pt2", "mobilenet_v2.pt2", "mobilenet_v2_core.pt2"})
  void fullSizeTorchvisionProgramsGivePyTorchOutputs(String file) {
    Path large = root().resolve("large").resolve("export");
    assumeTrue(Files.exists(large.resolve(file)),
        "fixtures/large/export/" + file + " not generated (python fixtures/make_export_fixtures.py --large)");
    assertPyTorchOutput(Network.load(large.resolve(file)), large, file, false);
  }

  /** Every op Sequent lacks is named in one message, with its node count, and the program is built no further. */
  @ParameterizedTest
  @ValueSource(strings = {"unsupported.pt2"})
  void aRefusedProgramNamesEveryMissingOpAtOnce(String file) {
    assertThatThrownBy(() -> Network.load(dir().resolve(file)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageStartingWith("Sequent cannot build this torch.export program (written by PyTorch ")
        .hasMessageEndingWith("ATen ops Sequent does not run: aten.abs.default (1 node: abs_1), aten.cumsum.default "
            + "(1 node: cumsum), aten.fft_rfft.default (1 node: fft_rfft), aten.sort.default (1 node: sort)");
  }

  /** Attention is not in Sequent yet: the encoder is refused by its op, with the other constructs it needs. */
  @ParameterizedTest
  @ValueSource(strings = {"transformer_encoder.pt2"})
  void theTransformerEncoderIsRefusedByItsAttentionOp(String file) {
    assertThatThrownBy(() -> Network.load(dir().resolve(file)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("aten.scaled_dot_product_attention.default (2 nodes:");
  }

  /** Core ATen IR unrolls the LSTM into per-step products and slices of its weights: refused by those ops. */
  @ParameterizedTest
  @ValueSource(strings = {"lstm_classifier_core.pt2"})
  void anUnrolledRecurrenceIsRefusedByItsOps(String file) {
    assertThatThrownBy(() -> Network.load(dir().resolve(file)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("aten.bmm.default")
        .hasMessageContaining("aten.split_with_sizes.default");
  }

  private static void assertPyTorchOutput(Network net, Path dir, String file, boolean eachSample) {
    String stem = file.replaceFirst("(_core)?\\.pt2$", "");
    INDArray x = npy(dir.resolve(stem + "_input.npy"));
    INDArray expected = npy(dir.resolve(stem + "_output.npy"));
    if (eachSample) {
      assertBatchAndEachSample(net::forward, x, expected, file);
    } else {
      assertClose(expected, net.forward(x), file + " batch");
    }
  }
}
