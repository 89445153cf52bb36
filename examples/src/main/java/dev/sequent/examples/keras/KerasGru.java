package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.GRU;

/** fixtures/recurrent's {@code keras_gru_reset_after} (a GRU's final state into Dense), and the Keras twin of {@code torch_gru}. */
@Sequential(input = {6, 4})
public interface KerasGru {
  @GRU(units = 5) @Name("gru")        Layer gru();
  @Dense(units = 3) @Name("dense")    Layer head();
}
