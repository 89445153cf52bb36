package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x.mean(dim=dim, keepdim=keepdim)} in a PyTorch {@code forward}, over one axis of a
 * {@code (batch, time, features)} sequence: {@code dim = 1} averages the steps (a Transformer
 * encoder's pooled output, Keras' {@code GlobalAveragePooling1D}), {@code dim = 2} (or -1) the
 * features of each step of a channels-first {@code (batch, channels, steps)} input. Code, not a
 * module: no parameters and no state_dict entry.
 *
 * <pre>{@code @Mean(dim = 1) Layer pooled();   // [6, 16] -> [16]}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Mean {
  /** The axis, counting the batch axis: 1 (time of a batch-first sequence) or 2 / -1. */
  int dim() default 1;

  boolean keepdim() default false;
}
