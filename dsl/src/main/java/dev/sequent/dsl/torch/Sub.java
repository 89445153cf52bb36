package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code torch.sub(a, b)}, the {@code a - b} of a forward: the difference {@code from[0] - from[1]} of exactly two
 * layers named in {@code from}, broadcasting as PyTorch does (shapes aligned at the last axis, a
 * dimension of 1 stretches).
 *
 * <p>Example: {@code @Sub(from = {"a", "b"}) Layer merged();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Sub {
  /** The layers to merge (or {@code "input"}). */
  String[] from();
}
