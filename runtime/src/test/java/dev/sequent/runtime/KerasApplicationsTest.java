package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * keras.applications architectures saved whole by real Keras 3 ({@code .keras}) and tf_keras
 * ({@code .h5}) with random weights and non-trivial BatchNorm statistics
 * (fixtures/make_applications_fixtures.py), run through {@link Network#load} with no Java source:
 * Keras' own application builders at reduced width or depth (committed), and, where
 * {@code fixtures/large/} has been generated ({@code --full}), ResNet50 at 64x64 and MobileNetV2
 * at 96x96 as keras.applications builds them (100 MB files, not committed).
 */
class KerasApplicationsTest {

  @ParameterizedTest
  @ValueSource(strings = {"resnet_small.keras", "resnet_small.h5", "resnet_v2_small.keras", "resnet_v2_small.h5",
      "mobilenet_v2_035.keras", "mobilenet_v2_035.h5", "mobilenet_v3_small_mini.keras", "mobilenet_v3_small_mini.h5",
      "convnext_mini.keras", "convnext_mini.h5", "inception_resnet_mini.keras", "inception_resnet_mini.h5"})
  void reducedApplicationsGiveKerasOutputs(String file) {
    Path dir = root().resolve("applications");
    // 64x64 images are beyond the plain-Java path's limit: these run through ND4J at every batch
    // size (the layers' own tests cover the Java path).
    assertKerasOutput(Network.load(dir.resolve(file)), dir, file, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet50.keras", "resnet50.h5", "mobilenet_v2.keras", "mobilenet_v2.h5"})
  void fullSizeApplicationsGiveKerasOutputs(String file) {
    Path dir = root().resolve("large");
    assumeTrue(Files.exists(dir.resolve(file)),
        "fixtures/large/" + file + " not generated (python fixtures/make_applications_fixtures.py --full)");
    assertKerasOutput(Network.load(dir.resolve(file)), dir, file, false);
  }

  /** The batch in one call, and each sample alone when asked; 1e-5 absolute, 1e-4 relative above 1. */
  private static void assertKerasOutput(Network net, Path dir, String file, boolean eachSample) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    INDArray x = npy(dir.resolve(stem + "_input.npy"));
    INDArray expected = npy(dir.resolve(stem + "_output.npy"));
    if (eachSample) {
      assertBatchAndEachSample(net::forward, x, expected, file);
    } else {
      assertClose(expected, net.forward(x), file + " batch");
    }
  }

}
