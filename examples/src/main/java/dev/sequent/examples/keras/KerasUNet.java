package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Concatenate;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Conv2DTranspose;
import dev.sequent.dsl.keras.MaxPooling2D;
import dev.sequent.dsl.keras.ReLU;

/**
 * The Keras Functional UNet of {@code fixtures/make_unet_fixtures.py} on channels-last 16x16x3:
 * (Conv2D 3x3, BatchNormalization, ReLU) twice per level, two MaxPooling2D levels down, two
 * Conv2DTranspose levels up, each joined with the encoder's output of the same size by
 * {@code Concatenate([skip, up])}, a 1x1 head. It loads the weights of {@code fixtures/unet/keras_unet.keras}
 * (Keras 3) and {@code keras_unet.h5} (tf_keras) by layer name.
 */
@Module(input = {16, 16, 3})
public interface KerasUNet {
  @Conv2D(filters = 8, kernelSize = 3, padding = "same", useBias = false) Layer enc1a();
  @BatchNormalization Layer enc1aBn();
  @ReLU Layer enc1aRelu();
  @Conv2D(filters = 8, kernelSize = 3, padding = "same", useBias = false) Layer enc1b();
  @BatchNormalization Layer enc1bBn();
  @ReLU Layer enc1bRelu();
  @MaxPooling2D Layer pool1();                                                  // 8 x 8 x 8
  @Conv2D(filters = 16, kernelSize = 3, padding = "same", useBias = false) Layer enc2a();
  @BatchNormalization Layer enc2aBn();
  @ReLU Layer enc2aRelu();
  @Conv2D(filters = 16, kernelSize = 3, padding = "same", useBias = false) Layer enc2b();
  @BatchNormalization Layer enc2bBn();
  @ReLU Layer enc2bRelu();
  @MaxPooling2D Layer pool2();                                                  // 4 x 4 x 16
  @Conv2D(filters = 32, kernelSize = 3, padding = "same", useBias = false) Layer mida();
  @BatchNormalization Layer midaBn();
  @ReLU Layer midaRelu();
  @Conv2D(filters = 32, kernelSize = 3, padding = "same", useBias = false) Layer midb();
  @BatchNormalization Layer midbBn();
  @ReLU Layer midbRelu();
  @Conv2DTranspose(filters = 16, kernelSize = 2, strides = 2) Layer up1();      // 8 x 8 x 16
  @Concatenate(from = {"enc2bRelu", "up1"}) Layer skip1();                       // 8 x 8 x 32
  @Conv2D(filters = 16, kernelSize = 3, padding = "same", useBias = false) Layer dec1a();
  @BatchNormalization Layer dec1aBn();
  @ReLU Layer dec1aRelu();
  @Conv2D(filters = 16, kernelSize = 3, padding = "same", useBias = false) Layer dec1b();
  @BatchNormalization Layer dec1bBn();
  @ReLU Layer dec1bRelu();
  @Conv2DTranspose(filters = 8, kernelSize = 2, strides = 2) Layer up2();       // 16 x 16 x 8
  @Concatenate(from = {"enc1bRelu", "up2"}) Layer skip2();                       // 16 x 16 x 16
  @Conv2D(filters = 8, kernelSize = 3, padding = "same", useBias = false) Layer dec2a();
  @BatchNormalization Layer dec2aBn();
  @ReLU Layer dec2aRelu();
  @Conv2D(filters = 8, kernelSize = 3, padding = "same", useBias = false) Layer dec2b();
  @BatchNormalization Layer dec2bBn();
  @ReLU Layer dec2bRelu();
  @Conv2D(filters = 2, kernelSize = 1) Layer head();
}
