package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/** The PyTorch twin of fixtures/recurrent's {@code keras_lstm}: two nn.LSTMs (5 then 4), the head on the last h_n. */
@Sequential(input = {6, 4})
public interface TorchStackedLstm {
  @LSTM(hiddenSize = 5, batchFirst = true)                  Layer lstm1();
  @LSTM(hiddenSize = 4, batchFirst = true, take = "h_n")    Layer lstm2();
  @Linear(out = 3)                                          Layer head();
}
