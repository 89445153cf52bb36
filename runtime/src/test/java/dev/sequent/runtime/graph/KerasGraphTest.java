package dev.sequent.runtime.graph;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras Functional graphs saved by real Keras 3 ({@code .keras}) and real tf_keras (whole-model
 * {@code .h5}) by fixtures/make_graph_fixtures.py: several inputs, several outputs, a Dense and a
 * Conv2D used twice, nested Sequential and Functional models (twice deep too, and one called twice),
 * and a channels-first model whose Flatten feeds a Dense. Each is loaded with {@link Network#load}
 * (no Java source) and run at batch 8 (ND4J or Java, whichever the model's limit picks) and one
 * sample at a time (plain Java); every output must be Keras'.
 */
class KerasGraphTest {
  static final Path DIR = root().resolve("graphs");
  static final List<String> CASES = List.of("two_inputs", "two_outputs", "shared_dense", "shared_conv",
      "nested_sequential", "nested_functional", "nested_twice", "nested_used_twice", "sequential_in_sequential",
      "channels_first_flatten");

  static List<String> files() {
    List<String> files = new ArrayList<>();
    for (String c : CASES) {
      files.add(c + ".keras");
      files.add(c + ".h5");
    }
    return files;
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyOutputIsKeras(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    List<INDArray> xs = arrays(stem, "input");
    List<INDArray> expected = arrays(stem, "output");
    Network net = Network.load(DIR.resolve(file));
    assertThat(net.inputNames()).hasSize(xs.size());
    assertThat(net.outputNames()).hasSize(expected.size());
    List<INDArray> ys = net.forward(xs);
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), ys.get(o), file + " output " + o + " batch of 8");
    }
    for (int i = 0; i < 8; i++) {
      int s = i;
      List<INDArray> one = xs.stream().map(x -> x.get(NDArrayIndex.interval(s, s + 1)).dup('c')).toList();
      List<INDArray> got = net.forward(one);
      for (int o = 0; o < expected.size(); o++) {
        assertClose(expected.get(o).get(NDArrayIndex.interval(s, s + 1)), got.get(o),
            file + " output " + o + " sample " + i);
      }
    }
    if (xs.size() == 1 && expected.size() == 1) {
      assertClose(expected.get(0), net.forward(xs.get(0)), file + " single-tensor forward");
    }
    // The other framework's file of the same model, loaded into this network (shared and nested
    // layers paired through the file's groups, the channels-first Flatten's rows left as they are).
    String other = stem + (file.endsWith(".keras") ? ".h5" : ".keras");
    net.loadWeights(DIR.resolve(other));
    List<INDArray> again = net.forward(xs);
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), again.get(o), file + " with the weights of " + other + ", output " + o);
    }
  }

  /**
   * Keras 3's own {@code save_weights} of each model, read alone (no config beside it: groups by
   * layer name, nested ones too), into the network loaded from the {@code .h5}, starting from
   * zeroed weights: every output must be Keras' again.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void kerasSaveWeightsLoadsIntoTheGraph(String stem) {
    Network net = Network.load(DIR.resolve(stem + ".h5"));
    net.setWeights(net.getWeights().stream().map(w -> w.mul(0)).toList());
    net.loadWeights(DIR.resolve(stem + ".weights.h5"));
    List<INDArray> xs = arrays(stem, "input");
    List<INDArray> expected = arrays(stem, "output");
    List<INDArray> ys = net.forward(xs);
    for (int o = 0; o < expected.size(); o++) {
      assertClose(expected.get(o), ys.get(o), stem + ".weights.h5 output " + o);
    }
  }

  static List<String> cases() {
    return CASES;
  }

  static List<INDArray> arrays(String stem, String kind) {
    return Fixtures.arrays(DIR, stem, kind);
  }
}
