package dev.sequent.examples.torch.nested;

import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU;

/** {@code class ConvBN(nn.Sequential)}: a 3x3 convolution, BatchNorm and ReLU, children 0, 1, 2. */
@Block(params = {"int c"}, sequential = true, name = "ConvBN")
public interface ConvBN {
  @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = c") Layer conv();
  @BatchNorm2d Layer bn();
  @ReLU Layer relu();
}
