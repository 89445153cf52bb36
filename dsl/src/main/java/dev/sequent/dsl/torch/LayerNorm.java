package dev.sequent.dsl.torch;

import dev.sequent.model.layers.LayerNormKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)}:
 * normalises each sample over its last {@code value.length} dims, which must equal {@code value}
 * (checked at compile time). Weight (when elementwise_affine) and bias (when also bias), shaped
 * {@code value}.
 *
 * <pre>{@code
 * @LayerNorm(16)                         Layer ln();    // input [..., 16]
 * @LayerNorm(value = {5, 16}, bias = false) Layer ln2(); // input [..., 5, 16]
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LayerNorm {
  /** normalized_shape: the last dims of the input. */
  int[] value();

  double eps() default LayerNormKind.TORCH_EPSILON;

  boolean elementwiseAffine() default true;

  boolean bias() default true;
}
