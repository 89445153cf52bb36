package dev.sequent.examples.torch.mobilenet;

import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU6;

/**
 * torchvision's {@code ops.misc.Conv2dNormActivation} as MobileNetV2 builds it: an {@code nn.Sequential}
 * of a convolution padded to keep the size ({@code (kernel - 1) / 2}), without bias since BatchNorm
 * follows, a BatchNorm2d and a ReLU6 (children 0, 1, 2).
 */
@Block(params = {"int out", "int kernel = 3", "int stride = 1", "int groups = 1"}, sequential = true,
    name = "Conv2dNormActivation")
public interface Conv2dNormActivation {
  @Conv2d(kernel = 3, bias = false)
  @Bind("out = out, kernel = kernel, stride = stride, padding = (kernel - 1) / 2, groups = groups") Layer conv();
  @BatchNorm2d Layer bn();
  @ReLU6 Layer relu6();
}
