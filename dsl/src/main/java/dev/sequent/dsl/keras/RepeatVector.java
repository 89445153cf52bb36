package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code RepeatVector(n)}: input {@code (features)}, output {@code (n, features)}.
 *
 * <pre>{@code
 * @RepeatVector(5) Layer steps();   // [16] -> [5, 16]
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface RepeatVector {
  /** n: how many times. */
  int value();
}
