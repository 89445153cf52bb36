package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Maximum()}: the element-wise maximum of the layers named in {@code from}, broadcasting
 * as Keras does (shapes aligned at the last axis, a dimension of 1 stretches).
 *
 * <p>Example: {@code @Maximum(from = {"a", "b"}) Layer merged();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Maximum {
  /** The layers to merge (or {@code "input"}). */
  String[] from();
}
