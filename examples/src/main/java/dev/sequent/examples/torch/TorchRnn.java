package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.RNN;

/** fixtures/recurrent's {@code torch_rnn}: {@code out, h = self.rnn(x); self.fc(out)}, two relu layers, the head on every step. */
@Module(input = {6, 4})
public interface TorchRnn {
  @RNN(hiddenSize = 5, numLayers = 2, nonlinearity = "relu", batchFirst = true)   Layer rnn();
  @Linear(out = 3)                                                                 Layer fc();
}
