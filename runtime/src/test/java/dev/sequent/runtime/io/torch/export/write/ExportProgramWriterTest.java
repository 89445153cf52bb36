package dev.sequent.runtime.io.torch.export.write;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsFirst;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code .pt2} programs Sequent writes, checked where CI can (no PyTorch here): Keras models
 * saved by real Keras 3 (fixtures/pt2_writes/, fixtures/check_pt2_writes.py) are written as
 * programs and read back through Sequent's own {@code .pt2} reader, which must give Keras' outputs
 * on the input moved channels-first; the archive's schema version, symbolic batch, op list and
 * tensors are those written. That real {@code torch.export.load(f).module()} runs these programs
 * and reproduces Keras is what fixtures/check_pt2_writes.py checks, with real PyTorch 2.15.
 */
class ExportProgramWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path dir() {
    return root().resolve("pt2_writes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_cnn", "keras_graph", "keras_mlp", "keras_seq"})
  void programsReadBackGiveKerasOutputs(String stem, @TempDir Path tmp) throws IOException {
    Path program = tmp.resolve(stem + ".pt2");
    Network.load(dir().resolve(stem + ".keras")).saveWeights(program);
    Network back = Network.load(program);
    INDArray x = toChannelsFirst(npy(dir().resolve(stem + "_input.npy")));
    INDArray expected = npy(dir().resolve(stem + "_output.npy"));
    assertBatchAndEachSample(in -> toChannelsLast(back.forward(in)), x, expected, stem + ".pt2 read back");
  }

  /**
   * The program written is byte for byte the one real PyTorch loaded and ran to Keras' outputs in
   * fixtures/check_pt2_writes.py (its sha256 and verdict recorded in pt2_writes_check.json): a
   * writer change that no PyTorch has run fails here until the script is run again.
   */
  @ParameterizedTest
  @ValueSource(strings = {"keras_cnn", "keras_graph", "keras_mlp", "keras_seq"})
  void programsAreTheOnesRealPyTorchRan(String stem, @TempDir Path tmp) throws Exception {
    Path program = tmp.resolve(stem + ".pt2");
    Network.load(dir().resolve(stem + ".keras")).saveWeights(program);
    JsonNode verdict = json(dir().resolve("pt2_writes_check.json")).path("cases").path(stem);
    assertThat(verdict.path("verdict").asText()).as(stem + " verdict").isEqualTo("PASS");
    assertThat(verdict.path("schema_version").path("major").asInt()).isEqualTo(8);
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(program));
    assertThat(java.util.HexFormat.of().formatHex(digest)).as(stem + ".pt2 sha256 (rerun "
        + "fixtures/check_pt2_writes.py after changing the writer)").isEqualTo(verdict.path("program_sha256").asText());
  }

  /**
   * keras_graph (Conv2D relu, Conv2D, BatchNormalization, Activation sigmoid, Add, DepthwiseConv2D
   * stride 2 "same", GlobalAveragePooling2D, Dense sigmoid): the archive holds schema 8.20 (PyTorch 2.15's), a batch axis that is one symbol with range
   * [1, inf) on every input and output, the ATen ops of the twin (the channels-first convolution and
   * pool, a permute only where a Keras-order Flatten needs one), and the twin's state_dict tensors.
   */
  @Test
  void theArchiveRecordsSchemaBatchOpsAndTensors(@TempDir Path tmp) throws IOException {
    Network net = Network.load(dir().resolve("keras_graph.keras"));
    Path program = tmp.resolve("graph.pt2");
    net.saveWeights(program);
    JsonNode doc = entry(program, "archive/models/model.json");
    assertThat(doc.path("schema_version").path("major").asInt()).isEqualTo(ProgramGraph.SCHEMA_MAJOR).isEqualTo(8);
    assertThat(doc.path("schema_version").path("minor").asInt()).isEqualTo(20);
    assertThat(doc.path("torch_version").asText()).isEqualTo("2.15.0");
    assertThat(doc.path("range_constraints").path("s0").path("min_val").asInt()).isEqualTo(1);
    assertThat(doc.path("range_constraints").path("s0").path("max_val").isNull()).isTrue();
    JsonNode graph = doc.path("graph_module").path("graph");
    JsonNode specs = doc.path("graph_module").path("signature").path("input_specs");
    JsonNode last = specs.get(specs.size() - 1);
    assertThat(last.has("user_input")).as("the user input comes after the parameters and buffers").isTrue();
    String input = last.path("user_input").path("arg").path("as_tensor").path("name").asText();
    assertThat(graph.path("inputs").get(specs.size() - 1).path("as_tensor").path("name").asText()).isEqualTo(input);
    JsonNode inputSizes = graph.path("tensor_values").path(input).path("sizes");
    assertThat(inputSizes.get(0).path("as_expr").path("expr_str").asText()).contains("'s0'");
    assertThat(inputSizes.get(1).path("as_int").asInt()).isEqualTo(net.model().inputShape().dim(2)); // channels
    List<String> ops = new ArrayList<>();
    graph.path("nodes").forEach(n -> ops.add(n.path("target").asText()));
    assertThat(new TreeSet<>(ops)).containsExactlyInAnyOrderElementsOf(List.of(
        "torch.ops.aten.conv2d.default", "torch.ops.aten.batch_norm.default", "torch.ops.aten.relu.default",
        "torch.ops.aten.add.Tensor", "torch.ops.aten.mean.dim", "torch.ops.aten.linear.default",
        "torch.ops.aten.sigmoid.default"));
    // Conv2D(relu), Conv2D, DepthwiseConv2D (a grouped conv2d); no permute: every image op is channels-first
    assertThat(ops).filteredOn("torch.ops.aten.conv2d.default"::equals).hasSize(3);
    assertThat(doc.path("graph_module").path("module_call_graph").get(0).path("signature").path("in_spec").asText())
        .startsWith("[1,{\"type\":\"builtins.tuple\"");

    WeightFile read = WeightFiles.read(program);
    Map<String, INDArray> stateDict = net.stateDict();
    assertThat(read.tensors().keySet()).isSubsetOf(stateDict.keySet()).isNotEmpty();
    read.tensors().forEach((name, t) -> assertThat(t.data()).as(name)
        .containsExactly(stateDict.get(name).dup('c').reshape(-1).toFloatVector()));
    JsonNode weights = entry(program, "archive/data/weights/model_weights_config.json").path("config");
    assertThat(weights.path("batch_normalization.running_var").path("is_param").asBoolean()).isFalse();
    assertThat(weights.path("conv2d.weight").path("is_param").asBoolean()).isTrue();
    assertThat(text(program, "archive/archive_format")).isEqualTo("pt2");
    assertThat(text(program, "archive/archive_version")).isEqualTo("0");
  }

  /** A Flatten of a channels-last image that feeds a Dense flattens channels-first, as the twin's weight rows are. */
  @Test
  void aFlattenBeforeADenseFlattensTheTwinsOrder(@TempDir Path tmp) throws IOException {
    Path program = tmp.resolve("cnn.pt2");
    Network.load(dir().resolve("keras_cnn.keras")).saveWeights(program);
    List<String> ops = new ArrayList<>();
    entry(program, "archive/models/model.json").path("graph_module").path("graph").path("nodes")
        .forEach(n -> ops.add(n.path("target").asText()));
    assertThat(ops).contains("torch.ops.aten.flatten.using_ints").doesNotContain("torch.ops.aten.permute.default");
  }

  /** A Keras-order operation on a transposed image (a Permute after a Reshape) gets its permute. */
  @Test
  void modelLayoutLayersGetTheirAxes(@TempDir Path tmp) throws IOException {
    Path program = tmp.resolve("seq.pt2");
    Network.load(dir().resolve("keras_seq.keras")).saveWeights(program);
    List<String> ops = new ArrayList<>();
    entry(program, "archive/models/model.json").path("graph_module").path("graph").path("nodes")
        .forEach(n -> ops.add(n.path("target").asText()));
    assertThat(ops).contains("torch.ops.aten.reshape.default", "torch.ops.aten.layer_norm.default");
  }

  /** Every layer Sequent cannot lower is named, with its kind, in one message, and nothing is written. */
  @Test
  void aModelWithoutAtenLoweringsIsRefusedNamingEveryLayer(@TempDir Path tmp) throws IOException {
    Path program = tmp.resolve("prelu.pt2");
    Network net = Network.load(root().resolve("conv_family/keras_prelu_elementwise.keras"));
    assertThatThrownBy(() -> net.saveWeights(program)).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("as a torch.export program").hasMessageContaining("(PReLU)")
        .hasMessageContaining("Nothing was written");
    assertThat(program).doesNotExist();
    Path gru = tmp.resolve("gru.pt2");
    Network recurrent = Network.load(root().resolve("recurrent/keras_gru.keras"));
    assertThatThrownBy(() -> recurrent.saveWeights(gru)).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("(GRU)");
    assertThat(gru).doesNotExist();
  }

  /** Every lowering is for a registered layer kind, once. */
  @Test
  void everyLoweringIsForARegisteredKind() {
    for (AtenLowering<?> lowering : AtenLowerings.ALL) {
      assertThat(LayerKinds.all()).as(lowering.getClass().getSimpleName())
          .anyMatch(k -> k.recordType().equals(lowering.recordType()));
    }
    assertThat(AtenLowerings.recordNames()).doesNotHaveDuplicates().hasSize(AtenLowerings.ALL.size());
  }

  private static JsonNode entry(Path zip, String name) throws IOException {
    return JSON.readTree(text(zip, name));
  }

  private static String text(Path zip, String name) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      assertThat(z.getEntry(name)).as(name).isNotNull();
      return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
