package dev.sequent.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.Dense;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shape inference of graphs: several named inputs with their own shapes, several outputs, and a
 * node that runs another node's layer again (shared weights): the sharing node has no parameters
 * of its own, and one whose input does not fit the owner's weights, or that shares with no layer,
 * is a problem naming both.
 */
class GraphShapeInferenceTest {
  private static final Dense DENSE4 = new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR);

  private static ModelSpec graph(List<ModelSpec.Input> inputs, List<Node> nodes, List<String> outputs) {
    return ModelSpec.graph("g", ModelSpec.Style.MODULE, Framework.KERAS, inputs, nodes, outputs);
  }

  @Test
  void sharedLayerOwnsItsParametersOnce() {
    ShapeInference.Result r = ShapeInference.infer(graph(
        List.of(new ModelSpec.Input("a", Shape.of(5)), new ModelSpec.Input("b", Shape.of(5))),
        List.of(new Node("shared", DENSE4, List.of("a")), new Node("shared#1", DENSE4, List.of("b"), "shared"),
            new Node("join", ElementwiseMerge.add(Framework.KERAS, 2), List.of("shared", "shared#1"))),
        List.of("join", "shared#1")));
    assertThat(r.problems()).isEmpty();
    InferredModel m = r.model();
    assertThat(m.layer("shared").paramCount()).isEqualTo(24);
    assertThat(m.layer("shared#1").params()).isEmpty();
    assertThat(m.totalParams()).isEqualTo(24);
    assertThat(m.inputShapes()).containsExactly(Shape.of(5), Shape.of(5));
    assertThat(m.outputShapes()).containsExactly(Shape.of(4), Shape.of(4));
    assertThat(m.weightOwner(m.layer("shared#1")).name()).isEqualTo("shared");
    assertThat(m.spec().inputShape()).isEqualTo(Shape.of(5));
    assertThat(m.spec().output()).isEqualTo("join");
  }

  @Test
  void aSecondCallOnAnotherWidthDoesNotFitTheSharedWeights() {
    ShapeInference.Result r = ShapeInference.infer(graph(
        List.of(new ModelSpec.Input("a", Shape.of(5)), new ModelSpec.Input("b", Shape.of(3))),
        List.of(new Node("shared", DENSE4, List.of("a")), new Node("shared#1", DENSE4, List.of("b"), "shared")),
        List.of("shared", "shared#1")));
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.node()).isEqualTo("shared#1");
      assertThat(p.message()).contains("shares the weights of shared [[5,4], [4]]")
          .contains("needs weights [[3,4], [4]]");
    });
  }

  @Test
  void sharingWithNoLayerAndDuplicateOrMisspelledInputsAreProblems() {
    ShapeInference.Result r = ShapeInference.infer(graph(
        List.of(new ModelSpec.Input("left", Shape.of(5)), new ModelSpec.Input("left", Shape.of(5))),
        List.of(new Node("d", DENSE4, List.of("lefft")), new Node("d#1", DENSE4, List.of("left"), "dd")),
        List.of("d")));
    assertThat(r.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m)
        .contains("declares input \"left\" twice"))
        .anySatisfy(m -> assertThat(m).contains("no layer named \"lefft\"; did you mean \"left\"?"))
        .anySatisfy(m -> assertThat(m).contains("shares the weights of \"dd\", which is no layer"));
  }

  @Test
  void theSingleInputFormIsUnchanged() {
    ModelSpec spec = new ModelSpec("m", ModelSpec.Style.MODULE, Framework.KERAS, Shape.of(3),
        List.of(new Node("d", DENSE4, List.of(ModelSpec.INPUT))), "d");
    assertThat(spec.inputs()).containsExactly(new ModelSpec.Input(ModelSpec.INPUT, Shape.of(3)));
    assertThat(spec.outputs()).containsExactly("d");
    assertThat(spec.isMultiIO()).isFalse();
    assertThat(ShapeInference.infer(spec).ok()).isTrue();
  }
}
