package dev.sequent.examples.torch.mobilenet;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.If;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;

/**
 * torchvision's {@code mobilenetv2.InvertedResidual}: a 1x1 expansion to {@code hidden = inp * t}
 * channels (absent where {@code t} is 1), a depthwise 3x3 ({@code groups = hidden}), a linear 1x1
 * projection, and {@code x + self.conv(x)} only where the stride is 1 and the channels stay.
 */
@Block(params = {"int oup", "int stride = 1", "int t = 6", "int inp = in[0]", "int hidden = inp * t"})
public interface InvertedResidual {
  @Use(value = Conv.class, args = "oup = oup, stride = stride, expand = t != 1, hidden = hidden") Layer conv();
  @If("stride == 1 && inp == oup") @Add(from = {"conv", "input"}) Layer add();   // use_res_connect

  /** {@code self.conv = nn.Sequential(*layers)}: numbered without the expansion where there is none. */
  @Block(params = {"int oup", "int stride", "boolean expand", "int hidden"}, sequential = true)
  interface Conv {
    @If("expand") @Use(value = Conv2dNormActivation.class, args = "out = hidden, kernel = 1") Layer pw();
    @Use(value = Conv2dNormActivation.class, args = "out = hidden, stride = stride, groups = hidden") Layer dw();
    @Conv2d(kernel = 1, bias = false) @Bind("out = oup") Layer pwLinear();
    @BatchNorm2d Layer bn();
  }
}
