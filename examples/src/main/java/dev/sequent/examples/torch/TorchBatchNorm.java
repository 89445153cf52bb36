package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU;

/** The PyTorch twin of {@link dev.sequent.examples.keras.KerasBatchNorm} (eps 1e-5, momentum 0.1). */
@Sequential(input = {1, 28, 28})
public interface TorchBatchNorm {
  @BatchNorm2d                  Layer bn();
  @Conv2d(out = 32, kernel = 3) Layer conv();
  @ReLU                         Layer relu();
}
