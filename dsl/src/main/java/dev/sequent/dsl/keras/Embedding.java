package dev.sequent.dsl.keras;

import dev.sequent.model.layers.EmbeddingKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Embedding(input_dim, output_dim, mask_zero=False)}: looks up one
 * {@code output_dim}-vector per integer id. Input {@code [steps]} of ids in {@code [0, input_dim)},
 * read directly from the model input (an int32/int64 array, or floats holding integers); output
 * {@code [steps, output_dim]}. Weight {@code embeddings (input_dim, output_dim)}.
 *
 * <p>{@code maskZero} is kept in the config, but Sequent's later layers do not consume Keras masks
 * yet: outputs equal Keras' for models whose later layers ignore the mask.
 *
 * <pre>{@code
 * @Sequential(input = {20})
 * interface Text {
 *   @Embedding(inputDim = 1000, outputDim = 16) Layer emb();   // [20] ids -> [20, 16]
 *   @GlobalAveragePooling1D                      Layer pool();  // [16]
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Embedding {
  /** input_dim: the vocabulary size. */
  int inputDim();

  /** output_dim: the size of each vector. */
  int outputDim();

  boolean maskZero() default EmbeddingKind.KERAS_MASK_ZERO;
}
