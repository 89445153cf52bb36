package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Keras-{@code Sequential}-like model: the annotated interface's {@link Layer} methods,
 * in declaration order, each read the output of the one before. The input shape is declared once,
 * without the batch axis: channels-last ({@code {28, 28, 1}}) for Keras layers, channels-first
 * ({@code {1, 28, 28}}) for PyTorch layers.
 *
 * <p>The processor generates {@code <Name>Net} next to the interface, with the shapes, summary,
 * config, parameter names and a factory into the runtime.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Sequential {
  /** The sample shape, without the batch axis. */
  int[] input();

  /** The model name used in summaries and configs; the interface name when empty. */
  String name() default "";
}
