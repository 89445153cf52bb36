package com.example;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/**
 * A user's model: {@code nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3))}. Sequent's annotation
 * processor checks its shapes when this file compiles and generates {@code TinyMlpNet}.
 */
@Sequential(input = {4})
public interface TinyMlp {
  @Linear(out = 8) Layer hidden();
  @ReLU            Layer act();
  @Linear(out = 3) Layer out();
}
