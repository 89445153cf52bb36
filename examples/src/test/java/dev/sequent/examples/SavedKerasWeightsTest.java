package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.keras.KerasLeNet5Net;
import dev.sequent.examples.keras.MlpNet;
import dev.sequent.examples.torch.CustomLayersNet;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras weight files written by Sequent ({@code .weights.h5} in Keras 3's layout, {@code .h5} in
 * the Keras 2 layout): Sequent reads each back to the same outputs, and real Keras checked these
 * exact files (fixtures/check_sequent_writes.sh runs fixtures/check_sequent_keras_writes.py, which
 * records its verdicts in fixtures/reference/sequent_keras_writes_check.json): Keras 3
 * {@code load_weights} of the {@code .weights.h5} files, and both tf_keras and Keras 3
 * {@code load_weights} of the {@code .h5} files, into the real Keras twin, reproduced the source
 * framework's recorded outputs within 1e-5 (1e-4 relative above 1).
 *
 * <p>Sources: real PyTorch state_dicts loaded into the Keras-vocabulary models (layouts converted
 * on load) and into the PyTorch-vocabulary twins (converted on save), the {@code convert} command
 * on the same files, and real Keras 3 files round-tripped through the Keras-vocabulary models.
 *
 * <p>How "the same file" is decided: jhdf 0.9.4 writes identical bytes for identical weights on
 * one platform, but ends every file with its signature "jHDF - 0.9.4 - OS - arch - byte order"
 * and records the file's length (which counts it) in the superblock, with a checksum. So the
 * recorded {@code sha256} is compared where the file's signature is the recorded one (the platform
 * the check ran on: Linux amd64, as CI), and everywhere the {@code content_sha256}: the sha256 of
 * the file without that signature, with the superblock's end-of-file address and checksum (bytes
 * 28-35 and 44-47) zeroed. Either way, a change to what the writer puts in a file fails this test
 * until real Keras has checked the new bytes.
 */
class SavedKerasWeightsTest {
  static final Path OUT = Path.of("target", "written");
  private static final String[] EXTENSIONS = {".weights.h5", ".h5"};

  record Model(String fixture, String javaName, Framework vocabulary, Supplier<InferredModel> model) {
    @Override
    public String toString() {
      return javaName;
    }
  }

  private static final Model[] KERAS = {
      new Model("lenet5", "KerasLeNet5", Framework.KERAS, KerasLeNet5Net::model),
      new Model("cnn", "KerasCnn", Framework.KERAS, KerasCnnNet::model),
      new Model("batchnorm", "KerasBatchNorm", Framework.KERAS, KerasBatchNormNet::model),
      new Model("mlp", "Mlp", Framework.KERAS, MlpNet::model)};
  private static final Model[] TORCH = {
      new Model("lenet5", "LeNet5", Framework.TORCH, LeNet5Net::model),
      new Model("cnn", "TorchCnn", Framework.TORCH, TorchCnnNet::model),
      new Model("batchnorm", "TorchBatchNorm", Framework.TORCH, TorchBatchNormNet::model),
      new Model("custom", "CustomLayers", Framework.TORCH, CustomLayersNet::model)};

