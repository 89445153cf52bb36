package dev.sequent.model;

/**
 * A layer cannot accept its input, or a hyperparameter is invalid. The message says what was
 * received and what was expected ({@code input has 120 features, expected 400}); the caller adds
 * the layer's name and the shape chain.
 *
 * <p>{@code attribute} names the hyperparameter at fault when one is (so the processor can point
 * at that annotation attribute), or is null when the input itself is wrong.
 */
public class ShapeException extends RuntimeException {
  private final String attribute;

  public ShapeException(String message) {
    this(null, message);
  }

  public ShapeException(String attribute, String message) {
    super(message);
    this.attribute = attribute;
  }

  public String attribute() {
    return attribute;
  }
}
