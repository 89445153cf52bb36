package dev.sequent.model.report;

import dev.sequent.model.InferredModel;
import java.util.Optional;

/** The model as Keras 3 {@code model.to_json()} writes it, for the layers Keras has. */
public final class KerasConfig {
  private KerasConfig() {}

  /** Why this model has no Keras config (a layer Keras lacks), or empty when it has one. */
  public static Optional<String> unsupportedReason(InferredModel model) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The JSON, or {@link UnsupportedOperationException} with {@link #unsupportedReason}. */
  public static String toJson(InferredModel model) {
    throw new UnsupportedOperationException("TODO");
  }
}
