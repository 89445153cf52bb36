package dev.sequent.model.source;

/**
 * A model, or one of its layers, that the DSL cannot declare yet (a layer kind without an annotation,
 * weights shared between two nodes, a layer read in a way no annotation states); the message names
 * the layer, its kind and the reason.
 */
public final class UnwritableModelException extends IllegalArgumentException {
  public UnwritableModelException(String message) {
    super(message);
  }
}
