package dev.sequent.runtime.io.torch.export;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.MultiHeadAttention;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Programs saved by real PyTorch with {@code torch.export.save} (fixtures/make_export_fixtures.py),
 * in the default ATen form and after {@code run_decompositions()}, run through {@link Network#load}
 * with no Java source against PyTorch's outputs: the batch of 8 in one call and each sample alone.
 */
class ExportedProgramTest {
  private static Path dir() {
    return root().resolve("export");
  }

  @ParameterizedTest
  @ValueSource(strings = {"narrow_resnet18.pt2", "narrow_resnet18_core.pt2", "mobilenet_v2.pt2",
      "mobilenet_v2_core.pt2", "functional.pt2", "functional_core.pt2", "lstm_classifier.pt2",
      "lstm_classifier_core.pt2", "custom_attention.pt2", "slicing.pt2", "slicing_core.pt2", "held_tensors.pt2", "held_tensors_core.pt2", "transformer_encoder.pt2",
      "transformer_encoder_core.pt2"})
  void exportedProgramsGivePyTorchOutputs(String file) {
    assertPyTorchOutput(Network.load(dir().resolve(file)), dir(), file, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet18.pt2", "resnet18_core.pt2", "mobilenet_v2.pt2", "mobilenet_v2_core.pt2"})
  void fullSizeTorchvisionProgramsGivePyTorchOutputs(String file) {
    Path large = root().resolve("large").resolve("export");
    assumeTrue(Files.exists(large.resolve(file)),
        "fixtures/large/export/" + file + " not generated (python fixtures/make_export_fixtures.py --large)");
    assertPyTorchOutput(Network.load(large.resolve(file)), large, file, false);
  }

  /**
   * The graph keeps the program's input name and recorded sample shape, the modules' paths as node
   * names (so a state_dict pairs by name), a residual block's add as a merge of two nodes, an
   * LSTM's out[:, -1] folded into the layer, and a module called twice as a node sharing weights.
   */
  @Test
  void theModelKeepsTheProgramsNamesAndShapes() {
    ModelSpec resnet = Network.load(dir().resolve("narrow_resnet18_core.pt2")).model().spec();
    assertThat(resnet.inputs()).containsExactly(new ModelSpec.Input("x", Shape.of(3, 32, 32)));
    assertThat(resnet.nodes()).extracting(Node::name).contains("conv1", "bn1", "layer1.0.conv1",
        "layer2.0.downsample.0", "layer2.0.downsample.1", "fc");
    assertThat(resnet.nodes().stream().filter(n -> n.layer() instanceof ElementwiseMerge)).hasSize(8)
        .allMatch(n -> n.inputs().size() == 2);
    ModelSpec lstm = Network.load(dir().resolve("lstm_classifier.pt2")).model().spec();
    assertThat(lstm.inputs()).containsExactly(new ModelSpec.Input("ids", Shape.of(5)));
    assertThat(lstm.nodes()).extracting(Node::name).containsExactly("embedding", "lstm", "fc");
    assertThat(((Recurrent) lstm.node("lstm").layer()).output()).isEqualTo(Recurrent.Output.LAST_STEP);
    // Core ATen IR's unrolled LSTM is read as the module: the same three layers
    ModelSpec unrolled = Network.load(dir().resolve("lstm_classifier_core.pt2")).model().spec();
    assertThat(unrolled.nodes()).extracting(Node::name).containsExactly("embedding", "lstm", "fc");
    assertThat(unrolled.node("lstm").layer()).isEqualTo(lstm.node("lstm").layer());
    // self.left called twice: one node owns the weights, the second call shares them
    ModelSpec functional = Network.load(dir().resolve("functional_core.pt2")).model().spec();
    assertThat(functional.nodes()).filteredOn(Node::sharesWeights).extracting(Node::sharesWeightsOf)
        .containsExactly("left");
  }

  /**
   * Arithmetic with a tensor a module holds is a layer holding it under the module's path, so the
   * archive's parameters and buffers pair by their state_dict names; one of the top-level module
   * is refused, naming it.
   */
  @Test
  void heldTensorsAreLayersNamedByTheirModule() {
    Network net = Network.load(dir().resolve("held_tensors_core.pt2"));
    assertThat(net.stateDict().keySet()).contains("scale.layer_scale", "sequence.pos_embedding.value",
        "sequence.offset.value", "sequence.spread.value", "scale.conv.weight");
    assertThatThrownBy(() -> Network.load(dir().resolve("top_level_tensor.pt2")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("it computes with the tensor scale_buffer of the top-level module");
  }

  /** Every op Sequent lacks is named in one message, with its node count, and the program is built no further. */
  @ParameterizedTest
  @ValueSource(strings = {"unsupported.pt2"})
  void aRefusedProgramNamesEveryMissingOpAtOnce(String file) {
    assertThatThrownBy(() -> Network.load(dir().resolve(file)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageStartingWith("Sequent cannot build this torch.export program (written by PyTorch ")
        .hasMessageEndingWith("ATen ops Sequent does not run: aten.abs.default (1 node: abs_1), aten.cumsum.default "
            + "(1 node: cumsum), aten.fft_rfft.default (1 node: fft_rfft), aten.sort.default (1 node: sort)");
  }

  /**
   * nn.MultiheadAttention's forward computes time-major and folds the batch into the heads, which
   * per-sample layers cannot follow op by op: each call is read whole, in the default export and in
   * Core ATen IR alike, as one MultiHeadAttention node named by the module's path, whose parameters
   * are the module's state_dict entries; the rest of the encoder layer is read op by op.
   */
  @ParameterizedTest
  @ValueSource(strings = {"transformer_encoder.pt2", "transformer_encoder_core.pt2"})
  void eachMultiheadAttentionCallIsOneAttentionLayer(String file) {
    Network net = Network.load(dir().resolve(file));
    ModelSpec spec = net.model().spec();
    assertThat(spec.nodes()).filteredOn(n -> n.layer() instanceof MultiHeadAttention).extracting(Node::name)
        .containsExactly("layers.0.self_attn", "layers.1.self_attn");
    MultiHeadAttention a = (MultiHeadAttention) spec.node("layers.0.self_attn").layer();
    assertThat(a.heads()).isEqualTo(2);
    assertThat(a.batchFirst()).isTrue();
    assertThat(net.stateDict().keySet()).contains("layers.0.self_attn.in_proj_weight",
        "layers.0.self_attn.out_proj.bias", "layers.1.linear2.weight", "layers.1.norm2.bias");
  }

  /**
   * A program of another schema major is refused before anything is built from it, naming both
   * versions. The file is the real narrow_resnet18.pt2 with only its schema_version's major changed
   * (re-zipped, deflated: the reader inflates what another tool compressed).
   */
  @Test
  void anotherSchemaMajorIsRefusedNamingBothVersions(@TempDir Path tmp) throws IOException {
    Path changed = tmp.resolve("future.pt2");
    try (ZipFile in = new ZipFile(dir().resolve("narrow_resnet18.pt2").toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(changed))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().endsWith("models/model.json")) {
          String json = new String(bytes, StandardCharsets.UTF_8);
          assertThat(json).contains("\"schema_version\": {\"major\": 8,");
          bytes = json.replace("\"schema_version\": {\"major\": 8,", "\"schema_version\": {\"major\": 9,")
              .getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    assertThatThrownBy(() -> Network.load(changed))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("schema version 9.")
        .hasMessageContaining("Sequent reads schema version 8.x");
  }

  private static void assertPyTorchOutput(Network net, Path dir, String file, boolean eachSample) {
    String stem = file.replaceFirst("(_core)?\\.pt2$", "");
    INDArray x = npy(dir.resolve(stem + "_input.npy"));
    INDArray expected = npy(dir.resolve(stem + "_output.npy"));
    if (eachSample) {
      assertBatchAndEachSample(net::forward, x, expected, file);
    } else {
      assertClose(expected, net.forward(x), file + " batch");
    }
  }
}
