package dev.sequent.dsl.keras;

import dev.sequent.model.layers.Cropping2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Cropping2D(cropping=((0, 0), (0, 0)))}: removes rows and columns from the sides of
 * channels-last images. {@code cropping} takes Keras' three forms flattened: {@code {c}} (every
 * side), {@code {h, w}} (symmetric) or {@code {top, bottom, left, right}}. Cropping the whole
 * height or width is a compile-time error.
 *
 * <pre>{@code
 * @Cropping2D(cropping = {1, 0, 2, 1})   Layer crop();  // ((1, 0), (2, 1))
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Cropping2D {
  int[] cropping() default {Cropping2DKind.KERAS_CROPPING};
}
