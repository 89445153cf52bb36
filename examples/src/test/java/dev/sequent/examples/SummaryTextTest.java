package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.TorchSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sequent's torchinfo-style table is, line for line, the table real torchinfo printed. */
class SummaryTextTest {

  static Stream<ReferenceModels.Case> torchModels() {
    return ReferenceModels.torch().stream();
  }

  static Stream<ReferenceModels.Case> kerasModels() {
    return ReferenceModels.keras().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasModels")
  void kerasSummaryIsKerasTable(ReferenceModels.Case c) throws IOException {
    InferredModel m = c.model().get();
    // Keras prints the model's Python name; ours is the Java interface's.
    String real = Files.readString(reference(c.fixture(), "keras_summary.txt"))
        .replace("Model: \"" + c.fixture() + "\"", "Model: \"" + m.spec().name() + "\"");
    assertThat(KerasSummary.render(m).strip()).isEqualTo(real.strip());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchModels")
  void torchSummaryIsTorchinfosTable(ReferenceModels.Case c) throws IOException {
    InferredModel m = c.model().get();
    String real = Files.readString(reference(c.fixture(), "torch_summary.txt"))
        // torchinfo 1.8 on Python 3.11 prints its unit enum's repr; the unit it means is "M".
        .replace("(Units.MEGABYTES)", "(M)")
        // A Module's container row shows its Python class name; ours shows the Java model name.
        .replace("Residual    ", "TinyResidual");
    assertThat(TorchSummary.render(m).strip()).isEqualTo(real.strip());
  }
}
