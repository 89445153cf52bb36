package dev.sequent.examples.torch.resnet;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.From;
import dev.sequent.dsl.If;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * torchvision's {@code resnet.BasicBlock}: two 3x3 convolutions and a residual connection, with a
 * 1x1 {@code downsample} of the identity only where the stride or the channels change.
 */
@Block(params = {"int planes", "int stride = 1"})
public interface BasicBlock {
  @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = planes, stride = stride") Layer conv1();
  @BatchNorm2d Layer bn1();
  @ReLU Layer relu();
  @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = planes") Layer conv2();
  @BatchNorm2d Layer bn2();
  @If("stride != 1 || in[0] != planes") @From("input")
  @Use(value = Downsample.class, args = "planes = planes, stride = stride") Layer downsample();
  @Add(from = {"bn2", "downsample"}) Layer add();   // out += identity
  @ReLU Layer out();

  /** {@code nn.Sequential(conv1x1(inplanes, planes, stride), BatchNorm2d(planes))}: children 0 and 1. */
  @Block(params = {"int planes", "int stride"}, sequential = true)
  interface Downsample {
    @Conv2d(kernel = 1, bias = false) @Bind("out = planes, stride = stride") Layer conv();
    @BatchNorm2d Layer bn();
  }
}
