package dev.sequent.examples.keras;

import dev.sequent.dsl.From;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.GlobalAveragePooling2D;
import dev.sequent.dsl.keras.Multiply;
import dev.sequent.dsl.keras.Reshape;

/**
 * EfficientNet's squeeze-excite block ({@code keras.applications.efficientnet}: pool, reshape to
 * {@code (1, 1, c)}, reduce, expand, multiply) and a channel gate multiplying {@code [h,w,c]} by
 * {@code [c]}: the model {@code fixtures/make_merge_fixtures.py} saves as
 * {@code fixtures/merges/keras_squeeze_excite.keras}, whose weights it loads by layer name.
 */
@Module(input = {8, 8, 6})
public interface KerasSqueezeExcite {
  @Conv2D(filters = 8, kernelSize = 3, padding = "same", activation = "swish")       Layer stem();
  @GlobalAveragePooling2D                                                            Layer squeeze();
  @Reshape(targetShape = {1, 1, 8}) @Name("se_reshape")                              Layer seReshape();
  @Conv2D(filters = 2, kernelSize = 1, activation = "swish") @Name("se_reduce")      Layer seReduce();
  @Conv2D(filters = 8, kernelSize = 1, activation = "sigmoid") @Name("se_expand")    Layer seExpand();
  @Multiply(from = {"stem", "se_expand"})                                            Layer excite();    // [8,8,8] * [1,1,8]
  @GlobalAveragePooling2D                                                            Layer pool();
  @Dense(units = 8, activation = "sigmoid")                                          Layer gate();
  @Multiply(from = {"excite", "gate"}) @Name("channel_gate")                         Layer channelGate(); // [8,8,8] * [8]
  @Conv2D(filters = 4, kernelSize = 1)                                               Layer project();
}
