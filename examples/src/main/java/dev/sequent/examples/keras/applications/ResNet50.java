package dev.sequent.examples.keras.applications;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Stage;
import dev.sequent.dsl.keras.Activation;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.GlobalAveragePooling2D;
import dev.sequent.dsl.keras.MaxPooling2D;
import dev.sequent.dsl.keras.ZeroPadding2D;

/**
 * {@code keras.applications.ResNet50(input_shape=(64, 64, 3))}: {@code resnet.ResNet} with four
 * {@code stack_residual_blocks_v1}. Every layer name is the file's ({@code conv3_block2_1_conv}),
 * from the stage's method name, its {@code names} pattern and the block's suffixes.
 */
@Module(input = {64, 64, 3}, name = "resnet50")
public interface ResNet50 {
  @ZeroPadding2D(padding = 3) Layer conv1_pad();
  @Conv2D(filters = 64, kernelSize = 7, strides = 2) Layer conv1_conv();
  @BatchNormalization(epsilon = 1.001e-5) Layer conv1_bn();
  @Activation("relu") Layer conv1_relu();
  @ZeroPadding2D(padding = 1) Layer pool1_pad();
  @MaxPooling2D(poolSize = 3, strides = 2) Layer pool1_pool();

  // stack_residual_blocks_v1(x, 64, 3, stride1=1, name="conv2"): block1 with stride1 and the
  // projection shortcut, then residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
  @Stage(block = ResidualBlockV1.class, count = 3, args = "filters = 64, conv_shortcut = false",
      first = "stride = 1, conv_shortcut = true", names = "block{i + 1}") Layer conv2();
  @Stage(block = ResidualBlockV1.class, count = 4, args = "filters = 128, conv_shortcut = false",
      first = "stride = 2, conv_shortcut = true", names = "block{i + 1}") Layer conv3();
  @Stage(block = ResidualBlockV1.class, count = 6, args = "filters = 256, conv_shortcut = false",
      first = "stride = 2, conv_shortcut = true", names = "block{i + 1}") Layer conv4();
  @Stage(block = ResidualBlockV1.class, count = 3, args = "filters = 512, conv_shortcut = false",
      first = "stride = 2, conv_shortcut = true", names = "block{i + 1}") Layer conv5();

  @GlobalAveragePooling2D Layer avg_pool();
  @Dense(units = 1000, activation = "softmax") Layer predictions();
}
