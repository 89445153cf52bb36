package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Flatten;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.keras.KerasArchiveWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saving {@code .keras} archives: Keras 3's entries in Keras' order, stored, at the zip epoch;
 * {@code config.json} the Keras 3 config of the twin, {@code model.weights.h5} the very
 * {@code .weights.h5} Sequent writes; read back by Sequent with and without a Java model; no
 * config size limit; a model with no Keras twin refused with the reason, nothing written.
 * (That real Keras' {@code load_model} loads what is written: examples' SavedKerasArchiveTest.)
 */
class NetworkSaveKerasArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Network dense(String... names) {
    List<ModelSpec.Named> layers = Stream.of(names)
        .map(n -> new ModelSpec.Named(n, new Dense(Framework.KERAS, 3, 0, true, Activation.of(Activation.Kind.TANH))))
        .toList();
    return Network.create(
        ShapeInference.inferOrThrow(ModelSpec.sequential("m", Framework.KERAS, Shape.of(3), layers)), 7);
  }

  /** A channels-first PyTorch-vocabulary model: its archive describes the channels-last Keras twin. */
  private static Network torchConv() {
    return Network.create(ShapeInference.inferOrThrow(ModelSpec.sequential("tconv", Framework.TORCH, Shape.of(2, 5, 5), List.of(
        new ModelSpec.Named("conv", new Conv2D(Framework.TORCH, 3, 3, 3, 1, 1, Padding.explicit(1, 1), 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_FIRST, 0)),
        new ModelSpec.Named("act", new ActivationLayer(Framework.TORCH, "ReLU", Activation.of(Activation.Kind.RELU))),
        new ModelSpec.Named("flat", new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST)),
        new ModelSpec.Named("fc", new Dense(Framework.TORCH, 4, 0, true, Activation.LINEAR))))), 5);
  }

  @Test
  void anArchiveHoldsKerasEntriesStoredAtTheZipEpochWithTheTwinsConfigAndTheWeightsFile() throws IOException {
    Network net = torchConv();
    Path file = tmp.resolve("m.keras");
    net.saveWeights(file);
    Path weights = tmp.resolve("m.weights.h5");
    net.saveWeights(weights);

    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      assertThat(entries).extracting(ZipEntry::getName)
          .containsExactly("metadata.json", "config.json", "model.weights.h5")
          .isEqualTo(KerasArchiveWriter.ENTRIES);
      for (ZipEntry e : entries) {
        assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED);
        assertThat(e.getTimeLocal()).as(e.getName()).isEqualTo(LocalDateTime.of(1980, 1, 1, 0, 0));
        assertThat(e.getExtra()).as(e.getName()).isNull();
      }
      JsonNode metadata = JSON.readTree(read(zip, "metadata.json"));
      assertThat(metadata.fieldNames()).toIterable().containsExactly("keras_version", "date_saved");
      assertThat(metadata.get("keras_version").asText()).isEqualTo(KerasArchiveWriter.KERAS3_VERSION);
      assertThat(metadata.get("date_saved").asText()).matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d");

      String config = new String(read(zip, "config.json"), StandardCharsets.UTF_8);
      assertThat(config).isEqualTo(net.kerasArchiveConfig().configJson().orElseThrow());
      JsonNode parsed = JSON.readTree(config);
      assertThat(parsed.get("class_name").asText()).isEqualTo("Sequential");
      assertThat(parsed.at("/config/layers/0/config/batch_shape").toString()).isEqualTo("[null,5,5,2]");
      assertThat(parsed.at("/config/layers/1/config/data_format").asText()).isEqualTo("channels_last");
      // the weights entry is the .weights.h5 Sequent writes for the same weights, byte for byte
      assertThat(read(zip, "model.weights.h5")).isEqualTo(Files.readAllBytes(weights));
    }

    WeightFile read = WeightFiles.read(file);
    assertThat(read.format()).startsWith("keras3-archive");
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 5, 5);
    assertClose(net.forward(x), torchConv().loadWeights(file).forward(x), "loaded into the model");
    Network keras = Network.load(file);
    assertThat(keras.model().spec().framework()).isEqualTo(Framework.KERAS);
    assertClose(net.forward(x), keras.forward(toChannelsLast(x)), "loaded with no Java model, channels-last");
    assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("m.keras", "m.weights.h5");
  }

  /** The config is a zip entry, not an HDF5 attribute: no size limit, where an .h5 holds the weights alone. */
  @Test
  void aConfigTooLongForAnH5GoesIntoAnArchive() throws IOException {
    String[] names = new String[400];
    for (int i = 0; i < names.length; i++) {
      names[i] = "layer_" + i;
    }
    Network net = dense(names);
    assertThat(net.kerasH5Architecture().wholeModel()).isFalse();
    String config = net.kerasArchiveConfig().configJson().orElseThrow();
    assertThat(config.length()).isGreaterThan(200_000);
    Path file = tmp.resolve("long.keras");
    net.saveWeights(file);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3);
    assertClose(net.forward(x), Network.load(file).forward(x), "loaded with no Java model");
  }

  /** A model with no Keras twin has no config.json: refused with the reason, the previous file kept. */
  @Test
  void aModelWithoutAKerasTwinIsRefusedWithTheReasonAndNothingIsWritten() throws IOException {
    Network gelu = Network.create(ModelSpec.sequential("g", Framework.TORCH, Shape.of(4), List.of(
        new ModelSpec.Named("fc", new Dense(Framework.TORCH, 4, 0, true, Activation.LINEAR)),
        new ModelSpec.Named("act", new ActivationLayer(Framework.TORCH, "GELU", Activation.gelu(true))))));
    assertThat(gelu.kerasArchiveConfig().whyNone()).get().asString().contains("layer act").contains("tanh");
    Path file = Files.writeString(tmp.resolve("g.keras"), "previous contents");
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> gelu.saveWeights(file));
    assertThat(e.getMessage()).contains(file.toString()).contains(".keras archive is a whole Keras model")
        .contains(gelu.kerasArchiveConfig().whyNone().orElseThrow()).contains(".weights.h5");
    assertThat(Files.readString(file)).isEqualTo("previous contents");
    assertThat(tmp.toFile().list()).containsExactly("g.keras");
  }

  /** A failure while the weights are written leaves the previous archive and no temporary file. */
  @Test
  void aFailureWhileWritingKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
    Network net = dense("fc", "out");
    Path file = Files.writeString(tmp.resolve("old.keras"), "previous contents");
    dev.sequent.runtime.io.keras.KerasWeightsWriter.Weight w = new dev.sequent.runtime.io.keras.KerasWeightsWriter
        .Weight("fc/bias:0", "layers/dense/vars/0", new long[] {1}, new float[] {1f});
    List<dev.sequent.runtime.io.keras.KerasWeightsWriter.LayerWeights> twice = List.of(
        new dev.sequent.runtime.io.keras.KerasWeightsWriter.LayerWeights("fc", List.of(w)),
        new dev.sequent.runtime.io.keras.KerasWeightsWriter.LayerWeights("out", List.of(w)));
    IOException e = assertThrows(IOException.class, () -> KerasArchiveWriter.write(twice,
        net.kerasArchiveConfig().configJson().orElseThrow(), file, dev.sequent.runtime.io.WeightProgress.NONE));
    assertThat(e.getMessage()).contains(file.toString()).contains("written twice").doesNotContain(".tmp");
    assertThat(Files.readString(file)).isEqualTo("previous contents");
    assertThat(tmp.toFile().list()).containsExactly("old.keras");

    Path nowhere = tmp.resolve("missing").resolve("m.keras");
    assertThat(assertThrows(IOException.class, () -> net.saveWeights(nowhere)).getMessage())
        .contains(nowhere.toString()).contains("no such directory");
  }

  private static byte[] read(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return in.readAllBytes();
    }
  }
}
