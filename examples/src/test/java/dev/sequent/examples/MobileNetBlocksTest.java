package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.examples.torch.mobilenet.MobileNetV2Net;
import dev.sequent.examples.torch.mobilenet.NarrowMobileNetV2Net;
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

/**
 * torchvision's MobileNetV2 declared with blocks ({@code examples/.../torch/mobilenet}:
 * {@code Conv2dNormActivation}, {@code InvertedResidual}): the summary is torchinfo's table for
 * {@code torchvision.models.mobilenet_v2()} line for line, the parameter names and shapes are its
 * {@code state_dict}'s, and the same blocks at {@code width_mult=0.15} load the {@code state_dict}
 * real torchvision saved and reproduce its output (fixtures/make_block_fixtures.py, fixtures/blocks;
 * the full-size weights in fixtures/large/blocks when generated with {@code --full}).
 */
class MobileNetBlocksTest {
  private static Path dir() {
    return root().resolve("blocks");
  }

  /** The text real torchinfo printed, as it is (Sequent prints its {@code Units.MEGABYTES} too). */
  private static String torchinfo(String file) throws IOException {
    return Files.readString(dir().resolve(file));
  }

  @Test
  void summaryIsTorchinfosTable() throws IOException {
    assertThat(MobileNetV2Net.torchSummary()).isEqualTo(torchinfo("mobilenet_v2_torchinfo.txt"));
    assertThat(MobileNetV2Net.OUTPUT_SHAPE).isEqualTo(Shape.of(1000));
    assertThat(MobileNetV2Net.TORCH_PARAMS).isEqualTo(3_504_872L);
  }

  @Test
  void narrowSummaryIsTorchinfosTable() throws IOException {
    assertThat(NarrowMobileNetV2Net.torchSummary()).isEqualTo(torchinfo("narrow_mobilenet_v2_torchinfo.txt"));
  }

  @Test
  void theCommandLinePrintsTheTree() throws IOException {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = SequentCli.run("summary", "--class", "dev.sequent.examples.torch.mobilenet.MobileNetV2");
    } finally {
      System.setOut(stdout);
    }
    assertThat(code).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(torchinfo("mobilenet_v2_torchinfo.txt"));
  }

  /** Every state_dict entry of torchvision's mobilenet_v2 but the num_batches_tracked counters. */
  @Test
  void parameterNamesAreTorchvisionsStateDict() throws IOException {
    JsonNode keys = new ObjectMapper().readTree(dir().resolve("mobilenet_v2_state_dict.json").toFile());
    List<String> expected = new ArrayList<>();
    for (JsonNode k : keys) {
      if (!k.get("name").asText().endsWith(".num_batches_tracked")) {
        expected.add(k.get("name").asText() + " " + k.get("shape"));
      }
    }
    List<String> actual = new ArrayList<>();
    for (NamedParam p : MobileNetV2Net.parameters()) {
      actual.add(p.torchName() + " " + p.storedShape().dims().toString().replace(" ", ""));
    }
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    // The stem, the block without expansion (conv.0 is the depthwise), one with it, the depthwise
    // weight of groups = hidden (one input channel per group), the head.
    assertThat(actual).contains("features.0.0.weight [32,3,3,3]", "features.0.1.running_mean [32]",
        "features.1.conv.0.0.weight [32,1,3,3]", "features.1.conv.1.weight [16,32,1,1]",
        "features.1.conv.2.running_var [16]", "features.2.conv.0.0.weight [96,16,1,1]",
        "features.2.conv.1.0.weight [96,1,3,3]", "features.2.conv.3.bias [24]",
        "features.18.0.weight [1280,320,1,1]", "classifier.1.weight [1000,1280]");
  }

  @Test
  void narrowMobileNetV2ReproducesTorchvision() {
    Network net = NarrowMobileNetV2Net.create().loadWeights(dir().resolve("narrow_mobilenet_v2_state_dict.pt"));
    assertBatchAndEachSample(net::forward, npy(dir().resolve("narrow_mobilenet_v2_input.npy")),
        npy(dir().resolve("narrow_mobilenet_v2_output.npy")), "MobileNetV2(width_mult=0.15)");
  }

  @Test
  void fullSizeMobileNetV2ReproducesTorchvision() {
    Path large = root().resolve("large").resolve("blocks");
    assumeTrue(Files.exists(large.resolve("mobilenet_v2_state_dict.pt")),
        "fixtures/large/blocks/mobilenet_v2_state_dict.pt not generated (python fixtures/make_block_fixtures.py --full)");
    Network net = MobileNetV2Net.create().loadWeights(large.resolve("mobilenet_v2_state_dict.pt"));
    assertBatchAndEachSample(net::forward, npy(large.resolve("mobilenet_v2_input.npy")),
        npy(large.resolve("mobilenet_v2_output.npy")), "mobilenet_v2()");
  }
}
