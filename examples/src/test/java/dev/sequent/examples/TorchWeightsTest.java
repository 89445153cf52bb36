package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weights saved by real PyTorch in every form (state_dict, whole model, checkpoint, nn.DataParallel
 * state_dict, legacy pickles of a state_dict and of a whole model, TorchScript scripted and traced,
 * safetensors), loaded into every Java reference model of the same architecture, PyTorch-vocabulary
 * and Keras-vocabulary alike, reproduce PyTorch's recorded outputs (within 1e-5, or 1e-4 relative
 * above 1: Fixtures.assertClose). The forms each reference model has are listed in {@link #FILES};
 * a missing file fails its case, and a PyTorch file the list leaves out fails
 * {@link #theListIsEveryPyTorchFileOfTheReferenceModels}.
 */
class TorchWeightsTest {
  private static final String STATE_DICT = "reference/%s/torch_state_dict.pt";
  private static final String PICKLED = "reference/%s/torch_model.pt";
  private static final String CHECKPOINT = "reference/%s/torch_checkpoint.pt";
  /** The state_dict of {@code nn.DataParallel(model)}: every key starts with {@code module.}. */
  private static final String DATAPARALLEL = "reference/%s/torch_module_prefixed.pt";
  private static final String LEGACY_STATE_DICT = "reference/%s/torch_legacy.pt";
  private static final String TORCHSCRIPT = "reference/%s/torchscript.pt";
  private static final String SAFETENSORS = "reference/%s/torch_model.safetensors";
  private static final String LEGACY_MODEL = "io/torch/%s/legacy_model.pt";
  private static final String TRACED = "io/torch/%s/torchscript_traced.pt";
  private static final String SCRIPTED = "io/torch/%s/torchscript_scripted.pt";
  private static final List<String> ALL_BUT_SCRIPTED = List.of(STATE_DICT, PICKLED, CHECKPOINT, DATAPARALLEL,
      LEGACY_STATE_DICT, TORCHSCRIPT, SAFETENSORS, LEGACY_MODEL, TRACED);

  /**
   * Every PyTorch file of each fixture model (fixtures/generate.py writes reference/,
   * fixtures/io/make_torch_io_fixtures.py io/torch/): simple_net has a state_dict and a whole model
   * only; activations no checkpoint, DataParallel or legacy state_dict, safetensors or reference
   * TorchScript; the custom-module models (custom, residual) a state_dict and TorchScript;
   * strided_same is Keras only.
   */
  static final Map<String, List<String>> FILES = Map.of(
      "simple_net", List.of(STATE_DICT, PICKLED),
      "mlp", ALL_BUT_SCRIPTED,
      "cnn", ALL_BUT_SCRIPTED,
      "batchnorm", ALL_BUT_SCRIPTED,
      "lenet5", ALL_BUT_SCRIPTED,
      "layernorm", plus(ALL_BUT_SCRIPTED, SCRIPTED),
      "activations", List.of(STATE_DICT, PICKLED, LEGACY_MODEL, TRACED, SCRIPTED),
      "custom", List.of(STATE_DICT, TRACED, SCRIPTED),
      "residual", List.of(STATE_DICT, TRACED, SCRIPTED),
      "strided_same", List.of());

  private static List<String> plus(List<String> list, String more) {
    List<String> out = new ArrayList<>(list);
    out.add(more);
    return List.copyOf(out);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (ReferenceModels.Case c : ReferenceModels.all()) {
      assertTrue(FILES.containsKey(c.fixture()), "no file list for " + c.fixture());
      for (String file : FILES.get(c.fixture())) {
        cases.add(Arguments.of(c, String.format(file, c.fixture())));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("cases")
  void reproducesPyTorch(ReferenceModels.Case c, String file) {
    Path path = Fixtures.root().resolve(file);
    assertTrue(Files.isRegularFile(path), "missing fixture " + path);
    Network net = Network.create(c.model().get(), 7);
    net.loadWeights(path);
    INDArray x = npy(c.fixture(), "input_torch.npy");
    // A Keras-vocabulary model takes channels-last images: same data, other layout.
    boolean keras = c.vocabulary() == Framework.KERAS;
    INDArray input = keras ? toChannelsLast(x) : x;
    INDArray expected = npy(c.fixture(), "output_torch.npy");
    assertClose(keras ? toChannelsLast(expected) : expected, net.forward(input), c + " <- " + file);
  }

  @Test
  void theListIsEveryPyTorchFileOfTheReferenceModels() throws IOException {
    for (String fixture : FILES.keySet()) {
      List<String> expected = new ArrayList<>();
      for (String file : FILES.get(fixture)) {
        expected.add(String.format(file, fixture));
      }
      List<String> found = new ArrayList<>();
      for (String dir : new String[] {"reference/" + fixture, "io/torch/" + fixture}) {
        Path folder = Fixtures.root().resolve(dir);
        if (Files.isDirectory(folder)) {
          try (Stream<Path> files = Files.list(folder)) {
            files.map(f -> f.getFileName().toString())
                .filter(f -> f.endsWith(".pt") || f.endsWith(".safetensors"))
                .forEach(f -> found.add(dir + "/" + f));
          }
        }
      }
      assertThat(found).as(fixture).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
