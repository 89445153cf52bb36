package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.GRU;
import dev.sequent.dsl.torch.Linear;

/**
 * fixtures/recurrent's {@code torch_gru}: {@code out, h = self.gru(x.transpose(0, 1));
 * self.fc(out.transpose(0, 1)[:, -1])} (batch_first=False), written with {@code take = "output[:, -1]"}.
 */
@Module(input = {6, 4})
public interface TorchGru {
  @GRU(hiddenSize = 5, take = "output[:, -1]")   Layer gru();
  @Linear(out = 3)                               Layer fc();
}
