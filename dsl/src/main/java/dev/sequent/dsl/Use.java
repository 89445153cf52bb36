package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One use of a {@link Block}, with its own arguments: {@code BasicBlock(planes=128, stride=2)}
 * becomes {@code @Use(value = BasicBlock.class, args = "planes = 128, stride = 2") Layer block();}.
 * Arguments are expressions over the enclosing block's parameters and the input's sample shape
 * ({@code in[0]}), checked against the block's declared parameter types at compile time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Use {
  /** The block interface, annotated {@link Block}. */
  Class<?> value();

  /** {@code "name = expression, ..."}; parameters not given take their defaults. */
  String args() default "";
}
