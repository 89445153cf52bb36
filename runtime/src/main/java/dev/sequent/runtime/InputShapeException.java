package dev.sequent.runtime;

/** An input batch whose shape or type does not fit the model; the message shows expected vs actual. */
public class InputShapeException extends IllegalArgumentException {
  public InputShapeException(String message) {
    super(message);
  }
}
