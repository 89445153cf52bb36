package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.examples.torch.nested.DeepNestNet;
import dev.sequent.examples.torch.resnet.NarrowResNet18Net;
import dev.sequent.examples.torch.resnet.ResNet18Net;
import dev.sequent.model.Shape;
import dev.sequent.model.report.NamedParam;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * torchvision's ResNet-18 declared with blocks ({@code examples/.../torch/resnet}): the summary is
 * torchinfo's table for {@code torchvision.models.resnet18()} line for line, the parameter names
 * and shapes are its {@code state_dict}'s, and the same declaration at a sixteenth of the width
 * loads the {@code state_dict} real torchvision saved and reproduces torchvision's output
 * (fixtures/make_block_fixtures.py, fixtures/blocks). torchinfo's text is compared as it is
 * (Sequent prints torchinfo's {@code (Units.MEGABYTES)} as Python 3.11 and later print it).
 */
class ResNetBlocksTest {
  private static Path dir() {
    return root().resolve("blocks");
  }

  private static String torchinfo(String file) throws IOException {
    return Files.readString(dir().resolve(file));
  }

  @Test
  void resnet18SummaryIsTorchinfosTable() throws IOException {
    assertThat(ResNet18Net.torchSummary()).isEqualTo(torchinfo("resnet18_torchinfo.txt"));
    assertThat(ResNet18Net.OUTPUT_SHAPE).isEqualTo(Shape.of(1000));
    assertThat(ResNet18Net.TORCH_PARAMS).isEqualTo(11_689_512L);
  }

  @Test
  void narrowResnet18SummaryIsTorchinfosTable() throws IOException {
    assertThat(NarrowResNet18Net.torchSummary()).isEqualTo(torchinfo("narrow_resnet18_torchinfo.txt"));
  }

  /** Five levels of user modules: rows below depth 3 summed into their container, the name column widened to 45. */
  @Test
  void deeplyNestedModulesAreTorchinfosTableAndReproducePytorch() throws IOException {
    assertThat(DeepNestNet.torchSummary()).isEqualTo(torchinfo("deep_nest_torchinfo.txt"));
    assertThat(DeepNestNet.parameters().stream().map(NamedParam::torchName))
        .contains("stem.weight", "stages.0.body.0.0.weight", "stages.1.body.1.1.running_mean", "head.bias");
    Network net = DeepNestNet.create().loadWeights(dir().resolve("deep_nest_state_dict.pt"));
    INDArray x = npy(dir().resolve("deep_nest_input.npy"));
    assertClose(npy(dir().resolve("deep_nest_output.npy")), net.forward(x), "DeepNest, batch 8");
    INDArray one = x.get(NDArrayIndex.interval(3, 4), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    assertClose(npy(dir().resolve("deep_nest_output.npy")).get(NDArrayIndex.interval(3, 4), NDArrayIndex.all()),
        net.forward(one), "DeepNest, sample 3");
  }

  @Test
  void theCommandLinePrintsTheTreeForTheCompiledClass() throws IOException {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = SequentCli.run("summary", "--class", "dev.sequent.examples.torch.resnet.ResNet18");
    } finally {
      System.setOut(stdout);
    }
    assertThat(code).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(torchinfo("resnet18_torchinfo.txt"));
  }

  /** Every state_dict entry of torchvision's resnet18 but the num_batches_tracked counters, in order. */
  @Test
  void parameterNamesAreTorchvisionsStateDict() throws IOException {
    JsonNode keys = new ObjectMapper().readTree(dir().resolve("resnet18_state_dict.json").toFile());
    List<String> expected = new ArrayList<>();
    for (JsonNode k : keys) {
      if (!k.get("name").asText().endsWith(".num_batches_tracked")) {
        expected.add(k.get("name").asText() + " " + k.get("shape"));
      }
    }
    List<String> actual = new ArrayList<>();
    for (NamedParam p : ResNet18Net.parameters()) {
      actual.add(p.torchName() + " " + p.storedShape().dims().toString().replace(" ", ""));
    }
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(actual).contains("layer1.0.conv1.weight [64,64,3,3]", "layer2.0.downsample.0.weight [128,64,1,1]",
        "layer4.1.bn2.running_var [512]");
  }

  @Test
  void narrowResnet18ReproducesTorchvision() {
    Network net = NarrowResNet18Net.create().loadWeights(dir().resolve("narrow_resnet18_state_dict.pt"));
    INDArray x = npy(dir().resolve("narrow_resnet18_input.npy"));
    INDArray y = npy(dir().resolve("narrow_resnet18_output.npy"));
    assertClose(y, net.forward(x), "NarrowResNet18, batch 8");
    for (int i = 0; i < 2; i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
      assertClose(y.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()), net.forward(one),
          "NarrowResNet18, sample " + i);
    }
  }

  /**
   * Sequent's whole-model {@code .h5} of the narrow ResNet-18 lists its weight groups in the order
   * real Keras 3 and tf_keras give the layers of the model rebuilt from its config (their legacy
   * loaders pair the groups with those layers by position; the ZeroPadding2D helpers put the
   * downsample convolution before the main branch's bn2), and its {@code .keras} puts each layer's
   * weights in the group real Keras 3 saves it under. Both recorded from real Keras by
   * fixtures/check_convert_writes.py, which also runs both files (narrow_resnet18_keras_order.json).
   */
  @Test
  void wholeKerasFilesListTheLayersInKerasOrder(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    JsonNode facts = new ObjectMapper().readTree(dir().resolve("narrow_resnet18_keras_order.json").toFile());
    Network net = NarrowResNet18Net.create().loadWeights(dir().resolve("narrow_resnet18_state_dict.pt"));
    Path h5 = tmp.resolve("narrow_resnet18.h5");
    net.saveWeights(h5);
    List<String> expectedOrder = new ArrayList<>();
    facts.get("tf_keras_layers_with_weights").forEach(n -> expectedOrder.add(n.asText()));
    assertThat(expectedOrder).containsSubsequence("layer2.0.conv2", "layer2.0.downsample.0", "layer2.0.bn2");
    try (io.jhdf.HdfFile file = new io.jhdf.HdfFile(h5)) {
      Object names = ((io.jhdf.api.Group) file.getChild("model_weights")).getAttribute("layer_names").getData();
      assertThat(List.of((String[]) names)).isEqualTo(expectedOrder);
    }
    List<String> keras3Order = new ArrayList<>();
    facts.get("keras3_layers_with_weights").forEach(n -> keras3Order.add(n.asText()));
    assertThat(keras3Order).isEqualTo(expectedOrder);

    Path archive = tmp.resolve("narrow_resnet18.keras");
    net.saveWeights(archive);
    Path weights = tmp.resolve("model.weights.h5");
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
      Files.copy(zip.getInputStream(zip.getEntry("model.weights.h5")), weights);
    }
    java.util.Map<String, String> groups = new java.util.TreeMap<>();
    try (io.jhdf.HdfFile file = new io.jhdf.HdfFile(weights)) {
      collectVars(file, groups);
    }
    java.util.Map<String, String> expectedGroups = new java.util.TreeMap<>();
    facts.get("keras3_weight_groups").fields().forEachRemaining(e -> expectedGroups.put(e.getKey(), e.getValue().asText()));
    assertThat(groups).isEqualTo(expectedGroups);
  }

  /** Every {@code <group>/vars} with datasets: the layer named by its {@code name} attribute to the group's path. */
  private static void collectVars(io.jhdf.api.Group group, java.util.Map<String, String> out) {
    for (io.jhdf.api.Node child : group.getChildren().values()) {
      if (child instanceof io.jhdf.api.Group g) {
        if (g.getName().equals("vars") && !g.getChildren().isEmpty()) {
          String path = g.getPath().replaceFirst("^/", "").replaceFirst("/vars/?$", "");
          out.put(String.valueOf(g.getAttribute("name").getData()), path);
        } else {
          collectVars(g, out);
        }
      }
    }
  }
}
