package dev.sequent.examples;

import static dev.sequent.examples.WrittenModels.shape;
import static dev.sequent.examples.WrittenModels.stdout;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.keras.KerasLayerNormNet;
import dev.sequent.examples.keras.KerasLeNet5Net;
import dev.sequent.examples.keras.MlpNet;
import dev.sequent.examples.torch.CustomLayersNet;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TinyResidualNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.examples.torch.TorchLayerNormNet;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.examples.WrittenModels.Model;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.Dense;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
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
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras files written by Sequent ({@code .weights.h5} in Keras 3's layout; {@code .h5} as a legacy
 * whole model, or in the Keras 2 weights layout alone when the model has no Keras twin): Sequent
 * reads each back to the same outputs, and real Keras checked these exact files
 * (fixtures/check_sequent_writes.sh runs fixtures/check_sequent_keras_writes.py, which records its
 * verdicts in fixtures/reference/sequent_keras_writes_check.json): Keras 3 {@code load_weights}
 * of the {@code .weights.h5} files, and both tf_keras and Keras 3 {@code load_weights} of the
 * {@code .h5} files, into the real Keras twin; and for whole-model {@code .h5} files also
 * {@code keras.models.load_model} (Keras 3) and {@code tf_keras.models.load_model} with no model
 * code. Each reproduced the source framework's recorded outputs, on channels-last input for image
 * models: the check allows max(1e-5, 1e-4 |expected|) per element, and this test asserts each
 * loader's recorded largest difference is at most 1e-5.
 *
 * <p>Sources: real PyTorch state_dicts loaded into the Keras-vocabulary models (layouts converted
 * on load) and into the PyTorch-vocabulary twins (converted on save), whole pickled PyTorch
 * {@code nn.Sequential}s read with no Java class ({@link Network#load}), the {@code convert}
 * command on the same files, and real Keras 3 files round-tripped through the Keras-vocabulary
 * models.
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



  private static final List<Model> TORCH = WrittenModels.torch("lenet5", "cnn", "batchnorm", "custom", "layernorm");

  static Stream<Arguments> saved() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (String ext : EXTENSIONS) {
      for (Model m : WrittenModels.KERAS) {
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
    boolean whole = ext.equals(".h5") && !m.fixture().equals("custom");
    assertThat(net.kerasH5Architecture().wholeModel()).isEqualTo(!m.fixture().equals("custom"));
    if (whole) {
      // The whole model needs no Java class: Sequent rebuilds the channels-last Keras twin.
      INDArray expected = m.vocabulary() == Framework.TORCH ? toChannelsLast(net.forward(x)) : net.forward(x);
      assertClose(expected, Network.load(file).forward(npy(m.fixture(), "input_keras.npy")),
          file + " loaded as a whole model");
    }
    assertCheckedByKeras(file, ext.equals(".h5") ? whole : null);
  }

  /**
   * The chain: a whole pickled PyTorch model, no Java source, to a whole Keras model that
   * {@code load_model} reads with no model code (and that Sequent's own {@link Network#load} reads).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pickled")
  void pickledPyTorchModelsBecomeWholeKerasModels(String fixture, String inputShape) throws Exception {
    Path source = reference(fixture, "torch_model.pt");
    Network net = inputShape.isEmpty() ? Network.load(source) : Network.load(source, shape(inputShape));
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__torch_model.pt__pickled.h5");
    net.saveWeights(file);

    assertThat(net.kerasH5Architecture().wholeModel()).isTrue();
    Network keras = Network.load(file);
    assertThat(keras.model().spec().framework()).isEqualTo(Framework.KERAS);
    assertClose(toChannelsLast(npy(fixture, "output_torch.npy")), keras.forward(npy(fixture, "input_keras.npy")),
        file + " loaded as a whole model");
    assertCheckedByKeras(file, true);
  }

  static Stream<Arguments> pickled() {
    return Stream.of(WrittenModels.PICKLED).map(p -> Arguments.of(p[0], p[1]));
  }


  /** {@code ./sequent convert} of the same pickled models to {@code .h5}: a whole model, and it says so. */
  @ParameterizedTest(name = "convert {0}")
  @MethodSource("pickled")
  void convertWritesWholeKerasModelsFromPickledPyTorchModels(String fixture, String inputShape) throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__torch_model.pt__convert-pickled.h5");
    String source = reference(fixture, "torch_model.pt").toString();
    String[] args = inputShape.isEmpty()
        ? new String[] {"convert", source, file.toString()}
        : new String[] {"convert", source, file.toString(), "--input-shape", inputShape};
    String printed = stdout(() -> assertThat(SequentCli.run(args)).isZero());
    assertThat(printed.lines().filter(l -> l.contains("whole model")).toList()).hasSize(1);
    assertThat(printed).doesNotContain("weights only");
    assertCheckedByKeras(file, true);
  }

  /**
   * A Module with a skip connection (the PyTorch-vocabulary TinyResidual, PyTorch's state_dict)
   * becomes a Functional Keras model that both load_model rebuild, channels-last.
   */
  @Test
  void theResidualModuleBecomesAWholeFunctionalKerasModel() throws Exception {
    Network net = Network.create(TinyResidualNet.model(), 3).loadWeights(reference("residual", "torch_state_dict.pt"));
    assertThat(net.kerasH5Architecture().modelConfig().orElseThrow()).contains("\"Functional\"");
    Files.createDirectories(OUT);
    Path file = OUT.resolve("residual__torch_state_dict.pt__TinyResidual.h5");
    net.saveWeights(file);
    assertClose(toChannelsLast(npy("residual", "output_torch.npy")),
        Network.load(file).forward(npy("residual", "input_keras.npy")), file + " loaded as a whole model");
    assertCheckedByKeras(file, true);
  }

  /** A model with custom layers has no Keras config Keras could rebuild: weights only, and convert says why. */
  @Test
  void convertSaysWhenTheH5HoldsWeightsOnlyAndWhy() throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve("custom__torch_state_dict.pt__convert-CustomLayers.h5");
    String printed = stdout(() -> assertThat(SequentCli.run("convert",
        reference("custom", "torch_state_dict.pt").toString(), file.toString(),
        "--class", "dev.sequent.examples.torch.CustomLayers")).isZero());
    assertThat(printed.lines().filter(l -> l.contains("weights only")).toList()).singleElement().asString()
        .contains("model.load_weights").contains("layer").contains("custom layer");
    assertThat(printed).doesNotContain("whole model");
    assertThat(assertThrows(UnsupportedArchitectureException.class, () -> Network.load(file)).getMessage())
        .contains("weights only");
    assertCheckedByKeras(file, false);
  }

  /**
   * The largest config jhdf can store (its attribute message has a 16-bit size): a stack of 119
   * Dense layers still becomes a whole model that real Keras loads (checked against Sequent's own
   * output, written beside it); 120 layers no longer fit: the .h5 is refused with the config's size
   * and "write .keras instead", which holds it.
   */
  @Test
  void theLongestModelConfigThatFitsIsWrittenAndOneTooLongIsRefusedPointingToKeras() throws Exception {
    Files.createDirectories(OUT);
    Network fits = denseStack(119);
    assertThat(fits.kerasH5Architecture().wholeModel()).isTrue();
    assertThat(fits.kerasH5Architecture().modelConfig().orElseThrow().length()).isGreaterThan(58_000);
    Path file = OUT.resolve("dense_stack__sequent__DenseStack119.h5");
    fits.saveWeights(file);
    INDArray x = Nd4j.createFromArray(new float[][] {{0.5f, -1f}, {2f, 0.25f}, {-0.75f, 1.5f}, {0f, -2f}});
    Nd4j.writeAsNumpy(x, OUT.resolve(file.getFileName() + ".input.npy").toFile());
    Nd4j.writeAsNumpy(fits.forward(x), OUT.resolve(file.getFileName() + ".output.npy").toFile());
    assertClose(fits.forward(x), Network.load(file).forward(x), file + " loaded as a whole model");
    assertCheckedByKeras(file, true);

    // One layer more no longer fits: refused with the size and the alternative, nothing written
    // (a weights-only file would silently drop the architecture asked for); the .keras holds it.
    Network tooLong = denseStack(120);
    assertThat(tooLong.kerasH5Architecture().refused()).isTrue();
    Path refused = OUT.resolve("dense_stack_120.h5");
    Files.deleteIfExists(refused);
    assertThat(assertThrows(UnsupportedOperationException.class, () -> tooLong.saveWeights(refused)).getMessage())
        .contains("model_config is ").contains(" bytes").contains("jhdf").contains("write .keras instead")
        .contains(".weights.h5");
    assertThat(refused).doesNotExist();
    Path archive = OUT.resolve("dense_stack_120.keras");
    tooLong.saveWeights(archive);
    assertClose(tooLong.forward(x), Network.load(archive).forward(x), archive + " loaded as a whole model");
  }

  /** Dense(2, tanh) layers d0, d1, ... on 2 features, seeded weights: a config as long as needed. */
  private static Network denseStack(int layers) {
    List<ModelSpec.Named> named = new java.util.ArrayList<>();
    for (int i = 0; i < layers; i++) {
      named.add(new ModelSpec.Named("d" + i, new Dense(Framework.KERAS, 2, 0, true, Activation.of(Activation.Kind.TANH))));
    }
    return Network.create(ShapeInference.inferOrThrow(
        ModelSpec.sequential("dense_stack", Framework.KERAS, dev.sequent.model.Shape.of(2), named)), 11);
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
    if (ext.equals(".h5")) {
      assertThat(printed).contains("whole model");
    }
    assertCheckedByKeras(file, ext.equals(".h5") ? true : null);
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
    assertThat(printed).contains("whole model");
  }



  /**
   * @param wholeModel for an {@code .h5}, whether it must be a whole model, which the check then
   *     also loaded with both frameworks' {@code load_model}; null for {@code .weights.h5}
   */
  private static void assertCheckedByKeras(Path file, Boolean wholeModel) throws IOException, NoSuchAlgorithmException {
    JsonNode record = json(root().resolve("reference/sequent_keras_writes_check.json")).path("checks")
        .path(file.getFileName().toString());
    assertThat(record.isMissingNode()).as(file + " not checked by real Keras; run fixtures/check_sequent_writes.sh")
        .isFalse();
    if (wholeModel != null) {
      assertThat(record.get("whole_model").asBoolean()).as(file + ": whole model").isEqualTo(wholeModel);
      if (wholeModel) {
        assertThat(record.path("loaders").path("keras_load_model").path("ok").asBoolean())
            .as(file + ": Keras 3 load_model " + record.path("loaders").path("keras_load_model")).isTrue();
        assertThat(record.path("loaders").path("tf_keras_load_model").path("ok").asBoolean())
            .as(file + ": tf_keras load_model " + record.path("loaders").path("tf_keras_load_model")).isTrue();
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    assertThat(record.get("content_sha256").asText()).as(file + " changed since Keras checked it")
        .isEqualTo(contentSha256(bytes));
    if (jhdfSignature(bytes).equals(record.get("jhdf_signature").asText())) {
      assertThat(record.get("sha256").asText()).as(file + " changed since Keras checked it").isEqualTo(sha256(bytes));
    }
    assertThat(record.get("ok").asBoolean()).as(file + ": " + record.get("error") + " diff " + record.get("max_abs_diff"))
        .isTrue();
    // The check allows max(1e-5, 1e-4 |expected|) per element; each loader found every element within 1e-5.
    assertThat(record.path("loaders").size()).as(file + ": loaders").isPositive();
    record.path("loaders").fields().forEachRemaining(loader -> assertThat(loader.getValue().path("max_abs_diff")
        .asDouble(Double.NaN)).as(file + ": " + loader.getKey() + " largest difference").isLessThanOrEqualTo(1e-5));
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
