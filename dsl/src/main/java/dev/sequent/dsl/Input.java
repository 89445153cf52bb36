package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * In a {@link Module} with several inputs, declares one of them, as Keras' {@code keras.Input(shape)}:
 * the method's name (or its {@link Name}) is the input's name, which layers read with {@link From}
 * or {@link Add#from}. Inputs are taken in declaration order ({@code net.forward(List.of(a, b))});
 * a model that declares {@code @Input}s has no {@code @Module(input = ...)}.
 *
 * <pre>{@code
 * @Module(outputs = {"scores", "extra"})
 * public interface TwoTowers {
 *   @Input({6})                          Layer left();
 *   @Input({4})                          Layer right();
 *   @Dense(units = 5) @From("left")      Layer fromLeft();
 *   @Dense(units = 5) @From("right")     Layer fromRight();
 *   @Add(from = {"fromLeft", "fromRight"}) Layer join();
 *   @Dense(units = 3)                    Layer scores();
 *   @Dense(units = 2) @From("join")      Layer extra();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Input {
  /** The sample shape, without the batch axis. */
  int[] value();
}
