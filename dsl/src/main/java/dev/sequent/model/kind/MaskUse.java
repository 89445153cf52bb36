package dev.sequent.model.kind;

/**
 * What a Keras layer does with the mask attached to its input (Keras 3
 * {@code keras/src/layers/layer.py}: a layer whose {@code supports_masking} is false drops it, with a
 * warning; one that supports masking passes {@code compute_mask(inputs, previous_mask)} on, by
 * default the mask itself; a layer whose {@code call} takes {@code mask} reads it). The Keras config
 * reader follows the masks through a graph by these answers ({@link LayerKind#kerasMaskUse}); a
 * layer that reads one gets it as its last input ({@link LayerKind#withMaskInput}).
 */
public enum MaskUse {
  /** Keras' {@code supports_masking=False}: the output has no mask. */
  DROPS,
  /** Ignores it in its computation; the output carries the same mask. */
  PASSES,
  /** Reads it; the output has no mask (a recurrent layer returning its last output, masked average pooling). */
  READS,
  /** Reads it; the output carries the same mask (a recurrent layer returning sequences). */
  READS_AND_PASSES,
  /** Would read it in a way Sequent does not compute: the reader refuses the layer. */
  REFUSES
}
