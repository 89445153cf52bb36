package dev.sequent.dsl.keras;

import dev.sequent.model.layers.Upsample2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code UpSampling2D(size=(2, 2), interpolation="nearest")} on channels-last images: each
 * pixel repeated {@code size} times ("nearest"), or bilinear resizing with half-pixel centers
 * ("bilinear", as {@code tf.image.resize}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpSampling2D {
  /** The upsampling factors for rows and columns: one value for both, or two. */
  int[] size() default {Upsample2DKind.KERAS_SIZE};

  /** "nearest" or "bilinear". */
  String interpolation() default Upsample2DKind.KERAS_INTERPOLATION;
}
