package dev.sequent.model.kind;

import dev.sequent.model.Framework;

/**
 * A layer whose epsilon can be moved between frameworks by folding it into one of its stored
 * parameters: BatchNorm's {@code (x - mean) / sqrt(var + eps)} is unchanged when {@code eps_a}
 * becomes {@code eps_b} and the variance {@code var + eps_a - eps_b}. The weight mapping applies
 * it when a file's layer used another epsilon than the model's (stated in the file, or the file
 * framework's default), and when it writes a file for the other framework's default.
 *
 * @param kerasParam the Keras name of the parameter that absorbs the difference ({@code moving_variance})
 * @param epsilon this layer's epsilon
 * @param kerasDefault the epsilon a Keras file's layer has when the file does not say
 * @param torchDefault the epsilon a PyTorch file's layer has when the file does not say
 */
public record EpsilonFold(String kerasParam, double epsilon, double kerasDefault, double torchDefault) {

  /** The epsilon a {@code framework} file's layer is assumed to have. */
  public double defaultFor(Framework framework) {
    return framework == Framework.KERAS ? kerasDefault : torchDefault;
  }
}
