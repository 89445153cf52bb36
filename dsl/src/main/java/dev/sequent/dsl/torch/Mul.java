package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code torch.mul(a, b)}, the {@code a * b} of a forward: the element-wise product of the
 * layers named in {@code from}, broadcasting as PyTorch does (shapes aligned at the last axis, a
 * dimension of 1 stretches): a squeeze-excite {@code scale * x}, {@code [c,1,1]} times {@code [c,h,w]}.
 *
 * <p>Example: {@code @Mul(from = {"a", "b"}) Layer merged();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Mul {
  /** The layers to merge (or {@code "input"}). */
  String[] from();
}
