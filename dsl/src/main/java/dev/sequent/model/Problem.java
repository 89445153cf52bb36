package dev.sequent.model;

/**
 * One thing wrong with a model, found before anything runs or is generated.
 *
 * @param kind the stable category (also the tag shown in diagnostics)
 * @param node the layer at fault, or null when the model as a whole is
 * @param attribute the hyperparameter at fault, or null when the layer's input or wiring is
 * @param message what was received and what was expected, with the shape chain that led there
 */
public record Problem(Kind kind, String node, String attribute, String message) {

  public enum Kind {
    /** A layer cannot accept the shape it receives. */
    SHAPE,
    /** A hyperparameter is invalid on its own. */
    HYPERPARAMETER,
    /** Wiring names a layer that does not exist. */
    UNKNOWN_INPUT,
    /** Wiring forms a cycle. */
    CYCLE,
    /** Two layers share a name. */
    DUPLICATE_NAME,
    /** Image layers disagree on channels-first vs channels-last. */
    MIXED_DATA_FORMAT,
    /** The model itself is malformed (no layers, no input shape, bad output name). */
    MODEL
  }
}
