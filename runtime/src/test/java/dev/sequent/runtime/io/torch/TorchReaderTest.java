package dev.sequent.runtime.io.torch;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real torch.save output: every form read, every refusal explained. */
class TorchReaderTest {

  private static final List<String> LENET_KEYS = List.of("0.weight", "0.bias", "3.weight", "3.bias",
      "6.weight", "6.bias", "9.weight", "9.bias", "11.weight", "11.bias");

  @Test
  void stateDictKeepsPyTorchOrderAndShapes() {
    WeightFile f = TorchReader.read(reference("lenet5", "torch_state_dict.pt"));
    assertThat(f.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    assertThat(f.tensors().get("0.weight").shape()).containsExactly(6, 1, 5, 5);
    assertThat(f.tensors().get("9.weight").shape()).containsExactly(84, 120);
    assertThat(f.torchModule()).isEmpty();
  }

  @Test
  void wholeModelGivesTheSameTensorsAndTheModuleTree() {
    WeightFile state = TorchReader.read(reference("lenet5", "torch_state_dict.pt"));
    WeightFile whole = TorchReader.read(reference("lenet5", "torch_model.pt"));
    assertThat(whole.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    for (String k : LENET_KEYS) {
      assertThat(whole.tensors().get(k).data()).isEqualTo(state.tensors().get(k).data());
    }
    var root = whole.torchModule().orElseThrow();
    assertThat(root.className()).isEqualTo("torch.nn.modules.container.Sequential");
    assertThat(root.children().keySet()).hasSize(13);
    var c1 = root.children().get("0");
    assertThat(c1.simpleName()).isEqualTo("Conv2d");
    assertThat(c1.attributes()).containsEntry("out_channels", 6).containsEntry("padding", List.of(2, 2));
    assertThat(root.children().get("12").attributes()).containsEntry("dim", 1);
  }

  @Test
  void batchNormBuffersComeAsTensorsIncludingTheCounter() {
    WeightFile f = TorchReader.read(reference("batchnorm", "torch_state_dict.pt"));
    assertThat(f.tensors().keySet()).containsExactly("0.weight", "0.bias", "0.running_mean", "0.running_var",
        "0.num_batches_tracked", "1.weight", "1.bias");
    NamedTensor counter = f.tensors().get("0.num_batches_tracked");
    assertThat(counter.shape()).isEmpty();
    assertThat(counter.data()).containsExactly(37f); // set by generate.py
  }

  @Test
  void checkpointEntryIsFoundAndPrefixesStripped() {
    WeightFile state = TorchReader.read(reference("lenet5", "torch_state_dict.pt"));
    WeightFile checkpoint = TorchReader.read(reference("lenet5", "torch_checkpoint.pt"));
    assertThat(checkpoint.format()).isEqualTo("torch-zip/checkpoint[model]");
    assertThat(checkpoint.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    WeightFile prefixed = TorchReader.read(reference("lenet5", "torch_module_prefixed.pt"),
        TorchReadOptions.DEFAULT.withStripPrefix("module."));
    assertThat(prefixed.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    assertThat(prefixed.tensors().get("3.weight").data()).isEqualTo(state.tensors().get("3.weight").data());
  }

  @Test
  void disallowedGlobalIsRefusedByNameAndNothingRuns() throws Exception {
    Path evil = root().resolve("bad/evil_global.pt");
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(evil));
    assertThat(e.getMessage()).startsWith(evil.toString()).contains("refused to load").containsPattern("(posix|os)\\.system");
    assertThat(Files.exists(Path.of("PWNED"))).isFalse();
  }

  @Test
  void customModuleClassIsRefused() {
    Path custom = root().resolve("bad/custom_module.pt");
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(custom));
    assertThat(e.getMessage()).contains("__main__.MyNet").contains("allow-list");
  }

  @Test
  void storageShorterThanItsTensorIsRefusedWithSizes() {
    Path damaged = root().resolve("bad/short_storage.pt");
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(damaged));
    // Linear(4, 3).weight: 12 float32 values = 48 bytes; the damaged storage keeps 24.
    assertThat(e.getMessage()).contains("tensor 0.weight").contains("needs 48 bytes").contains("holds 24");
  }

  @Test
  void torchScriptAndLegacyFilesGetAReason() {
    assertThat(assertThrows(WeightFileException.class,
        () -> TorchReader.read(reference("lenet5", "torchscript.pt"))).getMessage()).contains("TorchScript");
    assertThat(assertThrows(WeightFileException.class,
        () -> TorchReader.read(reference("lenet5", "torch_legacy.pt"))).getMessage()).contains("legacy");
  }
}
