package dev.sequent.runtime.io.torch;

import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.torchIo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Real torch.save / torch.jit.save output (fixtures/reference and fixtures/io/torch): every form
 * read, every refusal explained.
 */
class TorchReaderTest {

  private static final List<String> LENET_KEYS = List.of("0.weight", "0.bias", "3.weight", "3.bias",
      "6.weight", "6.bias", "9.weight", "9.bias", "11.weight", "11.bias");

  @Test
  void stateDictKeepsPyTorchOrderAndShapes() {
    WeightFile f = TorchReader.read(reference("lenet5", "torch_state_dict.pt"));
    assertThat(f.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    assertThat(f.tensors().get("0.weight").shape()).containsExactly(6, 1, 5, 5);
    assertThat(f.tensors().get("9.weight").shape()).containsExactly(84, 120);
    assertThat(TorchReader.moduleTree(f)).isEmpty();
  }

  @Test
  void wholeModelGivesTheSameTensorsAndTheModuleTree() {
    WeightFile state = TorchReader.read(reference("lenet5", "torch_state_dict.pt"));
    WeightFile whole = TorchReader.read(reference("lenet5", "torch_model.pt"));
    assertThat(whole.tensors().keySet()).containsExactlyElementsOf(LENET_KEYS);
    for (String k : LENET_KEYS) {
      assertThat(whole.tensors().get(k).data()).isEqualTo(state.tensors().get(k).data());
    }
    var root = TorchReader.moduleTree(whole).orElseThrow();
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

  /** Every other form of the same weights, for the models with a pickled twin of each. */
  static Stream<Arguments> sameWeightsOtherForms() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String model : new String[] {"lenet5", "mlp"}) {
      cases.add(Arguments.of(model, reference(model, "torch_legacy.pt"), "torch-legacy"));
      cases.add(Arguments.of(model, reference(model, "torchscript.pt"), "torchscript"));
      cases.add(Arguments.of(model, torchIo(model, "legacy_model.pt"), "torch-legacy"));
      cases.add(Arguments.of(model, torchIo(model, "torchscript_traced.pt"), "torchscript"));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("sameWeightsOtherForms")
  void legacyAndTorchScriptFilesGiveTheStateDictsTensors(String model, Path file, String format) {
    WeightFile state = TorchReader.read(reference(model, "torch_state_dict.pt"));
    WeightFile other = TorchReader.read(file);
    assertThat(other.format()).isEqualTo(format);
    assertThat(other.tensors().keySet()).containsExactlyElementsOf(state.tensors().keySet());
    for (String k : state.tensors().keySet()) {
      assertThat(other.tensors().get(k).shape()).as(k).isEqualTo(state.tensors().get(k).shape());
      assertThat(other.tensors().get(k).data()).as(k).isEqualTo(state.tensors().get(k).data());
    }
  }

  @Test
  void legacyWholeModelHasTheSameModuleTreeAsTheZipOne() {
    for (String model : new String[] {"lenet5", "mlp", "batchnorm", "activations"}) {
      TorchModule zip = TorchReader.moduleTree(TorchReader.read(reference(model, "torch_model.pt"))).orElseThrow();
      TorchModule legacy =
          TorchReader.moduleTree(TorchReader.read(torchIo(model, "legacy_model.pt"))).orElseThrow();
      assertThat(legacy).as(model).isEqualTo(zip);
    }
    assertThat(TorchReader.moduleTree(TorchReader.read(reference("lenet5", "torch_legacy.pt")))).isEmpty();
  }

  @Test
  void scriptedModuleTreeHasTheLayersConstants() {
    TorchModule root = TorchReader.moduleTree(TorchReader.read(reference("lenet5", "torchscript.pt"))).orElseThrow();
    assertThat(root.className()).isEqualTo("torch.nn.modules.container.Sequential");
    assertThat(root.children().keySet()).hasSize(13);
    TorchModule c1 = root.children().get("0");
    assertThat(c1.className()).isEqualTo("torch.nn.modules.conv.Conv2d");
    assertThat(c1.attributes()).containsEntry("in_channels", 1).containsEntry("out_channels", 6)
        .containsEntry("kernel_size", List.of(5, 5)).containsEntry("stride", List.of(1, 1))
        .containsEntry("padding", List.of(2, 2)).containsEntry("padding_mode", "zeros").containsEntry("groups", 1);
    assertThat(root.children().get("2").attributes()).containsEntry("kernel_size", 2).containsEntry("stride", 2)
        .containsEntry("ceil_mode", false).containsEntry("count_include_pad", true);
    assertThat(root.children().get("9").attributes()).containsEntry("in_features", 120)
        .containsEntry("out_features", 84);
    assertThat(root.children().get("12").attributes()).containsEntry("dim", 1);
    TorchModule bn = TorchReader.moduleTree(TorchReader.read(reference("batchnorm", "torchscript.pt")))
        .orElseThrow().children().get("0");
    assertThat(bn.attributes()).containsEntry("num_features", 1).containsEntry("eps", 1e-5)
        .containsEntry("momentum", 0.1).containsEntry("affine", true).containsEntry("track_running_stats", true);
  }

  @Test
  void tracedModuleTreeHasTheHyperparametersOfItsCalls() {
    TorchModule root =
        TorchReader.moduleTree(TorchReader.read(torchIo("lenet5", "torchscript_traced.pt"))).orElseThrow();
    TorchModule c1 = root.children().get("0");
    assertThat(c1.className()).isEqualTo("torch.nn.modules.conv.Conv2d");
    assertThat(c1.attributes()).containsEntry("in_channels", 1).containsEntry("out_channels", 6)
        .containsEntry("kernel_size", List.of(5, 5)).containsEntry("stride", List.of(1, 1))
        .containsEntry("padding", List.of(2, 2)).containsEntry("dilation", List.of(1, 1));
    assertThat(root.children().get("2").attributes()).containsEntry("kernel_size", List.of(2, 2))
        .containsEntry("stride", List.of(2, 2)).containsEntry("padding", List.of(0, 0))
        .containsEntry("ceil_mode", false).containsEntry("count_include_pad", true);
    assertThat(root.children().get("8").attributes()).containsEntry("start_dim", 1).containsEntry("end_dim", -1);
    assertThat(root.children().get("11").attributes()).containsEntry("in_features", 84)
        .containsEntry("out_features", 10);
    assertThat(root.children().get("12").attributes()).containsEntry("dim", 1);

    TorchModule pool = TorchReader.moduleTree(TorchReader.read(torchIo("cnn", "torchscript_traced.pt")))
        .orElseThrow().children().get("2");
    assertThat(pool.simpleName()).isEqualTo("MaxPool2d");
    assertThat(pool.attributes()).containsEntry("kernel_size", List.of(2, 2)).containsEntry("stride", List.of(2, 2))
        .containsEntry("dilation", List.of(1, 1)).containsEntry("ceil_mode", false);

    WeightFile bnFile = TorchReader.read(torchIo("batchnorm", "torchscript_traced.pt"));
    assertThat(bnFile.tensors().keySet()).containsExactly("0.weight", "0.bias", "0.running_mean", "0.running_var",
        "0.num_batches_tracked", "1.weight", "1.bias");
    assertThat(bnFile.tensors().get("0.num_batches_tracked").data()).containsExactly(37f);
    assertThat(TorchReader.moduleTree(bnFile).orElseThrow().children().get("0").attributes())
        .containsEntry("num_features", 1).containsEntry("eps", 1e-5).containsEntry("momentum", 0.1)
        .containsEntry("affine", true).containsEntry("track_running_stats", true);

    Map<String, TorchModule> acts = TorchReader.moduleTree(TorchReader.read(torchIo("activations",
        "torchscript_traced.pt"))).orElseThrow().children();
    assertThat(acts.get("1").simpleName()).isEqualTo("Sigmoid");
    assertThat(acts.get("3").attributes()).containsEntry("alpha", 1.0);
    assertThat(acts.get("7").attributes()).containsEntry("approximate", "none");
    assertThat(acts.get("11").attributes()).containsEntry("beta", 1.0).containsEntry("threshold", 20.0);
    assertThat(acts.get("13").attributes()).containsEntry("negative_slope", 0.2);
    assertThat(acts.get("18").attributes()).containsEntry("p", 0.25);
    assertThat(acts.get("20").attributes()).containsEntry("dim", 1);

    WeightFile variants = TorchReader.read(torchIo("variants", "variants_traced.pt"));
    assertThat(variants.tensors().keySet()).containsExactly("0.weight", "4.weight"); // bias=False twice
    Map<String, TorchModule> v = TorchReader.moduleTree(variants).orElseThrow().children();
    assertThat(v.get("0").attributes()).containsEntry("padding", "same").containsEntry("in_channels", 2)
        .containsEntry("out_channels", 3).containsEntry("kernel_size", List.of(3, 3));
    assertThat(v.get("1").attributes()).containsEntry("kernel_size", List.of(3, 3))
        .containsEntry("stride", List.of(1, 1)).containsEntry("padding", List.of(1, 1));
    assertThat(v.get("2").attributes()).containsEntry("approximate", "tanh");
    assertThat(v.get("4").attributes()).containsEntry("in_features", 108).containsEntry("out_features", 2);
    // padding_mode="reflect" traces to torch.pad then torch._convolution: two calls, nothing recorded
    assertThat(TorchReader.moduleTree(TorchReader.read(torchIo("variants", "reflect_traced.pt"))).orElseThrow()
        .children().get("0").attributes()).isEmpty();
  }

  @Test
  void checkpointWithTwoStateDictsNamesTheCandidatesAndTakesTheChosenOne() {
    Path ckpt = torchIo("checkpoint", "checkpoint.pt");
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(ckpt));
    assertThat(e.getMessage()).startsWith(ckpt.toString())
        .contains("\"model\" (4 tensors)").contains("\"ema\" (4 tensors)").contains("--entry");
    WeightFile ema = TorchReader.read(ckpt, TorchReadOptions.entry("ema"));
    WeightFile alone = TorchReader.read(torchIo("checkpoint", "ema_state_dict.pt"));
    assertThat(ema.format()).isEqualTo("torch-zip/checkpoint[ema]");
    assertThat(ema.tensors().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
    for (String k : alone.tensors().keySet()) {
      assertThat(ema.tensors().get(k).data()).as(k).isEqualTo(alone.tensors().get(k).data());
    }
    WeightFile model = TorchReader.read(ckpt, TorchReadOptions.entry("model"));
    assertThat(model.tensors().get("0.weight").data()).isNotEqualTo(ema.tensors().get("0.weight").data());
    assertThat(assertThrows(WeightFileException.class, () -> TorchReader.read(ckpt, TorchReadOptions.entry("optimizer")))
        .getMessage()).contains("entry \"optimizer\" is a dict with keys [\"state\", \"param_groups\"]");
    assertThat(assertThrows(WeightFileException.class, () -> TorchReader.read(ckpt, TorchReadOptions.entry("emma")))
        .getMessage()).contains("no entry \"emma\"").contains("ema");
  }

  @Test
  void viewsAreReadThroughTheirStridesAndOffsets() {
    for (String file : new String[] {"views.pt", "views_legacy.pt"}) {
      WeightFile f = TorchReader.read(torchIo("views", file));
      assertThat(f.tensors().keySet()).as(file).containsExactly("transposed", "rows", "column", "block",
          "shared_a", "shared_b", "expanded", "base");
      for (NamedTensor t : f.tensors().values()) {
        INDArray expected = npy(torchIo("views", t.name() + ".npy"));
        assertThat(t.shape()).as(file + " " + t.name()).isEqualTo(expected.shape());
        assertThat(t.data()).as(file + " " + t.name()).isEqualTo(expected.reshape(-1).toFloatVector());
      }
    }
  }

  @Test
  void archiveWithoutAByteorderRecordIsLittleEndian() {
    // torch.save(..., _disable_byteorder_record=True); torch.load then assumes little-endian too.
    // No torch build here can write big-endian data (torch.save writes sys.byteorder, and the
    // legacy format is little-endian on every machine), so the "big" record is not tested.
    WeightFile f = TorchReader.read(torchIo("no_byteorder.pt"));
    WeightFile state = TorchReader.read(reference("simple_net", "torch_state_dict.pt"));
    for (String k : state.tensors().keySet()) {
      assertThat(f.tensors().get(k).data()).as(k).isEqualTo(state.tensors().get(k).data());
    }
  }

  @Test
  void aStateDictSavedAsCodePtIsNotTakenForTorchScript() {
    // torch.save names the archive's top folder after the file, so "code.pt" holds code/data.pkl;
    // only torch.jit.save's <prefix>/code/ folder and constants.pkl mark TorchScript
    WeightFile f = TorchReader.read(torchIo("code.pt"));
    WeightFile state = TorchReader.read(reference("simple_net", "torch_state_dict.pt"));
    assertThat(f.format()).isEqualTo(state.format());
    assertThat(f.tensors().keySet()).isEqualTo(state.tensors().keySet());
    for (String k : state.tensors().keySet()) {
      assertThat(f.tensors().get(k).data()).as(k).isEqualTo(state.tensors().get(k).data());
    }
  }

  /**
   * Real files cut short, from 0 bytes up: two legacy files at every length (views_legacy.pt, 1143
   * bytes as committed, and batchnorm's legacy state_dict, 2457 bytes; about 1.7 s together), the
   * legacy whole model (26825 bytes) at every 97th length and a TorchScript archive (10471 bytes)
   * at every 41st; cutting those two at every byte would take about 7 s and 45 s. Every cut is
   * refused naming the file.
   */
  @Test
  void truncatedLegacyFilesAndTorchScriptArchivesFailWithTheFileName(@TempDir Path tmp) throws Exception {
    byte[] views = Files.readAllBytes(torchIo("views", "views_legacy.pt"));
    byte[] stateDict = Files.readAllBytes(reference("batchnorm", "torch_legacy.pt"));
    byte[] model = Files.readAllBytes(torchIo("batchnorm", "legacy_model.pt"));
    byte[] script = Files.readAllBytes(torchIo("batchnorm", "torchscript_traced.pt"));
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      for (int cut = 0; cut < views.length; cut++) {
        assertRefused(tmp, views, cut);
      }
      for (int cut = 0; cut < stateDict.length; cut++) {
        assertRefused(tmp, stateDict, cut);
      }
      for (int cut = 0; cut < model.length; cut += 97) {
        assertRefused(tmp, model, cut);
      }
      for (int cut = 0; cut < script.length; cut += 41) {
        assertRefused(tmp, script, cut);
      }
    });
    Path cut = Files.write(tmp.resolve("cut.pt"), Arrays.copyOf(model, model.length - 10));
    assertThat(assertThrows(WeightFileException.class, () -> TorchReader.read(cut)).getMessage())
        .contains("truncated or corrupt");
    Path zip = Files.write(tmp.resolve("cut_script.pt"), Arrays.copyOf(script, script.length / 2));
    assertThat(assertThrows(WeightFileException.class, () -> TorchReader.read(zip)).getMessage())
        .contains("truncated or corrupt zip");
  }

  private static void assertRefused(Path tmp, byte[] real, int cut) throws Exception {
    Path file = Files.write(tmp.resolve("cut" + cut + ".pt"), Arrays.copyOf(real, cut));
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(file),
        "cut at " + cut);
    assertThat(e.getMessage()).startsWith(file.toString());
    Files.delete(file);
  }

  @Test
  void integerWeightIsRefusedByName() {
    Path file = torchIo("dtypes", "int_weight.pt");
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchReader.read(file));
    assertThat(e.getMessage()).startsWith(file.toString()).contains("tensor 0.weight is int64")
        .contains("num_batches_tracked");
  }
}
