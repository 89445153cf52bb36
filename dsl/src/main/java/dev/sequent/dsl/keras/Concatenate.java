package dev.sequent.dsl.keras;

import dev.sequent.model.layers.ConcatenateKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Concatenate(axis=-1)}: the layers named in {@code from} joined along {@code axis}
 * (batch axis 0, negative from the end; -1 is the channels of a channels-last image). The inputs
 * must match in every other axis.
 *
 * <p>Example: {@code @Concatenate(from = {"branch1", "branch2"}) Layer joined();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Concatenate {
  /** The layers to join (or {@code "input"}). */
  String[] from();

  /** The axis to join along, batch axis counted. */
  int axis() default ConcatenateKind.KERAS_AXIS;
}
