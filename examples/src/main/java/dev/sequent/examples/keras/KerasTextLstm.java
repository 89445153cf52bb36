package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Embedding;
import dev.sequent.dsl.keras.LSTM;

/**
 * The reference LSTM text classifier in the Keras vocabulary (fixtures/text_lstm,
 * make_text_lstm_fixtures.py): 20 token ids -> Embedding(100, 16) -> LSTM(32) (its final state) ->
 * Dense(4). Its PyTorch twin is {@link dev.sequent.examples.torch.TorchTextLstm}; each loads the
 * other framework's files.
 */
@Sequential(input = {20})
public interface KerasTextLstm {
  @Embedding(inputDim = 100, outputDim = 16) Layer embedding();
  @LSTM(units = 32)                          Layer lstm();
  @Dense(units = 4)                          Layer dense();
}
