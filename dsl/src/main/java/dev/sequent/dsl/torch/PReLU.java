package dev.sequent.dsl.torch;

import dev.sequent.model.layers.PReLUKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.PReLU(num_parameters=1, init=0.25)}: {@code max(0, x) + weight * min(0, x)}, one
 * slope, or one per channel (axis 1 of the batch) when {@code numParameters} is the channel count.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PReLU {
  int numParameters() default PReLUKind.DEFAULT_NUM_PARAMETERS;

  double init() default PReLUKind.TORCH_INIT;
}
