package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.CELU(alpha=1.0)}: {@code max(0, x) + min(0, alpha * (exp(x / alpha) - 1))};
 * at alpha 1 Keras 3 {@code Activation("celu")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CELU {
  double alpha() default dev.sequent.model.Activation.CELU_ALPHA;
}
