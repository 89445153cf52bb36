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

/**
 * Sequent's Keras-style and torchinfo-style tables are, line for line, the tables real Keras
 * ({@code model.summary()}, Keras 3.15) and real torchinfo (1.8.0, Python 3.11) printed
 * ({@code keras_summary.txt}, {@code torch_summary.txt}), after the rewrites of the real text listed
 * here, each of which must change the text exactly as often as stated (so none can silently widen):
 *
 * <ul>
 *   <li>Keras, once per file: the title line {@code Model: "<fixture>"} names the Python model
 *       (generate.py names it after the fixture folder); Sequent's names the Java model.
 *   <li>torchinfo, residual only, once: the first row names the root module by its Python class,
 *       {@code Residual}; Sequent's names the Java model, {@code TinyResidual}. The rewrite puts
 *       the 12 characters of {@code TinyResidual} over {@code Residual} and its next 4 spaces, so
 *       the columns stay where torchinfo put them. The other models' root is {@code Sequential} in
 *       both.
 * </ul>
 *
 * <p>Nothing else is changed: no stripping, no whitespace normalisation; Sequent's table ends with
 * the same final newline.
 */
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
    String real = Files.readString(reference(c.fixture(), "keras_summary.txt"));
    real = rewrite(real, "Model: \"" + c.fixture() + "\"\n", "Model: \"" + m.spec().name() + "\"\n", 1);
    assertThat(KerasSummary.render(m)).isEqualTo(real);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchModels")
  void torchSummaryIsTorchinfosTable(ReferenceModels.Case c) throws IOException {
    InferredModel m = c.model().get();
    String real = Files.readString(reference(c.fixture(), "torch_summary.txt"));
    real = rewrite(real, "\nResidual    ", "\nTinyResidual", c.fixture().equals("residual") ? 1 : 0);
    assertThat(TorchSummary.render(m)).isEqualTo(real);
  }

  /** {@code text} with {@code from} replaced by {@code to}, which must occur exactly {@code times}. */
  private static String rewrite(String text, String from, String to, int times) {
    assertThat(text.split(java.util.regex.Pattern.quote(from), -1).length - 1)
        .as("occurrences of " + from.strip() + " in the real text").isEqualTo(times);
    return text.replace(from, to);
  }
}
