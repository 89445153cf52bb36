package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Flatten(start_dim=1, end_dim=-1)}: joins the axes from {@code startDim} to
 * {@code endDim} into one, counted as PyTorch counts them (the batch axis is 0, negative from the
 * end); the defaults join every non-batch axis. {@code @Flatten(startDim = 2)} makes a
 * {@code (C, H, W)} sample {@code (C, H*W)}. A dim out of range, {@code startDim = 0} (the batch
 * axis) or {@code startDim} after {@code endDim} is a compile-time error on the attribute.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Flatten {
  int startDim() default dev.sequent.model.layers.Flatten.START_DIM;

  int endDim() default dev.sequent.model.layers.Flatten.END_DIM;
}
