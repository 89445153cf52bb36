package dev.sequent.model.kind;

/**
 * A layer read from a file (a Keras config, a pickled or TorchScript PyTorch module) that Sequent
 * cannot represent: an unknown class, or a known class with an option Sequent does not implement.
 * The message names the layer, its class and why.
 */
public class UnsupportedLayerException extends RuntimeException {
  public UnsupportedLayerException(String message) {
    super(message);
  }
}
