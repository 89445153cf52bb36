package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.Framework;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names and shapes Sequent gives each parameter are the ones the real frameworks wrote, in
 * the order they wrote them, each name with its shape:
 *
 * <ul>
 *   <li>Keras-vocabulary models: the Keras 2 weight names of {@code keras2.h5} and
 *       {@code keras2_weights.h5} (in the files' {@code weight_names} order); the Keras 3 variable
 *       paths of {@code keras3.weights.h5} and of the {@code model.weights.h5} inside
 *       {@code keras3.keras} (in the model's layer order, see {@link #keras3Variables}); and the
 *       state_dict keys of the PyTorch twin's {@code torch_state_dict.pt}, with PyTorch's shapes,
 *       where the model has a PyTorch twin;
 *   <li>PyTorch-vocabulary models: the state_dict keys of {@code torch_state_dict.pt}, in its
 *       order ({@code num_batches_tracked}, a counter that is no parameter, left out).
 * </ul>
 */
class ParameterNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<ReferenceModels.Case> kerasModels() {
    return ReferenceModels.keras().stream();
  }

  static Stream<ReferenceModels.Case> torchModels() {
    return ReferenceModels.torch().stream();
  }

  private static String shape(NamedParam p, Framework f) {
    return Arrays.toString(p.spec().shape(f).dims().stream().mapToInt(Integer::intValue).toArray());
  }

  /** "name [d0, d1, ...]" for each parameter, in order. */
  private static List<String> named(List<NamedParam> params, java.util.function.Function<NamedParam, String> name,
      Framework layout) {
    return params.stream().map(p -> name.apply(p) + " " + shape(p, layout)).toList();
  }

  /** "name [d0, d1, ...]" for each tensor of a file Sequent read, in the reader's (the file's) order. */
  private static List<String> named(WeightFile f) {
    return f.tensors().values().stream().map(t -> t.name() + " " + Arrays.toString(t.shape())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasModels")
  void kerasNamesAreTheFilesNames(ReferenceModels.Case c) throws IOException {
    List<NamedParam> params = ParameterNames.of(c.model().get());
    for (String file : new String[] {"keras2.h5", "keras2_weights.h5"}) {
      assertThat(named(params, NamedParam::keras2Name, Framework.KERAS)).as(file)
          .containsExactlyElementsOf(named(WeightFiles.read(reference(c.fixture(), file))));
    }
    List<String> keras3 = named(params, NamedParam::keras3Name, Framework.KERAS);
    Path archive = reference(c.fixture(), "keras3.keras");
    List<String> layerOrder = kerasLayerOrder(archive);
    try (HdfFile weights = new HdfFile(reference(c.fixture(), "keras3.weights.h5"))) {
      assertThat(keras3).as("keras3.weights.h5").containsExactlyElementsOf(keras3Variables(weights, layerOrder));
    }
    try (ZipFile zip = new ZipFile(archive.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("model.weights.h5"));
        HdfFile weights = HdfFile.fromInputStream(in)) {
      assertThat(keras3).as("keras3.keras").containsExactlyElementsOf(keras3Variables(weights, layerOrder));
    }

    if (!c.fixture().equals("strided_same")) { // the one Keras-only reference model
      assertThat(named(params, NamedParam::torchName, Framework.TORCH)).as("the PyTorch twin's torch_state_dict.pt")
          .containsExactlyElementsOf(stateDict(c.fixture()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchModels")
  void torchNamesAreTheStateDictKeys(ReferenceModels.Case c) {
    List<NamedParam> params = ParameterNames.of(c.model().get());
    assertThat(named(params, NamedParam::torchName, Framework.TORCH)).containsExactlyElementsOf(stateDict(c.fixture()));
  }

  /** torch_state_dict.pt's keys and shapes in its order, without BatchNorm's step counter. */
  private static List<String> stateDict(String fixture) {
    return WeightFiles.read(reference(fixture, "torch_state_dict.pt")).tensors().values().stream()
        .filter(t -> !t.name().endsWith(".num_batches_tracked"))
        .map(t -> t.name() + " " + Arrays.toString(t.shape())).toList();
  }

  /**
   * The layer names of the model in {@code config.json} of a real {@code .keras} archive, in
   * order, without its InputLayer.
   */
  private static List<String> kerasLayerOrder(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile()); InputStream in = zip.getInputStream(zip.getEntry("config.json"))) {
      JsonNode config = JSON.readTree(in);
      List<String> names = new ArrayList<>();
      for (JsonNode layer : config.get("config").get("layers")) {
        if (!layer.get("class_name").asText().equals("InputLayer")) {
          names.add(layer.get("config").get("name").asText());
        }
      }
      return names;
    }
  }

  /**
   * The variables of a real Keras 3 weights file, "path [shape]", in the order Keras keeps them:
   * HDF5 lists a group's members by name ({@code layers/dense_10} before {@code layers/dense_2}),
   * so the order is rebuilt from what Keras wrote, independently of Sequent's readers: each
   * {@code layers/<x>/vars} group carries its layer's name in its {@code name} attribute, the
   * layers come in the order of the archive's {@code config.json}, and a layer's variables are
   * {@code vars/0}, {@code vars/1}, ... in {@code layer.weights} order.
   */
  static List<String> keras3Variables(HdfFile file, List<String> layerOrder) {
    Map<String, Group> varsByLayer = new LinkedHashMap<>();
    Node layers = file.getChildren().get("layers");
    assertThat(layers).isInstanceOf(Group.class);
    for (Node node : ((Group) layers).getChildren().values()) {
      Node vars = ((Group) node).getChildren().get("vars");
      assertThat(vars).as(node.getPath() + "/vars").isInstanceOf(Group.class);
      Attribute name = vars.getAttribute("name");
      assertThat(name).as(vars.getPath() + " names its layer").isNotNull();
      Object data = name.getData();
      String layer = data instanceof String[] array ? array[0] : data.toString();
      assertThat(varsByLayer.put(layer, (Group) vars)).as(vars.getPath() + ": two groups for " + layer).isNull();
    }
    varsByLayer.forEach((layer, vars) -> assertThat(layerOrder.contains(layer) || vars.getChildren().isEmpty())
        .as(vars.getPath() + " holds variables of " + layer + ", which the config does not list").isTrue());
    List<String> out = new ArrayList<>();
    for (String layer : layerOrder) {
      Group vars = varsByLayer.get(layer);
      assertThat(vars).as("the group of layer " + layer).isNotNull();
      for (int i = 0; i < vars.getChildren().size(); i++) {
        Node v = vars.getChildren().get(String.valueOf(i));
        assertThat(v).as(vars.getPath() + "/" + i).isInstanceOf(Dataset.class);
        out.add(v.getPath().substring(1) + " " + Arrays.toString(((Dataset) v).getDimensions()));
      }
    }
    return out;
  }
}
