package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Flatten;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.keras.KerasReader;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saving Keras files: what cannot be written fails with the file and the layer named, before
 * anything is touched; the previous file stays as it was and no temporary file is left behind.
 * (That real Keras loads what is written: examples' SavedKerasWeightsTest.)
 */
class NetworkSaveKerasTest {
  @TempDir Path tmp;

  private static Network dense(String... names) {
    List<ModelSpec.Named> layers = Stream.of(names)
        .map(n -> new ModelSpec.Named(n, new Dense(Framework.KERAS, 3, 0, true, Activation.LINEAR))).toList();
    return Network.create(ModelSpec.sequential("m", Framework.KERAS, Shape.of(4), layers));
  }

  /** {@link #dense} and a last tanh-approximate GELU, which Keras' activation strings lack: no Keras twin. */
  private static Network withoutTwin(String... names) {
    List<ModelSpec.Named> layers = new java.util.ArrayList<>(Stream.of(names)
        .map(n -> new ModelSpec.Named(n, new Dense(Framework.KERAS, 3, 0, true, Activation.LINEAR))).toList());
    layers.add(new ModelSpec.Named("gelu", new dev.sequent.model.layers.ActivationLayer(Framework.TORCH, "GELU",
        Activation.gelu(true))));
    return Network.create(ModelSpec.sequential("m", Framework.KERAS, Shape.of(4), layers));
  }

  @Test
  void aLayerNameKerasCannotHaveFailsNamingFileAndLayerAndKeepsThePreviousFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("old.h5"), "previous contents");
    IOException e = assertThrows(IOException.class, () -> dense("fc", "block/out").saveWeights(file));
    assertThat(e.getMessage()).contains(file.toString()).contains("layer 'block/out'").contains(".weights.h5");
    assertThat(Files.readString(file)).isEqualTo("previous contents");
    assertThat(tmp.toFile().list()).containsExactly("old.h5");

    // The Keras 3 layout names groups after layer classes, so the same model can be saved there.
    Network net = dense("fc", "block/out");
    Path keras3 = tmp.resolve("m.weights.h5");
    net.saveWeights(keras3);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4);
    assertClose(net.forward(x), dense("fc", "block/out").loadWeights(keras3).forward(x), "read back");
  }

  @Test
  void aModelWithoutWeightsOrAMissingDirectoryFailsWithTheFileNamed() {
    Network flat = Network.create(ModelSpec.sequential("f", Framework.KERAS, Shape.of(2, 2),
        List.of(new ModelSpec.Named("flat", new Flatten(Framework.KERAS, null)))));
    Path file = tmp.resolve("f.weights.h5");
    assertThat(assertThrows(IOException.class, () -> flat.saveWeights(file)).getMessage())
        .contains(file.toString()).contains("no weights");

    Path nowhere = tmp.resolve("missing").resolve("m.h5");
    assertThat(assertThrows(IOException.class, () -> dense("fc").saveWeights(nowhere)).getMessage())
        .contains(nowhere.toString()).contains("no such directory");
  }

  @Test
  void otherExtensionsAreRefusedWithTheWritableOnesListed() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> dense("fc").saveWeights(tmp.resolve("m.onnx")));
    assertThat(e.getMessage()).contains("m.onnx").contains(".keras").contains(".weights.h5").contains(".h5")
        .contains(".pt");
  }

  /**
   * The whole-model layout of tf_keras' {@code model.save("x.h5")}: three root attributes, the
   * weights layout in {@code model_weights}; jhdf's platform attribute removed; and the jhdf
   * signature, which jhdf 0.9.4 writes at the channel position after the last dataset, really at
   * the end: the superblock's end-of-file address is the file's length, so no object header (the
   * root's with {@code model_config} included) was written over. Real libhdf5 reading these files:
   * examples' SavedKerasWeightsTest.
   */
  @Test
  void anH5IsAWholeModelWithTheWeightsLayoutInModelWeightsAndNothingOverwritten() throws IOException {
    Network net = dense("fc", "out");
    Path file = tmp.resolve("whole.h5");
    net.saveWeights(file);
    String config = net.kerasH5Architecture().modelConfig().orElseThrow();
    try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(file)) {
      assertThat(hdf.getAttributes().keySet()).containsExactlyInAnyOrder("model_config", "keras_version", "backend");
      assertThat(hdf.getAttribute("model_config").getData()).isEqualTo(config);
      assertThat(hdf.getAttribute("keras_version").getData()).isEqualTo(KerasWeightsWriter.KERAS2_VERSION);
      assertThat(hdf.getAttribute("backend").getData()).isEqualTo("tensorflow");
      assertThat(hdf.getChildren().keySet()).containsExactly("model_weights");
      io.jhdf.api.Group weights = (io.jhdf.api.Group) hdf.getChild("model_weights");
      assertThat(weights.getAttributes().keySet()).containsExactlyInAnyOrder("layer_names", "keras_version", "backend");
      assertThat((String[]) weights.getAttribute("layer_names").getData()).containsExactly("fc", "out");
      assertThat(weights.getChildren().keySet()).containsExactlyInAnyOrder("fc", "out");
    }
    byte[] bytes = Files.readAllBytes(file);
    long declaredEnd = java.nio.ByteBuffer.wrap(bytes, 28, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(declaredEnd).isEqualTo(bytes.length);
    String tail = new String(bytes, bytes.length - 40, 40, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(tail).contains("jHDF - ");

    WeightFile read = WeightFiles.read(file);
    assertThat(read.format()).isEqualTo("keras2-h5");
    assertThat(KerasReader.modelConfig(read)).contains(config);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4);
    assertClose(net.forward(x), Network.load(file).forward(x), "loaded with no Java model");
    assertClose(net.forward(x), dense("fc", "out").loadWeights(file).forward(x), "loaded into the model");
  }

  /** A failure while the whole model is written (after its config) leaves the previous file and no temporary one. */
  @Test
  void aFailureWhileWritingAWholeModelKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("old.h5"), "previous contents");
    KerasWeightsWriter.Weight w = new KerasWeightsWriter.Weight("fc/bias:0", "layers/dense/vars/0", new long[] {1},
        new float[] {1f});
    List<KerasWeightsWriter.LayerWeights> twice = List.of(new KerasWeightsWriter.LayerWeights("fc", List.of(w)),
        new KerasWeightsWriter.LayerWeights("fc", List.of(w)));
    IOException e = assertThrows(IOException.class, () -> KerasWeightsWriter.write(twice, file,
        KerasWeightsWriter.Layout.LEGACY_H5, java.util.Optional.of(dense("fc").kerasH5Architecture().modelConfig()
            .orElseThrow())));
    assertThat(e.getMessage()).contains(file.toString()).contains("two layers are named 'fc'");
    assertThat(Files.readString(file)).isEqualTo("previous contents");
    assertThat(tmp.toFile().list()).containsExactly("old.h5");
  }

  /** Keras splits string lists beyond HDF5's 64 KiB object-header limit; so does Sequent, and reads them back. */
  @Test
  void manyLayersSplitLayerNamesAsKerasDoes() throws IOException {
    String[] names = new String[1200];
    for (int i = 0; i < names.length; i++) {
      names[i] = String.format("a_rather_long_layer_name_that_keras_would_also_accept_%04d", i);
    }
    // Its config would not fit an attribute jhdf writes (a 16-bit message size): refused, naming the
    // size and the alternative, and nothing written.
    Path refused = tmp.resolve("refused.h5");
    assertThat(assertThrows(UnsupportedOperationException.class, () -> dense(names).saveWeights(refused))
        .getMessage()).contains("cannot save " + refused).contains("model_config is ").contains(" bytes")
        .contains("jhdf").contains("write .keras instead");
    assertThat(refused).doesNotExist();
    // The weights layout alone splits the names: a model without a twin (a tanh-approximate GELU,
    // no weights of its own) still writes a weights-only .h5.
    Network net = withoutTwin(names);
    assertThat(net.kerasH5Architecture().whyWeightsOnly()).get().asString().contains("tanh approximation");
    Path file = tmp.resolve("many.h5");
    net.saveWeights(file);
    try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(file)) {
      assertThat(hdf.getAttribute("layer_names")).isNull();
      assertThat((String[]) hdf.getAttribute("layer_names0").getData()).hasSize(600).startsWith(names[0]);
      assertThat((String[]) hdf.getAttribute("layer_names1").getData()).hasSize(600).endsWith(names[1199]);
    }
    WeightFile read = WeightFiles.read(file);
    assertThat(read.layerOrder()).hasSize(names.length);
    assertThat(read.layerOrder().get(1199).layerName()).isEqualTo(names[1199]);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4);
    assertClose(net.forward(x), withoutTwin(names).loadWeights(file).forward(x), "read back");
  }
}
