package dev.sequent.runtime.weights;

import dev.sequent.model.Framework;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tensors offered to a model, in the layout and naming of the framework that wrote them: a read
 * weight file, a state_dict passed in code, or a Keras {@code get_weights()} list.
 *
 * @param description what the tensors came from, for messages (usually the file path)
 * @param framework whose layout and naming the tensors use
 * @param tensors every tensor in source order (Keras weight order, state_dict order)
 * @param groups Keras weighted layers in order with their tensors' names; empty when unknown
 * @param batchNormEpsilons epsilon of each BatchNorm layer of the source model in order, when the
 *     source states them; empty means the framework's default (Keras 1e-3, PyTorch 1e-5)
 */
public record WeightSource(
    String description, Framework framework, List<Tensor> tensors, List<Group> groups, List<Double> batchNormEpsilons) {

  public WeightSource {
    tensors = List.copyOf(tensors);
    groups = List.copyOf(groups);
    batchNormEpsilons = List.copyOf(batchNormEpsilons);
  }

  public record Tensor(String name, INDArray value) {}

  public record Group(String layerName, List<String> tensorNames) {
    public Group {
      tensorNames = List.copyOf(tensorNames);
    }
  }

  public double defaultEpsilon() {
    return defaultEpsilon(framework);
  }

  /** BatchNorm's default eps in {@code framework}: Keras 1e-3, PyTorch 1e-5. */
  public static double defaultEpsilon(Framework framework) {
    return framework == Framework.KERAS ? 1e-3 : 1e-5;
  }
}
