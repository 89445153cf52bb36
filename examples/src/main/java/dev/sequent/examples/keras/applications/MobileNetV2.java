package dev.sequent.examples.keras.applications;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.GlobalAveragePooling2D;
import dev.sequent.dsl.keras.ReLU;

/**
 * {@code keras.applications.MobileNetV2(input_shape=(96, 96, 3))} (alpha 1.0, 1000 classes), as
 * {@code mobilenet_v2.MobileNetV2} builds it: every layer name is the file's
 * ({@code block_3_depthwise_BN}), from each use's method name and the block's layer names.
 */
@Module(input = {96, 96, 3}, name = "mobilenetv2_1.00_96")
public interface MobileNetV2 {
  @Conv2D(filters = 32, kernelSize = 3, strides = 2, padding = "same", useBias = false) Layer Conv1();
  @BatchNormalization(epsilon = 1e-3, momentum = 0.999) Layer bn_Conv1();
  @ReLU(maxValue = 6) Layer Conv1_relu();

  // _inverted_res_block(x, filters=16, alpha=alpha, stride=1, expansion=1, block_id=0), ...: one use
  // per call, named as the call's prefix (f"block_{block_id}_", "expanded_conv_" for block 0)
  @Use(value = InvertedResBlock.class, args = "filters = 16, stride = 1, expansion = 1") Layer expanded_conv();
  @Use(value = InvertedResBlock.class, args = "filters = 24, stride = 2, expansion = 6") Layer block_1();
  @Use(value = InvertedResBlock.class, args = "filters = 24, stride = 1, expansion = 6") Layer block_2();
  @Use(value = InvertedResBlock.class, args = "filters = 32, stride = 2, expansion = 6") Layer block_3();
  @Use(value = InvertedResBlock.class, args = "filters = 32, stride = 1, expansion = 6") Layer block_4();
  @Use(value = InvertedResBlock.class, args = "filters = 32, stride = 1, expansion = 6") Layer block_5();
  @Use(value = InvertedResBlock.class, args = "filters = 64, stride = 2, expansion = 6") Layer block_6();
  @Use(value = InvertedResBlock.class, args = "filters = 64, stride = 1, expansion = 6") Layer block_7();
  @Use(value = InvertedResBlock.class, args = "filters = 64, stride = 1, expansion = 6") Layer block_8();
  @Use(value = InvertedResBlock.class, args = "filters = 64, stride = 1, expansion = 6") Layer block_9();
  @Use(value = InvertedResBlock.class, args = "filters = 96, stride = 1, expansion = 6") Layer block_10();
  @Use(value = InvertedResBlock.class, args = "filters = 96, stride = 1, expansion = 6") Layer block_11();
  @Use(value = InvertedResBlock.class, args = "filters = 96, stride = 1, expansion = 6") Layer block_12();
  @Use(value = InvertedResBlock.class, args = "filters = 160, stride = 2, expansion = 6") Layer block_13();
  @Use(value = InvertedResBlock.class, args = "filters = 160, stride = 1, expansion = 6") Layer block_14();
  @Use(value = InvertedResBlock.class, args = "filters = 160, stride = 1, expansion = 6") Layer block_15();
  @Use(value = InvertedResBlock.class, args = "filters = 320, stride = 1, expansion = 6") Layer block_16();

  @Conv2D(filters = 1280, kernelSize = 1, useBias = false) Layer Conv_1();   // no alpha on the last conv below 1.0
  @BatchNormalization(epsilon = 1e-3, momentum = 0.999) Layer Conv_1_bn();
  @ReLU(maxValue = 6) Layer out_relu();
  @GlobalAveragePooling2D Layer global_average_pooling2d();   // unnamed in Python: Keras' own default name
  @Dense(units = 1000, activation = "softmax") Layer predictions();
}
