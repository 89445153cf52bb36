package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Framework;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names and shapes Sequent gives each parameter are the ones the real frameworks wrote:
 * Keras 2 weight names, Keras 3 variable paths, PyTorch state_dict keys, each in file order.
 */
class ParameterNamesTest {

  static Stream<ReferenceModels.Case> kerasModels() {
    return ReferenceModels.keras().stream();
  }

  static Stream<ReferenceModels.Case> torchModels() {
    return ReferenceModels.torch().stream();
  }

  private static String shape(NamedParam p, Framework f) {
    return Arrays.toString(p.spec().shape(f).dims().stream().mapToLong(Integer::longValue).toArray());
  }

  private static List<String> shapes(WeightFile f) {
    return f.tensors().values().stream().map(t -> Arrays.toString(t.shape())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasModels")
  void kerasNamesAreTheFilesNames(ReferenceModels.Case c) {
    List<NamedParam> params = ParameterNames.of(c.model().get());
    WeightFile keras2 = WeightFiles.read(reference(c.fixture(), "keras2.h5"));
    assertThat(params.stream().map(NamedParam::keras2Name).toList())
        .containsExactlyElementsOf(keras2.tensors().keySet());
    assertThat(params.stream().map(p -> shape(p, Framework.KERAS)).toList()).containsExactlyElementsOf(shapes(keras2));
    WeightFile keras3 = WeightFiles.read(reference(c.fixture(), "keras3.weights.h5"));
    assertThat(params.stream().map(NamedParam::keras3Name).toList())
        .containsExactlyInAnyOrderElementsOf(keras3.tensors().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchModels")
  void torchNamesAreTheStateDictKeys(ReferenceModels.Case c) {
    List<NamedParam> params = ParameterNames.of(c.model().get());
    WeightFile sd = WeightFiles.read(reference(c.fixture(), "torch_state_dict.pt"));
    List<String> keys = sd.tensors().keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).toList();
    assertThat(params.stream().map(NamedParam::torchName).toList()).containsExactlyElementsOf(keys);
    for (NamedParam p : params) {
      NamedTensor t = sd.tensors().get(p.torchName());
      assertThat(shape(p, Framework.TORCH)).as(p.torchName()).isEqualTo(Arrays.toString(t.shape()));
    }
  }
}
