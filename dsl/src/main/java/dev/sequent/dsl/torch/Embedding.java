package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)}: looks up one
 * {@code embedding_dim}-vector per integer id. Input {@code [steps]} of ids in
 * {@code [0, num_embeddings)}, read directly from the model input (an int32/int64 array, or floats
 * holding integers); output {@code [steps, embedding_dim]}. Weight {@code (num_embeddings,
 * embedding_dim)}.
 *
 * <p>{@code paddingIdx} (negative counts from the end) zeroes that row at initialisation; the
 * forward pass is unaffected. {@code max_norm} is not supported.
 *
 * <pre>{@code
 * @Sequential(input = {20})
 * interface Text {
 *   @Embedding(numEmbeddings = 1000, embeddingDim = 16, paddingIdx = 0) Layer emb(); // [20] -> [20, 16]
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Embedding {
  int numEmbeddings();

  int embeddingDim();

  /** padding_idx; {@code Integer.MIN_VALUE} (the default) means None. */
  int paddingIdx() default dev.sequent.model.layers.Embedding.NO_PADDING_IDX;
}
