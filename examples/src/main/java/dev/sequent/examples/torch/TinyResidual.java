package dev.sequent.examples.torch;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.AvgPool2d;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/**
 * A residual block in the nn.Module style: {@code a = act(bn(stem(x))); y = relu2(a + conv2(a))},
 * then pooling and a linear head. The skip connection is declared with {@code @Add}.
 */
@Module(input = {4, 8, 8})
public interface TinyResidual {
  @Conv2d(out = 8, kernel = 3, padding = 1) Layer stem();
  @BatchNorm2d                              Layer bn();
  @ReLU                                     Layer act();
  @Conv2d(out = 8, kernel = 3, padding = 1) Layer conv2();
  @Add(from = {"act", "conv2"})             Layer add();
  @ReLU                                     Layer relu2();
  @AvgPool2d(8)                             Layer pool();
  @Flatten                                  Layer flat();
  @Linear(out = 3)                          Layer head();
}
