package dev.sequent.model.kind;

/**
 * One {@code torch.<op>(...)} call of a traced TorchScript module's {@code forward}: traced modules
 * keep no hyperparameters as attributes, so a kind recovers them from this call's arguments.
 * Values are Java Integer, Double, Boolean, String, List or null; an argument TorchScript computed
 * at run time is some other object, which the caller drops.
 */
public interface TracedCall {
  /** The aten op, e.g. {@code linear}, {@code _convolution}, {@code layer_norm}. */
  String op();

  /** The argument at {@code position} or named {@code name}, or {@code fallback} (the aten schema's default) when absent. */
  Object arg(int position, String name, Object fallback);
}
