package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.UpsamplingBilinear2d(scale_factor)}: {@code Upsample(scale_factor,
 * mode="bilinear", align_corners=True)}, which has no Keras equivalent.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpsamplingBilinear2d {
  /** scale_factor for rows and columns: one value for both, or two. */
  int[] scaleFactor();
}
