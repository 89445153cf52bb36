package dev.sequent.model.report;

import dev.sequent.model.InferredModel;
import java.util.List;

/** Every parameter of a model under PyTorch, Keras 2 and Keras 3 naming, in Keras weight order. */
public final class ParameterNames {
  private ParameterNames() {}

  public static List<NamedParam> of(InferredModel model) {
    throw new UnsupportedOperationException("TODO");
  }
}
