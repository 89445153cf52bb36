package dev.sequent.model.report;

import dev.sequent.model.InferredModel;

/** Keras' {@code model.summary()} table: layer (type), output shape, param #, and the totals. */
public final class KerasSummary {
  private KerasSummary() {}

  public static String render(InferredModel model) {
    throw new UnsupportedOperationException("TODO");
  }
}
