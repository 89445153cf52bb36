package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Uses a user-written layer: a class annotated with {@link CustomLayer} that computes the forward
 * pass. Example: {@code @Custom(AddVector.class) Layer shift();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Custom {
  /** The class annotated with {@link CustomLayer}. */
  Class<?> value();
}
