package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/** The smallest PyTorch-style model: {@code nn.Sequential(Linear(10, 20), ReLU(), Linear(20, 2))}. */
@Sequential(input = {10})
public interface SimpleNet {
  @Linear(out = 20) Layer fc1();
  @ReLU             Layer act();
  @Linear(out = 2)  Layer fc2();
}
