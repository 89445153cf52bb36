package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.LSTM;

/** fixtures/recurrent's {@code keras_lstm}: two stacked LSTMs over (6 steps, 4 features), the last state into Dense. */
@Sequential(input = {6, 4})
public interface KerasLstm {
  @LSTM(units = 5, returnSequences = true) @Name("lstm")   Layer lstm1();
  @LSTM(units = 4) @Name("lstm_1")                         Layer lstm2();
  @Dense(units = 3) @Name("dense")                         Layer head();
}
