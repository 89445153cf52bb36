package dev.sequent.dsl.keras;

import dev.sequent.model.layers.RescalingKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Rescaling(scale, offset=0.0)}: {@code x * scale + offset}. One value, or one per
 * entry of the last axis (per channel of a channels-last image). PyTorch has no such module, so a
 * model in either vocabulary uses this spelling.
 *
 * <p>Example: {@code @Rescaling(scale = 1 / 127.5, offset = -1) Layer scaled();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Rescaling {
  /** The factor: one value, or one per entry of the last axis. */
  double[] scale();

  /** The shift: one value, or one per entry of the last axis. */
  double[] offset() default {RescalingKind.KERAS_OFFSET};
}
