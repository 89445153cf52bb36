package dev.sequent.examples.keras.applications;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.From;
import dev.sequent.dsl.If;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.keras.Activation;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;

/**
 * keras.applications' {@code resnet.residual_block_v1}: a 1x1, 3x3, 1x1 bottleneck with a 1x1
 * projection shortcut where {@code conv_shortcut} is set. Keras names its layers
 * {@code f"{name}_1_conv"}: the use's name, {@code _}, and the suffix each layer's {@code @Name}
 * gives once here ({@code 1_conv} is no Java method name).
 */
@Block(params = {"int filters", "int kernel_size = 3", "int stride = 1", "boolean conv_shortcut = true"})
public interface ResidualBlockV1 {
  @If("conv_shortcut") @Conv2D(kernelSize = 1) @Bind("filters = 4 * filters, strides = stride")
  @Name("0_conv") Layer shortcut_conv();                       // shortcut = Conv2D(4 * filters, 1, strides=stride)(x)
  @If("conv_shortcut") @BatchNormalization(epsilon = 1.001e-5)
  @Name("0_bn") Layer shortcut_bn();                           // else: shortcut = x

  @Conv2D(kernelSize = 1) @Bind("filters = filters, strides = stride") @From("input")
  @Name("1_conv") Layer conv1();
  @BatchNormalization(epsilon = 1.001e-5) @Name("1_bn") Layer bn1();
  @Activation("relu") @Name("1_relu") Layer relu1();

  @Conv2D(kernelSize = 3, padding = "same") @Bind("filters = filters, kernelSize = kernel_size")
  @Name("2_conv") Layer conv2();
  @BatchNormalization(epsilon = 1.001e-5) @Name("2_bn") Layer bn2();
  @Activation("relu") @Name("2_relu") Layer relu2();

  @Conv2D(kernelSize = 1) @Bind("filters = 4 * filters") @Name("3_conv") Layer conv3();
  @BatchNormalization(epsilon = 1.001e-5) @Name("3_bn") Layer bn3();

  @Add(from = {"0_bn", "3_bn"}) Layer add();                   // Add(name=f"{name}_add")([shortcut, x])
  @Activation("relu") Layer out();
}
