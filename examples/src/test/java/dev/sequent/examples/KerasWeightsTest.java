package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsFirst;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weights saved by real Keras 3 and real tf_keras, in every file form, loaded into every Java
 * reference model of the same architecture, Keras-vocabulary and PyTorch-vocabulary alike,
 * reproduce Keras' recorded outputs (within 1e-5, or 1e-4 relative above 1: Fixtures.assertClose).
 * Every reference model has every form; a missing file fails its case.
 */
class KerasWeightsTest {
  private static final String[][] FORMS = {
      {"keras2.h5", "output_keras2.npy"},
      {"keras2_weights.h5", "output_keras2.npy"},
      {"keras3.h5", "output_keras3.npy"},
      {"keras3.keras", "output_keras3.npy"},
      {"keras3.weights.h5", "output_keras3.npy"},
  };

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (ReferenceModels.Case c : ReferenceModels.all()) {
      for (String[] form : FORMS) {
        cases.add(Arguments.of(c, form[0], form[1]));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("cases")
  void reproducesKeras(ReferenceModels.Case c, String file, String output) {
    Network net = Network.create(c.model().get(), 11);
    net.loadWeights(reference(c.fixture(), file));
    INDArray x = npy(c.fixture(), "input_keras.npy");
    // A PyTorch-vocabulary model takes channels-first images: same data, other layout.
    boolean torch = c.vocabulary() == Framework.TORCH;
    INDArray expected = npy(c.fixture(), output);
    assertClose(torch ? toChannelsFirst(expected) : expected, net.forward(torch ? toChannelsFirst(x) : x),
        c + " <- " + file);
  }

  /** No Keras file in a reference model's folder that the cases leave out. */
  @Test
  void theFormsAreEveryKerasFileOfTheReferenceModels() throws IOException {
    for (ReferenceModels.Case c : ReferenceModels.all()) {
      try (Stream<Path> files = Files.list(root().resolve("reference").resolve(c.fixture()))) {
        assertThat(files.map(f -> f.getFileName().toString())
            .filter(f -> f.startsWith("keras") && (f.endsWith(".h5") || f.endsWith(".keras"))))
            .as(c.fixture()).containsExactlyInAnyOrderElementsOf(Stream.of(FORMS).map(f -> f[0]).toList());
      }
    }
  }
}
