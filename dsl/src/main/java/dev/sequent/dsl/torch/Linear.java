package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Linear(in_features, out_features, bias=True)} on the last axis. {@code in} is
 * inferred from the input; when given, it is checked. Weight {@code (out, in)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Linear {
  /** out_features; required (a missing or zero value is a compile-time error), or set inside a block by {@code @Bind("out = ...")}. */
  int out() default 0;

  /** in_features; 0 to infer it from the input. */
  int in() default 0;

  boolean bias() default true;
}
