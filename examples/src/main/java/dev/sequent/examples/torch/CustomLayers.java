package dev.sequent.examples.torch;

import dev.sequent.dsl.Custom;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;
import dev.sequent.examples.custom.AddVector;
import dev.sequent.examples.custom.DotVector;

/**
 * A model with user-written layers: {@code x + w} keeps the shape, {@code x @ w} drops the last
 * axis, and the processor still checks the Linear that follows ({@code in = 4}).
 */
@Sequential(input = {4, 8})
public interface CustomLayers {
  @Linear(out = 8)           Layer proj();
  @Custom(AddVector.class)   Layer shift();
  @ReLU                      Layer act();
  @Custom(DotVector.class)   Layer dot();
  @Linear(in = 4, out = 2)   Layer head();
}
