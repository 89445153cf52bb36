package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ReLU;

/**
 * The PyTorch-vocabulary twin of the Keras model {@code keras_depthwise_twin} of
 * {@code fixtures/make_conv_family_fixtures.py depthwise} (fixtures/depthwise_twin): each Keras {@code DepthwiseConv2D} is an
 * {@code nn.Conv2d(groups = channels)}, and the Keras files' depthwise kernels {@code (kh, kw, C, M)}
 * load into them (output channel {@code c * M + m} in both).
 */
@Sequential(input = {4, 8, 8})
public interface TorchDepthwiseTwin {
  @Conv2d(out = 8, kernel = 3, padding = 1)              Layer conv();
  @Conv2d(out = 16, kernel = 3, padding = 1, groups = 8) Layer depthwise();   // depth_multiplier=2, "same"
  @ReLU                                                  Layer relu();
  @Conv2d(out = 16, kernel = 3, groups = 16)             Layer depthwise2();  // "valid": 6x6
  @Conv2d(out = 4, kernel = 1)                           Layer project();
}
