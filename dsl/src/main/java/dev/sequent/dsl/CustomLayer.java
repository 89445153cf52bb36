package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a user-written layer class: its output shape and its parameters' shapes as
 * {@code ShapeRule} expressions over the input shape ({@code "in"}, {@code "in[:-1]"},
 * {@code "in[-1]"}, {@code "in[:-1], 2*in[-1]"}), so that the processor can check the layers that
 * follow it without running it. The class computes the forward pass at run time (it implements the
 * runtime's {@code CustomForward}).
 *
 * <p>Example, the classic "add a learned vector" layer:
 * <pre>{@code
 * @CustomLayer(output = "in", params = @Param(name = "w", shape = "in[-1]"))
 * public final class AddVector implements CustomForward { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CustomLayer {
  /** The output shape as a rule over the input shape. */
  String output() default "in";

  /** The layer's own tensors. */
  Param[] params() default {};
}