  static Stream<Arguments> saved() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (String ext : EXTENSIONS) {
      for (Model m : KERAS) {
        b.add(Arguments.of(m, "torch_state_dict.pt", ext));
        b.add(Arguments.of(m, "keras3.keras", ext));
      }
      for (Model m : TORCH) {
        b.add(Arguments.of(m, "torch_state_dict.pt", ext));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} <- {1} -> {2}")
  @MethodSource("saved")
  void savedFilesCarryTheSourceModel(Model m, String source, String ext) throws Exception {
    Network net = Network.create(m.model().get(), 3).loadWeights(reference(m.fixture(), source));
    Files.createDirectories(OUT);
    Path file = OUT.resolve(m.fixture() + "__" + source + "__" + m.javaName() + ext);
    net.saveWeights(file);

    Network back = Network.create(m.model().get(), 5).loadWeights(file);
    INDArray x = npy(m.fixture(), m.vocabulary() == Framework.KERAS ? "input_keras.npy" : "input_torch.npy");
    assertClose(net.forward(x), back.forward(x), file + " read back");
    assertCheckedByKeras(file);
  }

  /** {@code ./sequent convert} from PyTorch files: a state_dict with --class, a whole pickled model without. */
  @ParameterizedTest(name = "convert {0} {1} -> {3}")
  @CsvSource({
      "lenet5, torch_state_dict.pt, dev.sequent.examples.keras.KerasLeNet5, .weights.h5",
      "lenet5, torch_state_dict.pt, dev.sequent.examples.keras.KerasLeNet5, .h5",
      "cnn, torch_state_dict.pt, dev.sequent.examples.keras.KerasCnn, .weights.h5",
      "cnn, torch_state_dict.pt, dev.sequent.examples.keras.KerasCnn, .h5",
      "batchnorm, torch_state_dict.pt, dev.sequent.examples.keras.KerasBatchNorm, .weights.h5",
      "batchnorm, torch_state_dict.pt, dev.sequent.examples.keras.KerasBatchNorm, .h5",
      "mlp, torch_state_dict.pt, dev.sequent.examples.keras.Mlp, .weights.h5",
      "mlp, torch_state_dict.pt, dev.sequent.examples.keras.Mlp, .h5",
      "mlp, torch_model.pt, '', .weights.h5"})
  void convertCommandWritesWhatKerasLoads(String fixture, String source, String modelClass, String ext)
      throws Exception {
    Files.createDirectories(OUT);
    String javaName = modelClass.isEmpty() ? "pickled" : modelClass.substring(modelClass.lastIndexOf('.') + 1);
    Path file = OUT.resolve(fixture + "__" + source + "__convert-" + javaName + ext);
    String[] args = modelClass.isEmpty()
        ? new String[] {"convert", reference(fixture, source).toString(), file.toString()}
        : new String[] {"convert", reference(fixture, source).toString(), file.toString(), "--class", modelClass};
    String printed = stdout(() -> assertThat(SequentCli.run(args)).isZero());
    assertThat(printed).contains("for the Keras equivalent");
    assertCheckedByKeras(file);
  }

  @Test
  void convertPrintsWhereEachPyTorchTensorGoesAndHow() throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve("cnn-mapping.weights.h5");
    String printed = stdout(() -> assertThat(SequentCli.run("convert",
        reference("cnn", "torch_state_dict.pt").toString(), file.toString(),
        "--class", "dev.sequent.examples.keras.KerasCnn")).isZero());
    assertThat(printed.lines().map(String::strip).map(l -> l.replaceAll(" +", " ")).toList()).contains(
        "0.weight -> layers/conv2d/vars/0 [3,3,1,32] OIHW -> HWIO",
        "0.bias -> layers/conv2d/vars/1 [32] as is",
        "4.weight -> layers/dense/vars/0 [5408,10] (out,in) -> (in,out); input rows CHW -> HWC");

    // The PyTorch-vocabulary twin stores PyTorch layouts: the same conversion happens on the way out.
    Path legacy = OUT.resolve("cnn-mapping.h5");
    printed = stdout(() -> assertThat(SequentCli.run("convert",
        reference("cnn", "torch_state_dict.pt").toString(), legacy.toString(),
        "--class", "dev.sequent.examples.torch.TorchCnn")).isZero());
    assertThat(printed.lines().map(String::strip).map(l -> l.replaceAll(" +", " ")).toList()).contains(
        "0.weight -> conv/kernel:0 [3,3,1,32] OIHW -> HWIO",
        "4.weight -> fc/kernel:0 [5408,10] (out,in) -> (in,out); input rows CHW -> HWC");
  }

  private interface Action {
    void run() throws Exception;
  }

  private static String stdout(Action action) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void assertCheckedByKeras(Path file) throws IOException, NoSuchAlgorithmException {
    JsonNode record = json(root().resolve("reference/sequent_keras_writes_check.json")).path("checks")
        .path(file.getFileName().toString());
    assertThat(record.isMissingNode()).as(file + " not checked by real Keras; run fixtures/check_sequent_writes.sh")
        .isFalse();
    byte[] bytes = Files.readAllBytes(file);
    assertThat(record.get("content_sha256").asText()).as(file + " changed since Keras checked it")
        .isEqualTo(contentSha256(bytes));
    if (jhdfSignature(bytes).equals(record.get("jhdf_signature").asText())) {
      assertThat(record.get("sha256").asText()).as(file + " changed since Keras checked it").isEqualTo(sha256(bytes));
    }
    assertThat(record.get("ok").asBoolean()).as(file + ": " + record.get("error") + " diff " + record.get("max_abs_diff"))
        .isTrue();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** jhdf's trailing "jHDF - ..." signature (the file's last bytes, after the last dataset). */
  private static String jhdfSignature(byte[] bytes) {
    int at = signatureStart(bytes);
    return new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8);
  }

  private static int signatureStart(byte[] bytes) {
    byte[] mark = "jHDF - ".getBytes(StandardCharsets.US_ASCII);
    for (int i = bytes.length - mark.length; i >= 0; i--) {
      if (Arrays.equals(bytes, i, i + mark.length, mark, 0, mark.length)) {
        return i;
      }
    }
    throw new AssertionError("no jHDF signature at the end of the file");
  }

  /** The sha256 without what depends on the platform (see the class comment). */
  static String contentSha256(byte[] bytes) throws NoSuchAlgorithmException {
    byte[] content = Arrays.copyOf(bytes, signatureStart(bytes));
    Arrays.fill(content, 28, 36, (byte) 0); // superblock v2/v3: end-of-file address
    Arrays.fill(content, 44, 48, (byte) 0); // superblock checksum
    return sha256(content);
  }
}
