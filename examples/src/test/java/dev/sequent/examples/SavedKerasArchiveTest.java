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
import dev.sequent.examples.torch.TinyResidualNet;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.examples.torch.TorchLayerNormNet;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.examples.WrittenModels.Model;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.Dense;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code .keras} archives written by Sequent ({@code config.json}: the Keras 3 config of the
 * model's channels-last Keras twin; {@code model.weights.h5}: the Keras 3 weights layout): Sequent
 * reads each back with no Java class ({@link Network#load}) and into the Java model, and real
 * Keras 3 checked these exact files (fixtures/check_sequent_writes.sh runs
 * fixtures/check_sequent_keras_writes.py, which records its verdicts in
 * fixtures/reference/sequent_keras_archive_check.json): {@code keras.models.load_model} with no
 * model code and no custom objects, and, for the reference models, {@code model.load_weights}
 * into the real Keras twin, each reproducing the source framework's recorded outputs within 1e-5
 * (1e-4 relative above 1), on channels-last input for image models.
 *
 * <p>Sources, as in {@link SavedKerasWeightsTest}: real PyTorch state_dicts loaded into the
 * Keras-vocabulary models and into the PyTorch-vocabulary twins, real Keras 3 archives
 * round-tripped through the Keras-vocabulary models, whole pickled PyTorch {@code nn.Sequential}s
 * read with no Java class, the {@code convert} command on the same files, the residual Module (a
 * Functional model), and a Dense stack whose config is far too long for an {@code .h5}.
 *
 * <p>How "the same file" is decided: the archive's bytes differ from one save to the next only in
 * {@code metadata.json}'s {@code date_saved} (and, on another platform, in jhdf's signature at the
 * end of {@code model.weights.h5}, which changes that entry's size and CRC). So the recorded
 * {@code content_sha256} hashes, entry by entry in zip order, each entry's name and the sha256 of
 * its content, with {@code date_saved} emptied in {@code metadata.json} and the weights entry
 * taken without jhdf's signature and with its superblock's end-of-file address and checksum
 * zeroed ({@link SavedKerasWeightsTest#contentSha256}). A change to anything the writer puts in an
 * archive fails this test until real Keras has checked the new bytes; the zip structure itself
 * (entries, order, stored, times) is asserted on every file here.
 */
class SavedKerasArchiveTest {
  static final Path OUT = Path.of("target", "written");
  static final Path RECORD = Path.of("reference", "sequent_keras_archive_check.json");



  private static final List<Model> TORCH = WrittenModels.torch("lenet5", "cnn", "batchnorm", "layernorm", "residual");

  static Stream<Arguments> saved() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Model m : WrittenModels.KERAS) {
      b.add(Arguments.of(m, "torch_state_dict.pt"));
      b.add(Arguments.of(m, "keras3.keras"));
    }
    for (Model m : TORCH) {
      b.add(Arguments.of(m, "torch_state_dict.pt"));
    }
    return b.build();
  }

  /** Java models loaded with real PyTorch or Keras files, saved as {@code .keras}. */
  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("saved")
  void savedArchivesCarryTheSourceModel(Model m, String source) throws Exception {
    Network net = Network.create(m.model().get(), 3).loadWeights(reference(m.fixture(), source));
    assertThat(net.kerasArchiveConfig().configJson()).isPresent();
    Files.createDirectories(OUT);
    Path file = OUT.resolve(m.fixture() + "__" + source + "__" + m.javaName() + ".keras");
    net.saveWeights(file);

    INDArray x = npy(m.fixture(), m.vocabulary() == Framework.KERAS ? "input_keras.npy" : "input_torch.npy");
    assertClose(net.forward(x), Network.create(m.model().get(), 5).loadWeights(file).forward(x),
        file + " read back into " + m.javaName());
    // The whole model needs no Java class: Sequent rebuilds the channels-last Keras twin from config.json.
    INDArray expected = m.vocabulary() == Framework.TORCH ? toChannelsLast(net.forward(x)) : net.forward(x);
    Network keras = Network.load(file);
    assertThat(keras.model().spec().framework()).isEqualTo(Framework.KERAS);
    assertClose(expected, keras.forward(npy(m.fixture(), "input_keras.npy")), file + " loaded as a whole model");
    if (m.fixture().equals("residual")) {
      assertThat(net.kerasArchiveConfig().configJson().orElseThrow()).contains("\"Functional\"");
    }
    assertCheckedByKeras(file);
  }

  /**
   * The chain: a whole pickled PyTorch model, no Java source, to a {@code .keras} that
   * {@code load_model} reads with no model code (and that Sequent's own {@link Network#load} reads).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pickled")
  void pickledPyTorchModelsBecomeKerasArchives(String fixture, String inputShape) throws Exception {
    Path source = reference(fixture, "torch_model.pt");
    Network net = inputShape.isEmpty() ? Network.load(source) : Network.load(source, shape(inputShape));
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__torch_model.pt__pickled.keras");
    net.saveWeights(file);

    Network keras = Network.load(file);
    assertThat(keras.model().spec().framework()).isEqualTo(Framework.KERAS);
    assertClose(toChannelsLast(npy(fixture, "output_torch.npy")), keras.forward(npy(fixture, "input_keras.npy")),
        file + " loaded as a whole model");
    assertCheckedByKeras(file);
  }

  static Stream<Arguments> pickled() {
    return Stream.of(WrittenModels.PICKLED).map(p -> Arguments.of(p[0], p[1]));
  }

  /** {@code ./sequent convert} of the same pickled models to {@code .keras}: a whole model, and it says so. */
  @ParameterizedTest(name = "convert {0}")
  @MethodSource("pickled")
  void convertWritesKerasArchivesFromPickledPyTorchModels(String fixture, String inputShape) throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve(fixture + "__torch_model.pt__convert-pickled.keras");
    String source = reference(fixture, "torch_model.pt").toString();
    String[] args = inputShape.isEmpty()
        ? new String[] {"convert", source, file.toString()}
        : new String[] {"convert", source, file.toString(), "--input-shape", inputShape};
    String printed = stdout(() -> assertThat(SequentCli.run(args)).isZero());
    assertThat(printed.lines().filter(l -> l.contains("whole model")).toList()).singleElement().asString()
        .contains("Keras 3 archive").contains("keras.models.load_model");
    assertCheckedByKeras(file);
  }

  /** {@code ./sequent convert} of a state_dict with {@code --class}, printing the Keras 3 paths written. */
  @ParameterizedTest(name = "convert {0} {1} -> {2}")
  @CsvSource({
      "lenet5, torch_state_dict.pt, dev.sequent.examples.keras.KerasLeNet5",
      "cnn, torch_state_dict.pt, dev.sequent.examples.torch.TorchCnn",
      "batchnorm, keras3.keras, dev.sequent.examples.keras.KerasBatchNorm",
      "residual, torch_state_dict.pt, dev.sequent.examples.torch.TinyResidual"})
  void convertCommandWritesArchivesKerasLoads(String fixture, String source, String modelClass) throws Exception {
    Files.createDirectories(OUT);
    String javaName = modelClass.substring(modelClass.lastIndexOf('.') + 1);
    Path file = OUT.resolve(fixture + "__" + source + "__convert-" + javaName + ".keras");
    String printed = stdout(() -> assertThat(SequentCli.run("convert", reference(fixture, source).toString(),
        file.toString(), "--class", modelClass)).isZero());
    assertThat(printed).contains("for the Keras equivalent").contains("whole model (Keras 3 archive");
    assertThat(printed).contains("-> layers/");
    assertCheckedByKeras(file);
  }

  /**
   * A model with custom layers has no Keras config Keras could rebuild, so no {@code .keras}:
   * {@code saveWeights} and {@code convert} refuse with the reason and write nothing.
   */
  @Test
  void aModelWithCustomLayersIsRefusedWithTheReasonAndNothingIsWritten() throws Exception {
    Files.createDirectories(OUT);
    Network net = Network.create(CustomLayersNet.model(), 3).loadWeights(reference("custom", "torch_state_dict.pt"));
    String why = net.kerasArchiveConfig().whyNone().orElseThrow();
    assertThat(why).contains("layer shift (AddVector): a custom layer");
    Path file = OUT.resolve("custom__torch_state_dict.pt__CustomLayers.keras");
    Files.deleteIfExists(file);
    assertThat(assertThrows(UnsupportedOperationException.class, () -> net.saveWeights(file)).getMessage())
        .contains(file.toString()).contains("a .keras archive is a whole Keras model").contains(why)
        .contains(".weights.h5");
    assertThat(file).doesNotExist();

    Path converted = OUT.resolve("custom__torch_state_dict.pt__convert-CustomLayers.keras");
    Files.deleteIfExists(converted);
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String printed = stdout(() -> assertThat(SequentCli.run("convert",
          reference("custom", "torch_state_dict.pt").toString(), converted.toString(),
          "--class", "dev.sequent.examples.torch.CustomLayers")).isEqualTo(1));
      assertThat(printed).doesNotContain("wrote");
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("sequent: cannot save").contains(why).contains(".weights.h5");
    assertThat(converted).doesNotExist();
  }

  /**
   * A config far beyond what an {@code .h5} can hold (jhdf's 64 KiB attribute message; the
   * whole-model {@code .h5} stops at 119 Dense layers): 300 Dense layers, a config of over 200 KB,
   * which real Keras' {@code load_model} rebuilds (checked against Sequent's own output, written
   * beside it: no reference model has so many layers).
   */
  @Test
  void aConfigTooLongForAnH5IsWrittenIntoAnArchiveThatKerasLoads() throws Exception {
    Files.createDirectories(OUT);
    Network net = denseStack(300);
    assertThat(net.kerasH5Architecture().wholeModel()).isFalse();
    assertThat(net.kerasArchiveConfig().configJson().orElseThrow().length()).isGreaterThan(200_000);
    Path file = OUT.resolve("dense_stack__sequent__DenseStack300.keras");
    net.saveWeights(file);
    INDArray x = Nd4j.createFromArray(new float[][] {{0.5f, -1f}, {2f, 0.25f}, {-0.75f, 1.5f}, {0f, -2f}});
    Nd4j.writeAsNumpy(x, OUT.resolve(file.getFileName() + ".input.npy").toFile());
    Nd4j.writeAsNumpy(net.forward(x), OUT.resolve(file.getFileName() + ".output.npy").toFile());
    assertThat(net.forward(x).amaxNumber().doubleValue()).isGreaterThan(0.1);
    assertClose(net.forward(x), Network.load(file).forward(x), file + " loaded as a whole model");
    assertCheckedByKeras(file);
  }

  /**
   * Dense(2) layers d0, d1, ... on 2 features, each kernel a random rotation or reflection and each
   * bias random in [-0.1, 0.1): the output stays of order 1 and depends on every layer's weights
   * and on their order (reflections and rotations do not commute, nor do the biases), so a weight
   * in the wrong layer would show (tanh layers with random kernels would give an output near 0).
   */
  private static Network denseStack(int layers) {
    List<ModelSpec.Named> named = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      named.add(new ModelSpec.Named("d" + i, new Dense(Framework.KERAS, 2, 0, true, Activation.LINEAR)));
    }
    Network net = Network.create(ShapeInference.inferOrThrow(
        ModelSpec.sequential("dense_stack", Framework.KERAS, Shape.of(2), named)), 11);
    java.util.Random random = new java.util.Random(17);
    List<INDArray> weights = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      double angle = 2 * Math.PI * random.nextDouble();
      float c = (float) Math.cos(angle);
      float s = (float) Math.sin(angle);
      float flip = random.nextBoolean() ? -1f : 1f;
      weights.add(Nd4j.createFromArray(new float[][] {{c, s}, {-s * flip, c * flip}}));
      weights.add(Nd4j.createFromArray((random.nextFloat() - 0.5f) * 0.2f, (random.nextFloat() - 0.5f) * 0.2f));
    }
    return net.setWeights(weights);
  }




  /**
   * The archive is Keras' three entries, stored, at the zip epoch, and real Keras checked an
   * archive with this content: {@code load_model} (and, for reference models, {@code load_weights})
   * reproduced the source framework's outputs.
   */
  private static void assertCheckedByKeras(Path file) throws IOException, NoSuchAlgorithmException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      assertThat(entries).extracting(ZipEntry::getName)
          .containsExactly("metadata.json", "config.json", "model.weights.h5");
      assertThat(entries).allSatisfy(e -> assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED));
    }
    JsonNode record = json(root().resolve(RECORD)).path("checks").path(file.getFileName().toString());
    assertThat(record.isMissingNode()).as(file + " not checked by real Keras; run fixtures/check_sequent_writes.sh")
        .isFalse();
    assertThat(record.get("content_sha256").asText()).as(file + " changed since Keras checked it")
        .isEqualTo(contentSha256(file));
    assertThat(record.path("loaders").path("keras_load_model").path("ok").asBoolean())
        .as(file + ": Keras 3 load_model " + record.path("loaders").path("keras_load_model")).isTrue();
    assertThat(record.get("ok").asBoolean()).as(file + ": " + record.get("error") + " diff " + record.get("max_abs_diff"))
        .isTrue();
  }

  /** See the class comment; {@code fixtures/check_sequent_keras_writes.py} computes the same. */
  static String contentSha256(Path archive) throws IOException, NoSuchAlgorithmException {
    StringBuilder listing = new StringBuilder();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        String hash;
        if (e.getName().equals("model.weights.h5")) {
          hash = SavedKerasWeightsTest.contentSha256(bytes);
        } else if (e.getName().equals("metadata.json")) {
          hash = sha256(new String(bytes, StandardCharsets.UTF_8)
              .replaceAll("\"date_saved\": \"[^\"]*\"", "\"date_saved\": \"\"").getBytes(StandardCharsets.UTF_8));
        } else {
          hash = sha256(bytes);
        }
        listing.append(e.getName()).append('\n').append(hash).append('\n');
      }
    }
    return sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
