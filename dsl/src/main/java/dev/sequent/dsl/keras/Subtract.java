package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Subtract()}: the difference {@code from[0] - from[1]} of exactly two layers, broadcasting
 * as Keras does (shapes aligned at the last axis, a dimension of 1 stretches).
 *
 * <p>Example: {@code @Subtract(from = {"a", "b"}) Layer diff();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Subtract {
  /** The layers to merge (or {@code "input"}). */
  String[] from();
}
