package dev.sequent.examples.torch;

import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.GRU;
import dev.sequent.dsl.torch.LSTM;
import dev.sequent.dsl.torch.Linear;

/**
 * fixtures/recurrent_graphs' {@code torch_initial_state}: a GRU encoder's final state, and a Linear
 * of it, start an LSTM over the same steps:
 * <pre>{@code
 * _, h = self.enc(x)
 * c = self.cproj(h[-1])
 * out, _ = self.dec(x, (h, c.unsqueeze(0)))
 * return self.fc(out[:, -1])
 * }</pre>
 */
@Module(input = {6, 4})
public interface TorchInitialState {
  @GRU(hiddenSize = 5, batchFirst = true, take = "h_n")                                              Layer enc();
  @Linear(out = 5)                                                                                   Layer cproj();
  @LSTM(hiddenSize = 5, batchFirst = true, take = "output[:, -1]", initialState = {"enc", "cproj"})
  @From("input")                                                                                     Layer dec();
  @Linear(out = 3)                                                                                   Layer fc();
}
