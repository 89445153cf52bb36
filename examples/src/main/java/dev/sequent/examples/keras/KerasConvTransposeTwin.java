package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Activation;
import dev.sequent.dsl.keras.Conv2DTranspose;

/**
 * {@link dev.sequent.examples.torch.TorchConvTranspose} in Keras' words, channels-last: PyTorch's
 * uncropped layers are "valid" (the last with output_padding), its symmetric crops "same". It takes
 * the PyTorch file's weights, each (in, out, kh, kw) kernel as Keras' (kh, kw, out, in).
 */
@Sequential(input = {5, 5, 3})
public interface KerasConvTransposeTwin {
  @Conv2DTranspose(filters = 4, kernelSize = 2, strides = 2)                      Layer up();    // 10x10x4
  @Activation("relu")                                                             Layer relu();
  @Conv2DTranspose(filters = 4, kernelSize = 4, strides = 2, padding = "same")    Layer up2();   // 20x20x4
  @Conv2DTranspose(filters = 2, kernelSize = 3, padding = "same")                 Layer same();  // 20x20x2
  @Conv2DTranspose(filters = 2, kernelSize = 3, strides = 3, outputPadding = 2)   Layer up3();   // 62x62x2
}
