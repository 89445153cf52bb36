package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/**
 * fixtures/recurrent's {@code torch_lstm}: {@code out, (h, c) = self.lstm(x);
 * self.fc(torch.cat([h[-2], h[-1]], 1))}, written with {@code take = "h_n"}.
 */
@Module(input = {6, 4})
public interface TorchLstm {
  @LSTM(hiddenSize = 5, numLayers = 2, bidirectional = true, batchFirst = true, take = "h_n")   Layer lstm();
  @Linear(out = 3)                                                                              Layer fc();
}
