package dev.sequent.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3 numbers a layer's path by class in the file's graph order ({@code layers/dense},
 * {@code layers/dense_1}); a model declared in another order computes the same paths for other
 * layers. Where the file names each path's layer (a whole-model {@code .keras}), that name
 * decides: two layers of one shape must not silently swap weights (keras.applications' ResNet
 * lists a block's shortcut after its second convolution; KerasApplicationsBlocksTest loads it).
 */
class Keras3PathOwnershipTest {

  @Test
  void aPathTheFileGivesAnotherLayerPairsByTheLayersName() {
    InferredModel model = ShapeInference.infer(new ModelSpec("m", ModelSpec.Style.MODULE, Framework.KERAS,
        Shape.of(4), List.of(
            new Node("first", new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR), List.of("input")),
            new Node("second", new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR), List.of("first"))),
        "second")).orThrow();
    assertThat(ParameterNames.of(model, Framework.KERAS).stream().map(NamedParam::keras3Name))
        .containsExactly("layers/dense/vars/0", "layers/dense/vars/1", "layers/dense_1/vars/0", "layers/dense_1/vars/1");

    // The file lists "second" first: its paths are layers/dense, and "first"'s layers/dense_1.
    INDArray k2 = Nd4j.ones(4, 4).muli(2);
    INDArray b2 = Nd4j.ones(4).muli(2);
    INDArray k1 = Nd4j.ones(4, 4);
    INDArray b1 = Nd4j.ones(4);
    WeightSource file = new WeightSource("model.weights.h5", Framework.KERAS, List.of(
        new WeightSource.Tensor("layers/dense/vars/0", k2), new WeightSource.Tensor("layers/dense/vars/1", b2),
        new WeightSource.Tensor("layers/dense_1/vars/0", k1), new WeightSource.Tensor("layers/dense_1/vars/1", b1)),
        List.of(new WeightSource.Group("second", List.of("layers/dense/vars/0", "layers/dense/vars/1")),
            new WeightSource.Group("first", List.of("layers/dense_1/vars/0", "layers/dense_1/vars/1"))),
        List.of());

    Map<String, List<INDArray>> weights = WeightMapping.map(model, file);
    assertThat(weights.get("first").get(1).getDouble(0)).isEqualTo(1.0);
    assertThat(weights.get("second").get(1).getDouble(0)).isEqualTo(2.0);
    assertThat(weights.get("second").get(0).sumNumber().doubleValue()).isEqualTo(32.0);
  }

  /** A weights-only file names no layers: its paths pair as Keras 3's own load_weights pairs them. */
  @Test
  void withoutLayerNamesThePathsDecide() {
    InferredModel model = ShapeInference.infer(new ModelSpec("m", ModelSpec.Style.MODULE, Framework.KERAS,
        Shape.of(4), List.of(
            new Node("first", new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR), List.of("input")),
            new Node("second", new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR), List.of("first"))),
        "second")).orThrow();
    WeightSource file = new WeightSource("model.weights.h5", Framework.KERAS, List.of(
        new WeightSource.Tensor("layers/dense/vars/0", Nd4j.ones(4, 4).muli(2)),
        new WeightSource.Tensor("layers/dense/vars/1", Nd4j.ones(4).muli(2)),
        new WeightSource.Tensor("layers/dense_1/vars/0", Nd4j.ones(4, 4)),
        new WeightSource.Tensor("layers/dense_1/vars/1", Nd4j.ones(4))), List.of(), List.of());
    Map<String, List<INDArray>> weights = WeightMapping.map(model, file);
    assertThat(weights.get("first").get(1).getDouble(0)).isEqualTo(2.0);
    assertThat(weights.get("second").get(1).getDouble(0)).isEqualTo(1.0);
  }
}
