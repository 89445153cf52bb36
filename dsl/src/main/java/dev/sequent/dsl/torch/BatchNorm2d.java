package dev.sequent.dsl.torch;

import dev.sequent.model.layers.BatchNormKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True)} on (N, C, H, W).
 * {@code numFeatures} is inferred when 0. Weight, bias, running_mean, running_var.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface BatchNorm2d {
  int numFeatures() default 0;

  double eps() default BatchNormKind.TORCH_EPSILON;

  double momentum() default BatchNormKind.TORCH_MOMENTUM;

  boolean affine() default true;
}
