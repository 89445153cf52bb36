package dev.sequent.dsl.torch;

import dev.sequent.model.layers.Upsample2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Upsample(scale_factor, mode="nearest", align_corners=None)} on channels-first
 * images, by whole factors ({@code size=} is not supported).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upsample {
  /** scale_factor for rows and columns: one value for both, or two. */
  int[] scaleFactor();

  /** "nearest" or "bilinear". */
  String mode() default Upsample2DKind.TORCH_MODE;

  /** Bilinear only: sample at {@code d * (in - 1) / (out - 1)} instead of half-pixel centers. */
  boolean alignCorners() default Upsample2DKind.TORCH_ALIGN_CORNERS;
}
