package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inside a {@link Block}: sets attributes of this method's layer annotation from the block's
 * parameters, since annotation attributes themselves must be constants:
 * {@code @Conv2d(kernel = 3, padding = 1) @Bind("out = planes, stride = stride") Layer conv1();}.
 * Each {@code attribute = expression} is checked at compile time: the attribute must exist on the
 * layer annotation and the expression's type must fit it (an int expression fills an int or an
 * int[] attribute, as {@code stride = 2} means {@code stride = {2}}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Bind {
  /** {@code "attribute = expression, ..."}. */
  String value();
}
