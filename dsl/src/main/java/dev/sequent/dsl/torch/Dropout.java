package dev.sequent.dsl.torch;

import dev.sequent.model.layers.DropoutKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Dropout(p=0.5)}; the identity at inference.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dropout {
  double p() default DropoutKind.TORCH_P;
}
