package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An optional layer or block, present only where the condition holds for this use's arguments:
 * torchvision's downsample path, {@code @If("stride != 1 || in[0] != planes")}. A layer that is
 * absent passes its input through, so layers that read it read its input instead (the identity):
 * its first input, or the one {@link #otherwise} names.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface If {
  /** A boolean expression over the block's parameters and the input shape ({@code in[0]}). */
  String value();

  /**
   * The input an absent layer of several inputs stands for, when not its first: Keras' residual
   * {@code Add()([inputs, x])} is {@code x} where there is no residual,
   * {@code @If(value = "stride == 1", otherwise = "project_BN") @Add(from = {"input", "project_BN"})}.
   */
  String otherwise() default "";
}
