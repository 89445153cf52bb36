package dev.sequent.runtime.io.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFile.LayerWeights;
import dev.sequent.runtime.io.keras.KerasFixtures.KerasView;
import dev.sequent.runtime.io.keras.KerasFixtures.LayerView;
import dev.sequent.runtime.io.keras.KerasFixtures.WeightView;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corners of the layouts, each on a real file: exact names, order rules, dtypes, detection. */
class KerasReaderLayoutTest {

  /**
   * A bare Keras 3 .weights.h5 does not record layer order: groups are named by class and HDF5
   * lists them by name. The reader then uses Keras's walk order as the names show it.
   * vars/10 comes after vars/9 and the int32 counter (vars/11) is not a tensor.
   */
  @Test
  void keras3WeightsFileNamesAndWalkOrder() {
    WeightFile read = KerasReader.read(KerasFixtures.file("mixed", "keras3_model.weights.h5"));
    List<String> scales = IntStream.rangeClosed(0, 10).mapToObj(i -> "layers/step_scales/vars/" + i).toList();
    assertEquals(List.of(
        new LayerWeights("double_dense", List.of("layers/dense/vars/0", "layers/dense/vars/1")),
        new LayerWeights("out", List.of("layers/dense_1/vars/0", "layers/dense_1/vars/1")),
        new LayerWeights("half_dense",
            List.of("layers/functional/layers/dense/vars/0", "layers/functional/layers/dense/vars/1")),
        new LayerWeights("step_scales", scales)),
        read.layerOrder());
  }

  /** In a .keras archive, config.json gives the model order of the same groups. */
  @Test
  void archiveOrdersLayersByConfig() {
    WeightFile read = KerasReader.read(KerasFixtures.file("mixed", "keras3_model.keras"));
    assertEquals(List.of("double_dense", "half_dense", "step_scales", "out"),
        read.layerOrder().stream().map(LayerWeights::layerName).toList());
    assertEquals(List.of("layers/dense_1/vars/0", "layers/dense_1/vars/1"), read.layerOrder().get(3).tensorNames());
    assertTrue(KerasReader.modelConfig(read).orElseThrow().startsWith("{\"module\": \"keras\""),
        "config.json is kept as written");
  }

  @Test
  void scalarsAreRankZeroAndIntegerStateIsNoWeight() {
    for (String file : List.of("tf_keras_model.h5", "tf_keras_weights.h5", "keras3_model.h5",
        "keras3_model.keras", "keras3_model.weights.h5")) {
      WeightFile read = KerasReader.read(KerasFixtures.file("mixed", file));
      LayerWeights steps = read.layerOrder().stream().filter(l -> l.layerName().equals("step_scales"))
          .findFirst().orElseThrow();
      assertEquals(11, steps.tensorNames().size(), file);
      for (String name : steps.tensorNames()) {
        NamedTensor t = read.tensors().get(name);
        assertEquals(0, t.rank(), name);
        assertEquals(1, t.data().length, name);
      }
      assertTrue(read.tensors().keySet().stream().noneMatch(n -> n.contains("calls") || n.endsWith("vars/11")),
          file + " has no int32 counter among its tensors: " + read.tensors().keySet());
    }
  }

  /** The float64 layer becomes float32 rounded to nearest, the float16 one widens exactly. */
  @Test
  void float64AndFloat16BecomeFloat32() {
    WeightFile read = KerasReader.read(KerasFixtures.file("mixed", "tf_keras_weights.h5"));
    KerasView keras = KerasFixtures.view("mixed", "tf_keras_weights.h5");
    WeightView doubleKernel = weight(keras, "double_dense", "double_dense/kernel:0");
    WeightView halfKernel = weight(keras, "block", "half_dense/kernel:0");
    assertEquals("float64", doubleKernel.dtype());
    assertEquals("float16", halfKernel.dtype());
    float[] fromDouble = read.tensors().get("double_dense/kernel:0").data();
    float[] expected = KerasFixtures.values("mixed", "tf_keras_weights.h5", doubleKernel);
    assertArrayEquals(expected, fromDouble);
    assertArrayEquals(KerasFixtures.values("mixed", "tf_keras_weights.h5", halfKernel),
        read.tensors().get("half_dense/kernel:0").data());
  }

