package dev.sequent.model.report;

import dev.sequent.model.InferredModel;

/**
 * torchinfo's {@code summary(model, input_size=(1, ...))} table: layer (type:depth-idx), output
 * shape, param #, mult-adds, and the totals and size estimates.
 */
public final class TorchSummary {
  private TorchSummary() {}

  public static String render(InferredModel model) {
    throw new UnsupportedOperationException("TODO");
  }
}
