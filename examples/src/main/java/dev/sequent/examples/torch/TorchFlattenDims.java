package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv1d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/**
 * {@code nn.Flatten(2)} turning an image into a sequence for a {@code Conv1d}: the model
 * {@code fixtures/make_sequence_fixtures.py} saves as {@code fixtures/sequence/torch_flatten_dims.pt}.
 */
@Sequential(input = {3, 6, 6})
public interface TorchFlattenDims {
  @Conv2d(out = 4, kernel = 3, padding = 1) Layer conv();    // 4 x 6 x 6
  @Flatten(startDim = 2)                    Layer rows();    // 4 x 36
  @Conv1d(out = 5, kernel = 3)              Layer conv1d();  // 5 x 34
  @ReLU                                     Layer relu();
  @Flatten                                  Layer flat();    // 170
  @Linear(out = 6)                          Layer fc();
}
