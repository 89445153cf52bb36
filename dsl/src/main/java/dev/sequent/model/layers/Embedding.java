package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * A lookup table of vectors indexed by integer ids: Keras {@code Embedding(input_dim, output_dim,
 * mask_zero)}, PyTorch {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx)}.
 *
 * <p>Input: a sequence of ids {@code [steps]} (the model input, as integers or as floats holding
 * integers); output {@code [steps, outputDim]}. Parameter: Keras {@code embeddings}, PyTorch
 * {@code weight}, the same {@code (inputDim, outputDim)} array in both frameworks.
 *
 * <p>{@code paddingIdx} (PyTorch) only zeroes that row at initialisation and stops its gradient:
 * the forward pass is an ordinary lookup, so it is kept for the file and the initialiser only.
 * {@code maskZero} (Keras) makes the layer emit a mask for later layers: the Keras config reader
 * adds it as a {@link StepMask} node and follows it to the layers that read it (see
 * {@link dev.sequent.model.kind.MaskUse}). A Java-declared model makes no mask.
 *
 * @param paddingIdx the PyTorch padding row, non-negative, or {@link #NO_PADDING_IDX}
 */
public record Embedding(Framework framework, int inputDim, int outputDim, int paddingIdx, boolean maskZero)
    implements LayerSpec {

  /** No padding row (PyTorch's {@code padding_idx=None}). */
  public static final int NO_PADDING_IDX = Integer.MIN_VALUE;

  public Embedding {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "inputDim" : "numEmbeddings", inputDim, "the vocabulary size");
    LayerSpec.positive(keras ? "outputDim" : "embeddingDim", outputDim, "the embedding size");
    if (paddingIdx != NO_PADDING_IDX) {
      // PyTorch: "Padding_idx must be within num_embeddings"; a negative index counts from the end.
      if (paddingIdx < -inputDim || paddingIdx >= inputDim) {
        throw new ShapeException("paddingIdx", "padding_idx must be within num_embeddings (" + inputDim
            + "). Received: paddingIdx=" + paddingIdx);
      }
      paddingIdx = paddingIdx < 0 ? inputDim + paddingIdx : paddingIdx;
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? EmbeddingKind.KERAS_CLASS : EmbeddingKind.TORCH_CLASS;
  }

  /** Ids are looked up, not computed: the layer must read the model input itself. */
  @Override
  public boolean readsIntegerIds() {
    return true;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != 1) {
      throw new ShapeException("expected a sequence of ids [steps] but input is " + in
          + "; an embedding reads integer ids, one per step");
    }
    return Shape.of(in.dim(0), outputDim);
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return List.of(ParamSpec.same("embeddings", "weight", Shape.of(inputDim, outputDim), true));
  }
}
