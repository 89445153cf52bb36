package dev.sequent.runtime.weights;

import dev.sequent.model.DataFormat;
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
 * @param foldedEpsilons the epsilon of each layer of the source model whose epsilon is folded into
 *     a parameter between frameworks ({@link dev.sequent.model.kind.EpsilonFold}: BatchNorm), in
 *     order, when the source states them; empty means each kind's default for the framework
 * @param flattenOrders for each Flatten of an image in the source model, in order, the order its
 *     features come in ({@link DataFormat#CHANNELS_LAST}: H,W,C; {@link DataFormat#CHANNELS_FIRST}:
 *     C,H,W), which the rows of the Dense kernel after it follow; when the source states them (its
 *     architecture: a channels-first Keras model flattens C,H,W). Empty means the framework's own
 *     image layout (Keras channels-last, PyTorch channels-first)
 */
public record WeightSource(
    String description, Framework framework, List<Tensor> tensors, List<Group> groups, List<Double> foldedEpsilons,
    List<DataFormat> flattenOrders) {

  public WeightSource {
    tensors = List.copyOf(tensors);
    groups = List.copyOf(groups);
    foldedEpsilons = List.copyOf(foldedEpsilons);
    flattenOrders = List.copyOf(flattenOrders);
  }

  /** A source whose Flattens order features as its framework's own image layout does. */
  public WeightSource(String description, Framework framework, List<Tensor> tensors, List<Group> groups,
      List<Double> foldedEpsilons) {
    this(description, framework, tensors, groups, foldedEpsilons, List.of());
  }

  public record Tensor(String name, INDArray value) {}

  public record Group(String layerName, List<String> tensorNames) {
    public Group {
      tensorNames = List.copyOf(tensorNames);
    }
  }
}
