package dev.sequent.runtime.io.torch;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.MultiHeadAttention;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.torch.export.ExportedProgramArchitecture;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TorchScript archives of modules that are not {@code nn.Sequential}, saved by real PyTorch
 * (fixtures/make_torchscript_graph_fixtures.py), run through {@link Network#load} with no Java
 * source against PyTorch's outputs: the batch of 8 in one call and each sample alone (both op paths).
 */
class TorchScriptGraphTest {
  private static Path dir() {
    return root().resolve("torchscript_graphs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"narrow_resnet18_traced.pt", "mobilenet_v2_traced.pt", "densenet_traced.pt",
      "lstm_classifier_traced.pt", "transformer_encoder_traced.pt", "functional_traced.pt", "custom_traced.pt",
      "custom_scripted.pt", "narrow_resnet18_scripted.pt", "mobilenet_v2_scripted.pt", "densenet_scripted.pt",
      "lstm_classifier_scripted.pt"})
  void modulesGivePyTorchOutputs(String file) {
    String stem = file.replaceFirst("_(traced|scripted)\\.pt$", "");
    INDArray x = npy(dir().resolve(stem + "_input.npy"));
    INDArray expected = npy(dir().resolve(stem + "_output.npy"));
    assertBatchAndEachSample(load(file, x)::forward, x, expected, file);
  }

  private static Network load(String file, INDArray x) {
    long[] sample = Arrays.copyOfRange(x.shape(), 1, x.rank());
    return Network.load(dir().resolve(file), new Shape(Arrays.stream(sample).mapToInt(d -> (int) d).boxed().toList()));
  }

  /**
   * Submodules' paths name the nodes (so the state_dict pairs by name), a BasicBlock's add is a
   * merge of two nodes, the LSTM's out[:, -1] (a whole-range slice, then a select) is folded into
   * the layer, each encoder layer's fused call is an attention named by its module, a module called
   * twice shares its weights, and token ids are read as integers.
   */
  @Test
  void theGraphKeepsModulePathsAndStructure() {
    ModelSpec resnet = Network.load(dir().resolve("narrow_resnet18_traced.pt"), Shape.of(3, 32, 32)).model().spec();
    assertThat(resnet.nodes()).extracting(Node::name).contains("conv1", "bn1", "layer1.0.conv1",
        "layer2.0.downsample.0", "layer2.0.downsample.1", "fc");
    assertThat(resnet.nodes().stream().filter(n -> n.layer() instanceof ElementwiseMerge)).hasSize(8)
        .allMatch(n -> n.inputs().size() == 2);
    ModelSpec lstm = Network.load(dir().resolve("lstm_classifier_traced.pt"), Shape.of(5)).model().spec();
    assertThat(lstm.nodes()).extracting(Node::name).containsExactly("embedding", "lstm", "fc");
    assertThat(((Recurrent) lstm.node("lstm").layer()).output()).isEqualTo(Recurrent.Output.LAST_STEP);
    ModelSpec encoder = Network.load(dir().resolve("transformer_encoder_traced.pt"), Shape.of(5, 16)).model().spec();
    assertThat(encoder.nodes()).filteredOn(n -> n.layer() instanceof MultiHeadAttention).extracting(Node::name)
        .containsExactly("layers.0.self_attn", "layers.1.self_attn");
    assertThat(encoder.nodes()).extracting(Node::name).contains("layers.0.norm1", "layers.0.linear1",
        "layers.1.linear2", "layers.1.norm2");
    ModelSpec functional = Network.load(dir().resolve("functional_traced.pt"), Shape.of(3, 16, 16)).model().spec();
    assertThat(functional.nodes()).filteredOn(Node::sharesWeights).extracting(Node::sharesWeightsOf)
        .containsExactly("left");
  }

  /** Every op with no translation is named at once, each with its places in the archive. */
  @Test
  void aRefusedModuleNamesEveryMissingOpWithItsLine() {
    assertThatThrownBy(() -> Network.load(dir().resolve("unsupported_traced.pt"), Shape.of(6)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessage("Sequent cannot build the TorchScript module __torch__.make_export_fixtures.Unsupported (its "
            + "forward and its submodules' read as one graph of ATen calls): ops Sequent does not run: torch.abs "
            + "(1 call: code/__torch__/make_export_fixtures.py:11), torch.cumsum (1 call: "
            + "code/__torch__/make_export_fixtures.py:11), torch.fft_rfft (1 call: "
            + "code/__torch__/make_export_fixtures.py:11), torch.sort (1 call: code/__torch__/make_export_fixtures.py:10)");
  }

  /** Scripted control flow on a computed value is refused naming the construct and its line, with the rest. */
  @Test
  void controlFlowOnComputedValuesIsRefusedWithItsLine() {
    assertThatThrownBy(() -> Network.load(dir().resolve("branchy_scripted.pt"), Shape.of(4)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("ops Sequent does not run: torch.sum (1 call: code/__torch__.py:11)")
        .hasMessageContaining("constructs Sequent does not run: ")
        .hasMessageContaining("the statement \"for _0 in range(2):\" (code/__torch__.py:16)");
  }

  /** ShuffleNetV2's channel split (torch.chunk) and its size arithmetic on a constant tensor are not read yet. */
  @Test
  void shuffleNetIsRefusedByWhatItStillNeeds() {
    assertThatThrownBy(() -> Network.load(dir().resolve("shufflenet_v2_traced.pt"), Shape.of(3, 32, 32)))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("torch.chunk (3 calls: code/__torch__/torchvision/models/shufflenetv2/")
        .hasMessageContaining("torch.floor_divide (")
        .hasMessageNotContaining("torch.size");
  }

  /** A TorchScript archive does not record its input's size: without one the module is refused saying so. */
  @Test
  void withoutAnInputShapeTheModuleIsRefused() {
    assertThatThrownBy(() -> Network.load(dir().resolve("narrow_resnet18_traced.pt")))
        .isInstanceOf(UnsupportedArchitectureException.class)
        .hasMessageContaining("does not record its input's shape");
  }

  /** One op table: every TorchScript spelling maps onto an op the export reader lowers. */
  @Test
  void everyTorchScriptOpMapsOntoALoweredOp() {
    assertThat(ExportedProgramArchitecture.loweredOps()).containsAll(TorchScriptOps.exportedOps());
    assertThat(TorchScriptOps.names()).contains("_convolution", "batch_norm", "linear", "lstm", "embedding",
        "add_", "cat", "flatten", "_native_multi_head_attention");
  }
}
