package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer kind of the catalogue runs: its record has an op in {@link OpRegistry}, so that a kind
 * registered in {@link LayerKinds} without an op fails here rather than when a model first uses it.
 */
class OpCatalogueTest {

  static Stream<LayerKind<?>> kinds() {
    return LayerKinds.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyLayerKindHasAnOp(LayerKind<?> kind) {
    assertThat(OpRegistry.layerTypes())
        .as("op for " + kind.recordType().getSimpleName() + " (" + kind.getClass().getSimpleName()
            + "); register its LayerOpFactory in OpRegistry")
        .contains(kind.recordType());
  }
}
