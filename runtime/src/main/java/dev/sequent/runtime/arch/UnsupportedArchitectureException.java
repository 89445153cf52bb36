package dev.sequent.runtime.arch;

/** A model file whose architecture uses something Sequent cannot build; names the layer and class. */
public class UnsupportedArchitectureException extends RuntimeException {
  public UnsupportedArchitectureException(String message) {
    super(message);
  }
}
