package dev.sequent.examples.keras.applications;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.If;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.DepthwiseConv2D;
import dev.sequent.dsl.keras.ReLU;
import dev.sequent.dsl.keras.ZeroPadding2D;

/**
 * keras.applications' {@code mobilenet_v2._inverted_res_block}: a 1x1 expansion, a 3x3 depthwise
 * convolution and a 1x1 linear projection, with a residual add where the shape is kept. Its layers
 * are named {@code f"{prefix}expand"} after the use ({@code block_1_expand}); Java method names are
 * Keras' suffixes, so only the one alternative below needs an {@code @Name}.
 *
 * <p>{@code filters} is the projection's width after the width multiplier,
 * {@code _make_divisible(int(filters * alpha), 8)}, which the model passes (block expressions are
 * integers). Keras expands every block but the first ({@code if block_id:}), the one block whose
 * expansion is 1; the condition is written as torchvision's {@code InvertedResidual} writes it.
 */
@Block(params = {"int filters", "int stride", "int expansion", "int in_channels = in[-1]"})
public interface InvertedResBlock {
  @If("expansion != 1") @Conv2D(kernelSize = 1, padding = "same", useBias = false)
  @Bind("filters = expansion * in_channels") Layer expand();
  @If("expansion != 1") @BatchNormalization(epsilon = 1e-3, momentum = 0.999) Layer expand_BN();
  @If("expansion != 1") @ReLU(maxValue = 6) Layer expand_relu();

  // ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3)): (0, 1) on an axis of even size,
  // (1, 1) on an odd one; one alternative per case, all named pad.
  @If("stride == 2 && in[0] % 2 == 0 && in[1] % 2 == 0") @ZeroPadding2D(padding = {0, 1, 0, 1}) Layer pad();
  @If("stride == 2 && in[0] % 2 == 1 && in[1] % 2 == 1") @ZeroPadding2D(padding = {1, 1, 1, 1}) @Name("pad")
  Layer pad_odd();
  @If("stride == 2 && in[0] % 2 == 1 && in[1] % 2 == 0") @ZeroPadding2D(padding = {1, 1, 0, 1}) @Name("pad")
  Layer pad_odd_height();
  @If("stride == 2 && in[0] % 2 == 0 && in[1] % 2 == 1") @ZeroPadding2D(padding = {0, 1, 1, 1}) @Name("pad")
  Layer pad_odd_width();

  // padding="same" if stride == 1 else "valid": two alternatives under one name
  @If("stride == 1") @DepthwiseConv2D(kernelSize = 3, padding = "same", useBias = false) Layer depthwise();
  @If("stride != 1") @Name("depthwise") @DepthwiseConv2D(kernelSize = 3, padding = "valid", useBias = false)
  @Bind("strides = stride") Layer depthwise_strided();
  @BatchNormalization(epsilon = 1e-3, momentum = 0.999) Layer depthwise_BN();
  @ReLU(maxValue = 6) Layer depthwise_relu();

  @Conv2D(kernelSize = 1, padding = "same", useBias = false) @Bind("filters = filters") Layer project();
  @BatchNormalization(epsilon = 1e-3, momentum = 0.999) Layer project_BN();

  // if in_channels == pointwise_filters and stride == 1: Add([inputs, x]); without it, x.
  @If(value = "in_channels == filters && stride == 1", otherwise = "project_BN")
  @Add(from = {"input", "project_BN"}) Layer add();
}
