package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.BatchNormKind;
import dev.sequent.model.Framework;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BatchNorm layers whose epsilon is not their framework's default, saved whole by real PyTorch
 * ({@code eps=1e-3}, {@code 0.1}) and real Keras 3 / tf_keras ({@code epsilon=1.001e-5} as
 * keras.applications' ResNets use it, {@code 0.1}); fixtures/make_epsilon_fixtures.py. The moving
 * variances are small (0.01..0.06), so an epsilon taken for the default moves outputs far beyond the
 * tolerance.
 */
class BatchNormEpsilonTest {
  private static final Path DIR = root().resolve("epsilon");

  /** The file's own architecture: each layer runs with the epsilon the file states. */
  @ParameterizedTest
  @ValueSource(strings = {"torch_bn_eps.pt", "torch_bn_eps_traced.pt", "keras_bn_eps.keras", "keras_bn_eps.h5"})
  void aFileRunsWithTheEpsilonsItStates(String file) {
    Network net = file.endsWith(".pt") ? Network.load(DIR.resolve(file), Shape.of(3, 8, 8))
        : Network.load(DIR.resolve(file));
    assertFrameworkOutput(net, file);
  }

  /**
   * A model declared with the framework's default epsilon takes the file's weights with the
   * difference folded into the moving variance: {@code var + eps_file - eps_model}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"torch_bn_eps.pt", "keras_bn_eps.keras", "keras_bn_eps.h5"})
  void aModelWithTheDefaultEpsilonFoldsTheFilesEpsilon(String file) {
    Network own = file.endsWith(".pt") ? Network.load(DIR.resolve(file), Shape.of(3, 8, 8))
        : Network.load(DIR.resolve(file));
    ModelSpec spec = own.model().spec();
    List<Node> defaults = spec.nodes().stream().map(n -> n.layer() instanceof BatchNorm b
        ? new Node(n.name(), withDefaultEpsilon(b), n.inputs()) : n).toList();
    assertThat(defaults).as("the model declares other epsilons than the file").isNotEqualTo(spec.nodes());
    Network declared = Network.create(new ModelSpec(spec.name(), spec.style(), spec.framework(), spec.inputShape(),
        defaults, spec.output()));
    declared.loadWeights(DIR.resolve(file));
    assertFrameworkOutput(declared, file);
  }

  private static BatchNorm withDefaultEpsilon(BatchNorm b) {
    double eps = b.framework() == Framework.KERAS ? BatchNormKind.KERAS_EPSILON : BatchNormKind.TORCH_EPSILON;
    return new BatchNorm(b.framework(), b.typeName(), eps, b.momentum(), b.featureAxis(), b.center(), b.scale(),
        b.requiredRanks(), b.declaredFeatures());
  }

  /** Batch of 8 (ND4J) and each sample alone (plain Java), 1e-5 absolute, 1e-4 relative above 1. */
  private static void assertFrameworkOutput(Network net, String file) {
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    assertBatchAndEachSample(net::forward, npy(DIR.resolve(stem + "_input.npy")), npy(DIR.resolve(stem + "_output.npy")),
        file);
  }

}
