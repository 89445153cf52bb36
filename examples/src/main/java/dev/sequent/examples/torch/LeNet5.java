package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.AvgPool2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.Softmax;
import dev.sequent.dsl.torch.Tanh;

/** LeNet-5 for 28x28 MNIST as PyTorch users write it: channels-first, padding 2 on the first conv. */
@Sequential(input = {1, 28, 28})
public interface LeNet5 {
  @Conv2d(out = 6, kernel = 5, padding = 2) Layer c1();
  @Tanh                                     Layer a1();
  @AvgPool2d(2)                             Layer s2();
  @Conv2d(out = 16, kernel = 5)             Layer c3();
  @Tanh                                     Layer a3();
  @AvgPool2d(2)                             Layer s4();
  @Conv2d(out = 120, kernel = 5)            Layer c5();
  @Tanh                                     Layer a5();
  @Flatten                                  Layer flat();
  @Linear(in = 120, out = 84)               Layer f6();
  @Tanh                                     Layer a6();
  @Linear(out = 10)                         Layer logits();
  @Softmax(dim = 1)                         Layer probs();
}
