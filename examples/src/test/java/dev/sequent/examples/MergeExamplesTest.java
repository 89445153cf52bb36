package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.examples.keras.KerasMergesNet;
import dev.sequent.examples.keras.KerasSqueezeExciteNet;
import dev.sequent.examples.torch.TorchCatGateNet;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.layers.Concatenate;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Java-declared merge models ({@link dev.sequent.examples.keras.KerasMerges},
 * {@link dev.sequent.examples.keras.KerasSqueezeExcite}, {@link dev.sequent.examples.torch.TorchCatGate})
 * load the weights of the files real Keras 3 and PyTorch saved (fixtures/make_merge_fixtures.py)
 * by name and compute the frameworks' outputs at batch 8 and one sample at a time; their compiled
 * summaries, and those of the loaded files, equal Keras' {@code summary()} columns and torchinfo's.
 */
class MergeExamplesTest {
  private static final Path DIR = root().resolve("merges");

  @Test
  void kerasMergesLoadsTheKerasFilesWeightsByName() {
    for (String file : List.of("keras_merges.keras", "keras_merges.h5")) {
      Network net = KerasMergesNet.create().loadWeights(DIR.resolve(file));
      check(net, "keras_merges", file);
    }
  }

  @Test
  void kerasSqueezeExciteLoadsTheKerasFilesWeightsByName() {
    for (String file : List.of("keras_squeeze_excite.keras", "keras_squeeze_excite.h5")) {
      Network net = KerasSqueezeExciteNet.create().loadWeights(DIR.resolve(file));
      check(net, "keras_squeeze_excite", file);
    }
  }

  @Test
  void torchCatGateLoadsTheStateDictByName() {
    InferredModel m = TorchCatGateNet.model();
    assertThat(m.layer("joined").outputShape()).isEqualTo(Shape.of(6, 6, 6));
    assertThat(m.layer("gated").inputShapes()).containsExactly(Shape.of(6, 6, 6), Shape.of(1, 6, 6));
    Network net = TorchCatGateNet.create().loadWeights(DIR.resolve("torch_cat_gate.pt"));
    check(net, "torch_cat_gate", "torch_cat_gate.pt");
  }

  /**
   * The channels-last Keras twin of the PyTorch model joins on {@code axis=-1} where PyTorch joins on
   * {@code dim=1}, broadcasts the gate {@code [h,w,1]} over {@code [h,w,6]}, and with the exported
   * weights gives PyTorch's output on the transposed input.
   */
  @Test
  void theKerasTwinOfTorchCatJoinsTheChannelsLast() {
    Network net = TorchCatGateNet.create().loadWeights(DIR.resolve("torch_cat_gate.pt"));
    InferredModel twin = KerasTwin.of(net.model());
    assertThat(twin.layer("joined").spec()).isEqualTo(new Concatenate(Framework.KERAS, -1, 2));
    assertThat(twin.layer("joined").outputShape()).isEqualTo(Shape.of(6, 6, 6));
    assertThat(twin.layer("gated").inputShapes()).containsExactly(Shape.of(6, 6, 6), Shape.of(6, 6, 1));
    Network keras = Network.create(twin, 1).setWeights(net.getWeights());
    assertClose(npy("torch_cat_gate_output.npy"), keras.forward(toChannelsLast(npy("torch_cat_gate_input.npy"))),
        "Keras twin of TorchCatGate");
  }

  /** Unflatten into a channels-first image keeps PyTorch's memory order, which no single Keras Reshape has. */
  @Test
  void unflatteningIntoAChannelsFirstImageHasNoKerasTwin() {
    InferredModel m = Network.load(DIR.resolve("torch_unflatten.pt"), Shape.of(12)).model();
    assertThat(KerasTwin.whyNone(m)).hasValueSatisfying(why -> assertThat(why)
        .contains("layer 1 (Unflatten)").contains("channels-first image"));
  }

