package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a PyTorch-{@code nn.Module}-like model: named layers plus explicit wiring. A layer reads
 * the layer declared before it unless it names its inputs with {@link From} (or, for merges,
 * {@link Add#from}); the model input is called {@code "input"}, or, for a model with several
 * inputs, each is declared by an {@link Input} method and called by its name. Branches and residual connections
 * are therefore declared, not hidden in imperative code, and every shape is still checked.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Module {
  /**
   * The sample shape, without the batch axis, of the model's one input ({@code "input"}). Empty
   * when the model declares its inputs as {@link Input} methods instead.
   */
  int[] input() default {};

  /** The layer whose output is the model output; the last declared layer when empty. */
  String output() default "";

  /**
   * The layers whose outputs are the model's outputs, in order, for a model with several
   * ({@code net.forward(List)} returns them so); when empty, {@link #output} alone.
   */
  String[] outputs() default {};

  /** The model name used in summaries and configs; the interface name when empty. */
  String name() default "";
}
