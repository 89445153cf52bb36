package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.ConvTranspose2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * {@code nn.ConvTranspose2d} without padding, with symmetric padding and with output_padding, on
 * channels-first 3x5x5 inputs: the model {@code fixtures/make_conv_transpose_fixtures.py} saves as
 * {@code fixtures/conv_transpose/torch_tconv_twin.pt}. Each layer has a Keras twin
 * ({@link dev.sequent.examples.keras.KerasConvTransposeTwin}).
 */
@Sequential(input = {3, 5, 5})
public interface TorchConvTranspose {
  @ConvTranspose2d(out = 4, kernel = 2, stride = 2)                      Layer up();    // 4x10x10
  @ReLU                                                                  Layer relu();
  @ConvTranspose2d(out = 4, kernel = 4, stride = 2, padding = 1)         Layer up2();   // 4x20x20
  @ConvTranspose2d(out = 2, kernel = 3, padding = 1)                     Layer same();  // 2x20x20
  @ConvTranspose2d(out = 2, kernel = 3, stride = 3, outputPadding = 2)   Layer up3();   // 2x62x62
}
