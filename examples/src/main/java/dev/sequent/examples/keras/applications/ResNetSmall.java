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
 * {@link ResNet50}'s stem, blocks and head with two narrow stages and 10 classes: the model
 * fixtures/make_applications_fixtures.py builds through {@code resnet.ResNet} with
 * {@code stack_residual_blocks_v1(x, 8, 2, stride1=1, name="conv2")} and
 * {@code stack_residual_blocks_v1(x, 16, 1, name="conv3")}, small enough to commit.
 */
@Module(input = {64, 64, 3}, name = "resnet_small")
public interface ResNetSmall {
  @ZeroPadding2D(padding = 3) Layer conv1_pad();
  @Conv2D(filters = 64, kernelSize = 7, strides = 2) Layer conv1_conv();
  @BatchNormalization(epsilon = 1.001e-5) Layer conv1_bn();
  @Activation("relu") Layer conv1_relu();
  @ZeroPadding2D(padding = 1) Layer pool1_pad();
  @MaxPooling2D(poolSize = 3, strides = 2) Layer pool1_pool();

  @Stage(block = ResidualBlockV1.class, count = 2, args = "filters = 8, conv_shortcut = false",
      first = "stride = 1, conv_shortcut = true", names = "block{i + 1}") Layer conv2();
  @Stage(block = ResidualBlockV1.class, count = 1, args = "filters = 16, conv_shortcut = false",
      first = "stride = 2, conv_shortcut = true", names = "block{i + 1}") Layer conv3();

  @GlobalAveragePooling2D Layer avg_pool();
  @Dense(units = 10, activation = "softmax") Layer predictions();
}
