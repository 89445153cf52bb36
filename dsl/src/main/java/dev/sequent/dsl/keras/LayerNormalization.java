package dev.sequent.dsl.keras;

import dev.sequent.model.layers.LayerNormKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code LayerNormalization(axis=-1, epsilon=0.001, center=True, scale=True)}: normalises
 * each sample over {@code axis} (counting the batch axis, as Keras does; the last axes, in order).
 * Weights gamma (when scale), beta (when center), shaped as the normalised axes.
 *
 * <pre>{@code
 * @LayerNormalization(epsilon = 1e-5)        Layer ln();     // over the features of [steps, features]
 * @LayerNormalization(axis = {1, 2})         Layer whole();  // over both axes of [steps, features]
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LayerNormalization {
  int[] axis() default {-1};

  double epsilon() default LayerNormKind.KERAS_EPSILON;

  boolean center() default true;

  boolean scale() default true;
}
