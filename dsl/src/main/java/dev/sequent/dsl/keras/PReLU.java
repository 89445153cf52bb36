package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code PReLU(shared_axes=None)}: {@code x} where {@code x >= 0}, else {@code alpha * x}, with
 * {@code alpha} shaped as the sample and shared (size 1) along {@code sharedAxes} (sample axes
 * numbered from 1, as Keras does). Over images {@code (H, W, C)}, {@code sharedAxes = {1, 2}} gives
 * one slope per channel, PyTorch's {@code nn.PReLU(C)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PReLU {
  int[] sharedAxes() default {};
}
