package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code ./sequent predict / summary / convert} on torch.export programs (.pt2), with no Java source. */
class ExportCliTest {
  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Path export(String file) {
    return root().resolve("export").resolve(file);
  }

  @Test
  void predictReproducesPyTorchOnImagesIdsAndSequences() {
    for (String stem : new String[] {"narrow_resnet18", "mobilenet_v2_core", "lstm_classifier", "lstm_classifier_core",
        "transformer_encoder", "transformer_encoder_core", "custom_attention"}) {
      String data = stem.replace("_core", "");
      Path out = tmp.resolve(stem + ".npy");
      CliRun r = run("predict", export(stem + ".pt2").toString(), "--input", export(data + "_input.npy").toString(),
          "--output", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertClose(npy(export(data + "_output.npy")), Nd4j.createFromNpyFile(out.toFile()).castTo(DataType.FLOAT),
          "predict " + stem);
    }
  }

  @Test
  void summaryListsTheLayersAndPyTorchsParameterCount() {
    CliRun r = run("summary", export("narrow_resnet18_core.pt2").toString());
    assertThat(r.code()).as(r.err()).isZero();
    // sum(p.numel() for p in model.parameters()) of this torchvision ResNet: fixtures/blocks/versions.json
    assertThat(r.out()).contains("├─Conv2d: 1-1").contains("├─MaxPool2d: 1-4").contains("Linear")
        .contains("Total params: 45,102");
  }

  @Test
  void convertWritesTheStateDictUnderItsOwnNames() {
    Path pt = tmp.resolve("resnet.pt");
    CliRun r = run("convert", export("narrow_resnet18.pt2").toString(), pt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    WeightFile written = WeightFiles.read(pt);
    WeightFile source = WeightFiles.read(export("narrow_resnet18.pt2"));
    assertThat(written.tensors().keySet()).containsAll(source.tensors().keySet().stream()
        .filter(k -> !k.endsWith("num_batches_tracked")).toList());
    for (String name : new String[] {"conv1.weight", "layer2.0.downsample.1.running_var", "fc.bias"}) {
      assertThat(written.tensors().get(name).data()).as(name).containsExactly(source.tensors().get(name).data());
    }
  }

  @Test
  void aRefusedProgramIsAOneLineReason() {
    CliRun r = run("summary", export("unsupported.pt2").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("aten.sort.default").contains("aten.fft_rfft.default").doesNotContain("Exception");
  }
}
