package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;
import dev.sequent.dsl.torch.ZeroPad2d;

/**
 * {@code nn.ZeroPad2d} with PyTorch's (left, right, top, bottom) order and with one int, on
 * channels-first 3x16x16 images: the model {@code fixtures/make_padding_fixtures.py} saves as
 * {@code fixtures/padding/torch_zeropad.pt}. Its Keras twin pads with
 * {@code ZeroPadding2D(((0, 3), (1, 2)))}.
 */
@Sequential(input = {3, 16, 16})
public interface TorchZeroPad {
  @Conv2d(out = 4, kernel = 3)          Layer conv();   // 4x14x14
  @ZeroPad2d({1, 2, 0, 3})              Layer pad();    // 4x17x17
  @Conv2d(out = 4, kernel = 3)          Layer conv2();  // 4x15x15
  @ZeroPad2d(1)                         Layer pad2();   // 4x17x17
  @ReLU                                 Layer relu();
  @Flatten                              Layer flat();
  @Linear(out = 5)                      Layer fc();
}
