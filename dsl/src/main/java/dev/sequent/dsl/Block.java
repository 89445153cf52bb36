package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a reusable block: PyTorch's {@code nn.Module} subclass (a {@code BasicBlock}) or a Keras
 * model used as a layer. A block is an interface with layer methods, like a {@link Module}, but no
 * input shape of its own: each use ({@link Use}, {@link Stage}) gives it arguments, and the
 * processor expands it in place and checks every shape with those arguments. Its layers are named
 * {@code <use>.<layer>} ({@code layer1.0.conv1}), so parameter names are PyTorch's for the same
 * composition; in a Keras-vocabulary model {@code <use>_<layer>} ({@code conv2_block1_1_conv}), as
 * keras.applications builds names from the name a block function is given.
 *
 * <p>Parameters are typed and may have defaults, written as Java declarations:
 * {@code @Block(params = {"int planes", "int stride = 1"})}. Layer annotations inside the block
 * take them through {@link Bind}; {@link If} makes a layer optional; the block reads
 * {@code "input"} and its output is its last layer unless {@link #output} names another.
 *
 * <pre>{@code
 * @Block(params = {"int planes", "int stride = 1"})
 * public interface BasicBlock {
 *   @Conv2d(kernel = 3, padding = 1, bias = false) @Bind("out = planes, stride = stride") Layer conv1();
 *   ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Block {
  /** {@code "int planes"}, {@code "int stride = 1"}, {@code "boolean residual = true"}: type, name, default. */
  String[] params() default {};

  /**
   * Children named by position, {@code 0, 1, ...}, each reading the one before: PyTorch's
   * {@code nn.Sequential} (a {@code downsample} path). Only layers that are modules take a number.
   */
  boolean sequential() default false;

  /** The class name summaries show; the interface name, or {@code Sequential} for a sequential block. */
  String name() default "";

  /** The layer whose output is the block's output; the last declared layer when empty. */
  String output() default "";
}
