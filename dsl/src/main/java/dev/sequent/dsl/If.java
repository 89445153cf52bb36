package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An optional layer or block, present only where the condition holds for this use's arguments:
 * torchvision's downsample path, {@code @If("stride != 1 || in[0] != planes")}. A layer that is
 * absent passes its input through, so layers that read it read its input instead (the identity).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface If {
  /** A boolean expression over the block's parameters and the input shape ({@code in[0]}). */
  String value();
}
