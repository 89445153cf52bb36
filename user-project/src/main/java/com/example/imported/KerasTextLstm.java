package com.example.imported;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Embedding;
import dev.sequent.dsl.keras.LSTM;

/**
 * sequential, written by {@code ./sequent import} from keras_text_lstm.keras.
 * Each layer has the file's name, so {@code KerasTextLstmNet.create().loadWeights(file)} pairs every tensor by name.
 */
@Sequential(input = 20, name = "sequential")
public interface KerasTextLstm {
  @Embedding(inputDim = 100, outputDim = 16) Layer embedding();
  @LSTM(units = 32) Layer lstm();
  @Dense(units = 4) Layer dense();
}
