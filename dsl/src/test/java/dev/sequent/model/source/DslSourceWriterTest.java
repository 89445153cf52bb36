package dev.sequent.model.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.catalog.AnnotationCatalog;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.layers.Dense;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The source writer over the whole catalogue: every example layer of every kind that has an
 * annotation in the example's vocabulary is written (the writer checks each against the kind's own
 * builder, so a written layer is the layer), and the kinds without one are refused by name.
 */
class DslSourceWriterTest {
  record Case(LayerKind<?> kind, LayerSpec layer, int index) {
    @Override
    public String toString() {
      return kind.getClass().getSimpleName() + "[" + index + "] " + layer.typeName();
    }
  }

  static Stream<Case> examples() {
    List<Case> out = new ArrayList<>();
    for (LayerKind<?> k : LayerKinds.all()) {
      List<LayerKind.Example> examples = k.examples();
      for (int i = 0; i < examples.size(); i++) {
        out.add(new Case(k, examples.get(i).layer(), i));
      }
    }
    return out.stream();
  }

  /**
   * Keras layers on channels-first images (read from files with {@code data_format="channels_first"}):
   * the Keras vocabulary's annotations are channels-last, so these are refused.
   */
  private static final java.util.Set<String> CHANNELS_FIRST_KERAS = java.util.Set.of("ZeroPad2DKind[1]",
      "Cropping2DKind[1]");

  /** Whether the kind has an annotation the layer's vocabulary writes (or a common one). */
  private static boolean declarable(Case c) {
    return c.kind().annotations().stream().anyMatch(b -> AnnotationCatalog.vocabulary(b.annotation())
        .map(v -> v == c.layer().framework()).orElse(true));
  }

  /** A model of the one layer, reading {@code inputs} copies of the input (merges read several). */
  private static String write(LayerSpec layer, int inputs) {
    Node node = new Node("layer", layer, Collections.nCopies(inputs, ModelSpec.INPUT));
    ModelSpec spec = new ModelSpec("m", ModelSpec.Style.MODULE, layer.framework(), Shape.of(4), List.of(node), "layer");
    return DslSourceWriter.write(spec, ModuleTree.FLAT, "p", "M", "test").get(0).content();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyDeclarableExampleIsWritten(Case c) {
    List<String> errors = new ArrayList<>();
    for (int inputs = 1; inputs <= 3; inputs++) {
      try {
        String source = write(c.layer(), inputs);
        assertThat(source).contains("Layer layer();");
        return;
      } catch (UnwritableModelException e) {
        errors.add(e.getMessage());
      }
    }
    if (declarable(c) && !CHANNELS_FIRST_KERAS.contains(c.kind().getClass().getSimpleName() + "[" + c.index() + "]")) {
      throw new AssertionError(c + " is not written: " + errors);
    }
    assertThat(errors.get(0)).contains("layer layer (" + c.layer().typeName() + ", kind "
        + c.kind().getClass().getSimpleName() + ")");
  }

  @Test
  void defaultsAreLeftOutAndNamesKept() {
    String source = write(new Dense(Framework.KERAS, 10, 0, true, dev.sequent.model.Activation.LINEAR), 1);
    assertThat(source).contains("  @Dense(units = 10) Layer layer();\n").contains("import dev.sequent.dsl.keras.Dense;");
  }

  @Test
  void aNameThatIsNoJavaNameIsKeptWithName() {
    Node node = new Node("layer1.0.fc", new Dense(Framework.TORCH, 3, 4, false, dev.sequent.model.Activation.LINEAR),
        List.of(ModelSpec.INPUT));
    ModelSpec spec = new ModelSpec("m", ModelSpec.Style.MODULE, Framework.TORCH, Shape.of(4), List.of(node),
        "layer1.0.fc");
    assertThat(DslSourceWriter.write(spec, ModuleTree.FLAT, "", "M", "test").get(0).content())
        .contains("  @Linear(in = 4, out = 3, bias = false) @Name(\"layer1.0.fc\") Layer layer1_0_fc();\n")
        .doesNotContain("package");
  }

  @Test
  void sharedWeightsAreRefusedNamingBothNodes() {
    Dense dense = new Dense(Framework.KERAS, 4, 0, true, dev.sequent.model.Activation.LINEAR);
    ModelSpec spec = new ModelSpec("m", ModelSpec.Style.MODULE, Framework.KERAS, Shape.of(4), List.of(
        new Node("a", dense, List.of(ModelSpec.INPUT)), new Node("b", dense, List.of("a"), "a")), "b");
    assertThatThrownBy(() -> DslSourceWriter.write(spec, ModuleTree.FLAT, "p", "M", "test"))
        .isInstanceOf(UnwritableModelException.class).hasMessageContaining("layer b (Dense) runs layer a again");
  }
}
