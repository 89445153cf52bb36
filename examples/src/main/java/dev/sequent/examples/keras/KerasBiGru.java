package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Bidirectional;
import dev.sequent.dsl.keras.Dense;

/** The Keras twin of fixtures/recurrent's {@code torch_bigru}: a Bidirectional GRU's sequence into Dense. */
@Sequential(input = {6, 4})
public interface KerasBiGru {
  @Bidirectional(layer = "GRU", units = 4, returnSequences = true)   Layer bi();
  @Dense(units = 2)                                                   Layer head();
}
