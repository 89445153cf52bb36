package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Hardtanh(min_val=-1.0, max_val=1.0)}: {@code clamp(x, min_val, max_val)};
 * {@code maxVal} must exceed {@code minVal}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Hardtanh {
  double minVal() default ActivationKind.TORCH_HARDTANH_MIN;

  double maxVal() default ActivationKind.TORCH_HARDTANH_MAX;
}
