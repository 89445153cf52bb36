package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.GRU;
import dev.sequent.dsl.torch.Linear;

/** fixtures/recurrent's {@code torch_bigru}: {@code out, h = self.gru(x); self.fc(out)}, bidirectional. */
@Module(input = {6, 4})
public interface TorchBiGru {
  @GRU(hiddenSize = 4, bidirectional = true, batchFirst = true)   Layer gru();
  @Linear(out = 2)                                                 Layer fc();
}
