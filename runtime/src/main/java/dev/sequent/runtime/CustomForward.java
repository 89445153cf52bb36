package dev.sequent.runtime;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of a user-written layer (a class annotated with
 * {@link dev.sequent.dsl.CustomLayer}). Implementations need a public no-argument constructor and
 * must not modify {@code input} or {@code params}; they may be called from several threads at once.
 */
public interface CustomForward {

  /**
   * @param input the batch, shape {@code [N, ...input shape]}
   * @param params the layer's tensors by the names declared in {@code @CustomLayer(params)}
   * @return a new array of shape {@code [N, ...output shape]}
   */
  INDArray forward(INDArray input, Map<String, INDArray> params);
}