  @Test
  void compiledKerasModelsHaveKerasSummaries() {
    kerasSummary(KerasMergesNet.model(), "keras_merges");
    kerasSummary(KerasSqueezeExciteNet.model(), "keras_squeeze_excite");
  }

  /** The files loaded with no Java source summarise as Keras does. */
  @ParameterizedTest
  @ValueSource(strings = {"keras_merges", "keras_squeeze_excite", "keras_reshape_permute", "keras_preprocessing"})
  void loadedKerasFilesHaveKerasSummaries(String name) {
    kerasSummary(Network.load(DIR.resolve(name + ".keras")).model(), name);
    kerasSummary(Network.load(DIR.resolve(name + ".h5")).model(), name);
  }

  @Test
  void torchModelsHaveTorchinfoSummaries() {
    torchSummary(TorchCatGateNet.model(), "torch_cat_gate");
    torchSummary(Network.load(DIR.resolve("torch_unflatten.pt"), Shape.of(12)).model(), "torch_unflatten");
  }

  private static void check(Network net, String stem, String what) {
    INDArray x = npy(stem + "_input.npy");
    INDArray expected = npy(stem + "_output.npy");
    assertClose(expected, net.forward(x), what + " batch of 8");
    for (int i = 0; i < x.size(0); i++) {
      assertClose(expected.get(NDArrayIndex.interval(i, i + 1)),
          net.forward(x.get(NDArrayIndex.interval(i, i + 1)).dup('c')), what + " sample " + i);
    }
  }

  /**
   * Output shapes and parameter counts per layer and in total (an adapted Normalization's int64
   * {@code count} included, as Keras counts it).
   */
  private static void kerasSummary(InferredModel m, String name) {
    JsonNode ref = json(DIR.resolve(name + "_keras_summary.json"));
    List<String> names = new ArrayList<>();
    for (JsonNode layer : ref.get("layers")) {
      String n = layer.get("name").asText();
      names.add(n);
      InferredModel.Layer ours = m.layer(n);
      assertThat(ours.outputShape()).as(name + " " + n + " output shape").isEqualTo(shape(layer.get("output_shape")));
      assertThat(ours.paramCount()).as(name + " " + n + " params").isEqualTo(layer.get("params").asLong());
      assertThat(ours.trainableCount()).as(name + " " + n + " trainable").isEqualTo(layer.get("trainable_params").asLong());
    }
    assertThat(m.nodes().stream().map(InferredModel.Layer::name).toList()).containsExactlyInAnyOrderElementsOf(names);
    assertThat(m.totalParams()).isEqualTo(ref.get("total_params").asLong());
  }

  /** torchinfo's module rows by name (torch.cat, * and -, sigmoid and flatten are calls in forward, not rows). */
  private static void torchSummary(InferredModel m, String name) {
    JsonNode ref = json(DIR.resolve(name + "_torch_summary.json"));
    for (JsonNode layer : ref.get("layers")) {
      String n = layer.get("name").asText();
      InferredModel.Layer ours = m.nodes().stream()
          .filter(l -> l.name().equals(n) || l.name().equals(n.replace(".", "_")))
          .findFirst().orElseThrow(() -> new AssertionError(name + ": no layer " + n + " in " + m.nodes()));
      assertThat(LayerKinds.of(ours.spec()).isTorchModule()).isTrue();
      assertThat(ours.outputShape()).as(name + " " + n + " output shape").isEqualTo(shape(layer.get("output_shape")));
      assertThat(ours.trainableCount()).as(name + " " + n + " params").isEqualTo(layer.get("params").asLong());
      assertThat(ours.multAdds()).as(name + " " + n + " mult-adds").isEqualTo(layer.get("mult_adds").asLong());
    }
    assertThat(m.trainableParams()).isEqualTo(ref.get("total_params").asLong());
    assertThat(m.multAdds()).isEqualTo(ref.get("total_mult_adds").asLong());
  }

  private static Shape shape(JsonNode array) {
    List<Integer> dims = new ArrayList<>();
    array.forEach(d -> dims.add(d.asInt()));
    return new Shape(dims);
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }
}
