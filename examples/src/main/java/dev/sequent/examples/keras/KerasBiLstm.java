package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Bidirectional;
import dev.sequent.dsl.keras.Dense;

/**
 * The Keras twin of fixtures/recurrent's {@code torch_lstm} ({@code nn.LSTM(4, 5, num_layers=2,
 * bidirectional=True)}, the head on {@code cat(h_n[-2], h_n[-1])}): two Bidirectional LSTMs, the
 * second returning its final states.
 */
@Sequential(input = {6, 4})
public interface KerasBiLstm {
  @Bidirectional(layer = "LSTM", units = 5, returnSequences = true) @Name("bidirectional")   Layer bi1();
  @Bidirectional(layer = "LSTM", units = 5) @Name("bidirectional_1")                        Layer bi2();
  @Dense(units = 3) @Name("dense")                                                          Layer head();
}