  /** The mixed files carry Adam state; none of it may come out as a weight. */
  @Test
  void optimizerStateIsIgnored() throws Exception {
    try (HdfFile h5 = new HdfFile(KerasFixtures.file("mixed", "keras3_model.weights.h5"))) {
      assertNotNull(h5.getChildren().get("optimizer"), "fixture has optimizer state");
    }
    try (HdfFile h5 = new HdfFile(KerasFixtures.file("mixed", "tf_keras_model.h5"))) {
      assertNotNull(h5.getChildren().get("optimizer_weights"), "fixture has optimizer state");
    }
    for (String file : List.of("tf_keras_model.h5", "keras3_model.h5", "keras3_model.weights.h5", "keras3_model.keras")) {
      WeightFile read = KerasReader.read(KerasFixtures.file("mixed", file));
      assertTrue(read.tensors().keySet().stream().noneMatch(n -> n.startsWith("optimizer") || n.contains("Adam")
          || n.contains("adam") || n.contains("iteration")), file + ": " + read.tensors().keySet());
    }
  }

  /** layer_names longer than 64 KiB is split by Keras into layer_names0, layer_names1. */
  @Test
  void chunkedLayerNamesAreJoined() throws Exception {
    Path file = KerasFixtures.file("edge", "tf_keras_long_names_weights.h5");
    try (HdfFile h5 = new HdfFile(file)) {
      assertNotNull(h5.getAttribute("layer_names0"), "fixture has chunked layer_names");
    }
    WeightFile read = KerasReader.read(file);
    assertEquals("keras-h5-weights", read.format());
    assertEquals(List.of(new LayerWeights("first", List.of("first/kernel:0", "first/bias:0")),
        new LayerWeights("last", List.of("last/kernel:0", "last/bias:0"))), read.layerOrder());
    assertValuesEqualKeras("edge", "tf_keras_long_names_weights.h5", read);
  }

  /** tf_keras keeps a subclassed model's own weights in top_level_model_weights, loaded last. */
  @Test
  void topLevelModelWeightsComeLast() {
    WeightFile read = KerasReader.read(KerasFixtures.file("edge", "tf_keras_subclassed_weights.h5"));
    assertEquals(List.of(
        new LayerWeights("inner_dense", List.of("subclassed/inner_dense/kernel:0", "subclassed/inner_dense/bias:0")),
        new LayerWeights("top_level_model_weights", List.of("scale:0"))), read.layerOrder());
    KerasView keras = KerasFixtures.view("edge", "tf_keras_subclassed_weights.h5");
    assertEquals(keras.modelWeights(), List.copyOf(read.tensors().keySet()));
    assertValuesEqualKeras("edge", "tf_keras_subclassed_weights.h5", read);
  }

  /** The form is recognised from the content, whatever the file is called. */
  @Test
  void formatComesFromContentNotName(@TempDir Path tmp) throws Exception {
    Path archiveNamedH5 = tmp.resolve("model.h5");
    Files.copy(KerasFixtures.file("functional", "keras3_model.keras"), archiveNamedH5);
    Path h5NamedKeras = tmp.resolve("model.keras");
    Files.copy(KerasFixtures.file("functional", "tf_keras_model.h5"), h5NamedKeras);
    Path noExtension = tmp.resolve("weights");
    Files.copy(KerasFixtures.file("functional", "keras3_model.weights.h5"), noExtension);

    assertEquals("keras3-archive", KerasReader.read(archiveNamedH5).format());
    assertEquals("keras2-h5", KerasReader.read(h5NamedKeras).format());
    assertEquals("keras3-weights-h5", KerasReader.read(noExtension).format());
  }

  /** The archive's model.weights.h5 is copied to a temporary file, which must not outlive the read. */
  @Test
  void archiveLeavesNoTemporaryFileBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = temporaryCopies(tmp);
    assertFalse(KerasReader.read(KerasFixtures.file("sequential", "keras3_model.keras")).tensors().isEmpty());
    assertEquals(before, temporaryCopies(tmp));
  }

  private static List<Path> temporaryCopies(Path tmp) throws Exception {
    try (var files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("sequent-keras-")).sorted().toList();
    }
  }

  private static WeightView weight(KerasView keras, String layer, String name) {
    return keras.layers().stream().filter(l -> l.name().equals(layer)).flatMap(l -> l.weights().stream())
        .filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  /** Every float weight Keras lists, found by its name, has Keras's shape and values. */
  private static void assertValuesEqualKeras(String model, String file, WeightFile read) {
    KerasView keras = KerasFixtures.view(model, file);
    int compared = 0;
    for (LayerView layer : keras.layers()) {
      for (WeightView w : layer.floatWeights()) {
        NamedTensor t = read.tensors().get(w.name());
        assertNotNull(t, w.name());
        assertArrayEquals(w.shape(), t.shape());
        assertArrayEquals(KerasFixtures.values(model, file, w), t.data(), w.name());
        compared++;
      }
    }
    assertTrue(compared > 0);
  }
}
