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

/**
 * {@code ./sequent predict / summary / convert} on TorchScript archives of modules that are not
 * nn.Sequential (fixtures/torchscript_graphs), with no Java source.
 */
class TorchScriptCliTest {
  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Path script(String file) {
    return root().resolve("torchscript_graphs").resolve(file);
  }

  @Test
  void predictReproducesPyTorchOnImagesIdsAndSequences() {
    for (String stem : new String[] {"narrow_resnet18", "mobilenet_v2", "lstm_classifier", "transformer_encoder"}) {
      Path out = tmp.resolve(stem + ".npy");
      CliRun r = run("predict", script(stem + "_traced.pt").toString(), "--input", script(stem + "_input.npy").toString(),
          "--output", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertClose(npy(script(stem + "_output.npy")), Nd4j.createFromNpyFile(out.toFile()).castTo(DataType.FLOAT),
          "predict " + stem);
    }
  }

  @Test
  void summaryCountsPyTorchsParameters() {
    // sum(p.numel() for p in torch.jit.load(f).parameters()): fixtures/torchscript_graphs/versions.json
    CliRun r = run("summary", script("narrow_resnet18_traced.pt").toString(), "--input-shape", "3,32,32");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Conv2d").contains("MaxPool2d").contains("Linear").contains("Total params: 45,102");
    r = run("summary", script("transformer_encoder_traced.pt").toString(), "--input-shape", "5,16");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("MultiheadAttention").contains("Total params: 4,448");
  }

  @Test
  void convertWritesTheStateDictUnderItsOwnNames() {
    Path pt = tmp.resolve("resnet.pt");
    CliRun r = run("convert", script("narrow_resnet18_traced.pt").toString(), pt.toString(), "--input-shape", "3,32,32");
    assertThat(r.code()).as(r.err()).isZero();
    WeightFile written = WeightFiles.read(pt);
    WeightFile source = WeightFiles.read(script("narrow_resnet18_traced.pt"));
    for (String name : new String[] {"conv1.weight", "layer2.0.downsample.1.running_var", "fc.bias"}) {
      assertThat(written.tensors().get(name).data()).as(name).containsExactly(source.tensors().get(name).data());
    }
  }
}
