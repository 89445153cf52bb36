package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An {@code nn.Sequential} of blocks, numbered {@code 0, 1, ...}: ResNet's {@code layer2}. Either
 * {@code count} uses of one {@code block} with the same {@code args}, the first one also given
 * {@code first} (where torchvision's {@code _make_layer} passes the stride):
 *
 * <pre>{@code @Stage(block = BasicBlock.class, count = 2, args = "planes = 128", first = "stride = 2") Layer layer2();}</pre>
 *
 * or an explicit list of uses: {@code @Stage({@Use(value = A.class), @Use(value = B.class, args = "...")})}.
 *
 * <p>Each child is named {@code <stage><joiner><names>}: the joiner is the vocabulary's, {@code .}
 * for PyTorch ({@code layer2.0}) and {@code _} for Keras, whose applications build layer names as
 * strings ({@code conv2_block1}, from ResNet's {@code name=f"{name}_block{i}"}):
 *
 * <pre>{@code @Stage(block = ResidualBlockV1.class, count = 3, args = "filters = 64", names = "block{i + 1}") Layer conv2();}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Stage {
  /** The blocks in order; leave empty to repeat {@link #block}. */
  Use[] value() default {};

  /** The repeated block. */
  Class<?> block() default Void.class;

  /** How many times {@link #block} is repeated. */
  int count() default 0;

  /** Arguments of every repetition. */
  String args() default "";

  /** Further arguments of the first repetition only (they may override {@link #args}). */
  String first() default "";

  /**
   * Each child's name within the stage: text with {@code {expression}} parts, the expressions over
   * {@code i} (the child's position, from 0) and the enclosing block's parameters, as in
   * {@code @Bind}. The default, {@code "{i}"}, numbers the children as {@code nn.Sequential} does.
   */
  String names() default "{i}";

  /** The class name summaries show. */
  String name() default "Sequential";
}
