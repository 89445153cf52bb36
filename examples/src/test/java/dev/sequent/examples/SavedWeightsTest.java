package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.examples.torch.TorchLayerNormNet;
import dev.sequent.model.InferredModel;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras weights loaded into the PyTorch-vocabulary twin and saved as {@code .pt} and
 * {@code .safetensors}: Sequent reads them back to the same outputs, and real PyTorch
 * ({@code torch.load(weights_only=True)}, {@code load_state_dict(strict=True)} into the real twin)
 * reproduced Keras' outputs from these exact bytes (fixtures/check_sequent_writes.sh, sha256 recorded):
 * every element within 1e-5 (the recorded largest difference; the check itself allows
 * max(1e-5, 1e-4 |expected|)).
 */
class SavedWeightsTest {
  static final Path OUT = Path.of("target", "written");

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    Object[][] models = {
        {"lenet5", (Supplier<InferredModel>) LeNet5Net::model},
        {"cnn", (Supplier<InferredModel>) TorchCnnNet::model},
        {"batchnorm", (Supplier<InferredModel>) TorchBatchNormNet::model},
        {"layernorm", (Supplier<InferredModel>) TorchLayerNormNet::model}};
    for (Object[] m : models) {
      for (String source : new String[] {"keras2.h5", "keras3.keras"}) {
        for (String ext : new String[] {".pt", ".safetensors"}) {
          b.add(Arguments.of(m[0], m[1], source, ext));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} <- {2} -> {3}")
  @MethodSource("cases")
  void savedFilesCarryTheSourceModel(String fixture, Supplier<InferredModel> model, String source, String ext)
      throws IOException, java.security.NoSuchAlgorithmException {
    Network net = Network.create(model.get(), 3).loadWeights(reference(fixture, source));
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__" + source + ext);
    net.saveWeights(file);

    Network back = Network.create(model.get(), 5).loadWeights(file);
    INDArray x = npy(fixture, "input_torch.npy");
    assertClose(net.forward(x), back.forward(x), file + " read back");
    assertCheckedByPyTorch(file);
  }

  /** ./sequent convert on whole-model Keras files: no Java source, a channels-last Keras model in. */
  @ParameterizedTest(name = "convert {0}/{1}")
  @org.junit.jupiter.params.provider.CsvSource({"lenet5, keras2.h5", "cnn, keras2.h5", "batchnorm, keras3.keras",
      "mlp, keras3.h5"})
  void convertCommandWritesWhatPyTorchLoads(String fixture, String source) throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__convert-" + source + ".pt");
    int code = dev.sequent.runtime.cli.SequentCli.run("convert", reference(fixture, source).toString(), file.toString());
    assertThat(code).isZero();
    assertCheckedByPyTorch(file);
  }

  /**
   * And back: the whole-model {@code .h5} Sequent writes from a pickled PyTorch model
   * (SavedKerasWeightsTest has real Keras load it) converted to {@code .pt} with no Java class,
   * which real PyTorch loads strictly into the reference model to PyTorch's own outputs.
   */
  @ParameterizedTest(name = "convert {0} -> whole .h5 -> .pt")
  @org.junit.jupiter.params.provider.CsvSource({"lenet5, '1,28,28'", "cnn, '1,28,28'", "batchnorm, '1,28,28'",
      "mlp, ''"})
  void sequentsWholeKerasModelsConvertBackToPyTorch(String fixture, String inputShape,
      @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path pickled = reference(fixture, "torch_model.pt");
    Network torch = inputShape.isEmpty() ? Network.load(pickled)
        : Network.load(pickled, dev.sequent.model.Shape.of(java.util.Arrays.stream(inputShape.split(","))
            .mapToInt(Integer::parseInt).toArray()));
    Path h5 = tmp.resolve(fixture + ".h5");
    torch.saveWeights(h5);
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__convert-sequent_whole_model.h5.pt");
    assertThat(dev.sequent.runtime.cli.SequentCli.run("convert", h5.toString(), file.toString())).isZero();
    assertCheckedByPyTorch(file);
  }

  private static void assertCheckedByPyTorch(Path file) throws IOException, java.security.NoSuchAlgorithmException {
    JsonNode record = json(root().resolve("reference/sequent_writes_check.json")).path("checks")
        .path(file.getFileName().toString());
    assertThat(record.isMissingNode()).as(file + " not checked by real PyTorch; run fixtures/check_sequent_writes.sh")
        .isFalse();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    assertThat(record.get("sha256").asText()).as(file + " changed since PyTorch checked it").isEqualTo(sha);
    assertThat(record.get("ok").asBoolean()).as(file + ": " + record.get("error") + " diff " + record.get("max_abs_diff"))
        .isTrue();
    // The check allows max(1e-5, 1e-4 |expected|) per element; what it found is within 1e-5 everywhere.
    assertThat(record.get("max_abs_diff").asDouble()).as(file + ": largest difference").isLessThanOrEqualTo(1e-5);
  }
}
