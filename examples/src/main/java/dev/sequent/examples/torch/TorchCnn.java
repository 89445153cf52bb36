package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MaxPool2d;
import dev.sequent.dsl.torch.ReLU;
import dev.sequent.dsl.torch.Softmax;

/** The PyTorch twin of {@link dev.sequent.examples.keras.KerasCnn}, channels-first. */
@Sequential(input = {1, 28, 28})
public interface TorchCnn {
  @Conv2d(out = 32, kernel = 3) Layer conv();
  @ReLU                         Layer relu();
  @MaxPool2d(2)                 Layer pool();
  @Flatten                      Layer flat();
  @Linear(in = 5408, out = 10)  Layer fc();
  @Softmax(dim = 1)             Layer probs();
}
