package dev.sequent.examples.torch.unet;

import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU;

/** UNet's {@code DoubleConv(nn.Sequential)}: (3x3 convolution, BatchNorm2d, ReLU) twice, children 0 to 5. */
@Block(params = {"int out"}, sequential = true, name = "DoubleConv")
public interface DoubleConv {
  @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = out") Layer conv1();
  @BatchNorm2d Layer bn1();
  @ReLU Layer relu1();
  @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = out") Layer conv2();
  @BatchNorm2d Layer bn2();
  @ReLU Layer relu2();
}
