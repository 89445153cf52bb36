package dev.sequent.dsl.keras;

import dev.sequent.model.layers.NormalizationKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Normalization(axis=-1, mean=None, variance=None, invert=False)}:
 * {@code (x - mean) / max(sqrt(variance), 1e-7)} (or its inverse), with one mean and variance per
 * position of the kept {@code axis} (batch axis 0; {@code {}} is Keras' {@code axis=None}, one for
 * all values). Without {@code mean}/{@code variance} the statistics are weights, loaded from a file
 * (Keras' {@code adapt()} result). PyTorch has no such module, so a model in either vocabulary uses
 * this spelling.
 *
 * <p>Example: {@code @Normalization(mean = {0.485, 0.456, 0.406}, variance = {0.052, 0.05, 0.051}) Layer norm();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Normalization {
  /** The kept axes, batch axis counted; {} for one statistic over everything. */
  int[] axis() default {NormalizationKind.KERAS_AXIS};

  /** The fixed mean (one value or one per kept position), or {} to load it as a weight. */
  double[] mean() default {};

  /** The fixed variance, with {@code mean}, or {} to load it as a weight. */
  double[] variance() default {};

  /** Whether to apply the inverse, {@code mean + x * sqrt(variance)}. */
  boolean invert() default false;
}
