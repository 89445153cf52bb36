package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Element-wise sum of two or more layers' outputs of the same shape: Keras {@code Add()}, or the
 * {@code x + f(x)} of a residual connection in a PyTorch {@code forward}.
 *
 * <p>Example: {@code @Add(from = {"act", "res1"}) Layer skip();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Add {
  /** The layers to add (or {@code "input"}). */
  String[] from();
}
