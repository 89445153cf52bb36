package dev.sequent.dsl.keras;

import dev.sequent.model.layers.ZeroPad2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code ZeroPadding2D(padding=1)}: zeros around channels-last images. {@code padding} takes
 * Keras' three forms flattened: {@code {p}} (every side), {@code {h, w}} (symmetric height and
 * width) or {@code {top, bottom, left, right}} for {@code ((top, bottom), (left, right))}.
 *
 * <pre>{@code
 * @ZeroPadding2D                           Layer pad();   // one row/column on every side
 * @ZeroPadding2D(padding = {2, 1})         Layer pad2();  // 2 rows above and below, 1 column each side
 * @ZeroPadding2D(padding = {1, 2, 0, 3})   Layer pad3();  // ((1, 2), (0, 3))
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ZeroPadding2D {
  int[] padding() default {ZeroPad2DKind.KERAS_PADDING};
}
