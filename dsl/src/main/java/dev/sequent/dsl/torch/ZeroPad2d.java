package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.ZeroPad2d(padding)}: zeros around channels-first images; {@code padding} is one
 * int (every side) or four in PyTorch's order, {@code (left, right, top, bottom)}.
 *
 * <pre>{@code
 * @ZeroPad2d(1)               Layer pad();   // every side
 * @ZeroPad2d({1, 2, 0, 3})    Layer pad2();  // left 1, right 2, top 0, bottom 3
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ZeroPad2d {
  /** padding: p, or (left, right, top, bottom). */
  int[] value();
}
