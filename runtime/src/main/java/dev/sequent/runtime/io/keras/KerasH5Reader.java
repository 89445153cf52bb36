package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.NamedTensor;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HDF5 layout of Keras 2 / tf_keras (and of Keras 3's legacy {@code .h5}): a weights group
 * (the root for {@code save_weights}, {@code /model_weights} for {@code model.save}) whose
 * {@code layer_names} attribute lists the layers in model order; each layer group's
 * {@code weight_names} attribute lists its weights in {@code layer.weights} order, each naming a
 * dataset below the layer group ({@code conv2d/kernel:0} in tf_keras,
 * {@code sequential/conv2d/kernel} in Keras 3). This is the order Keras loads by (positionally),
 * so it is the order kept here.
 */
final class KerasH5Reader {
  /**
   * tf_keras writes the weights a subclassed model owns directly, outside any layer, in a group of
   * this name; it is not in {@code layer_names} and is loaded after the layers.
   */
  static final String TOP_LEVEL_WEIGHTS = "top_level_model_weights";

  private KerasH5Reader() {}

  /** Whether {@code group} holds the {@code layer_names} list of this layout. */
  static boolean hasLayerNames(Group group) {
    return group.getAttribute("layer_names") != null || group.getAttribute("layer_names0") != null;
  }

  static ReadWeights read(Group weightsRoot, H5WeightReader datasets) {
    List<String> layerNames = H5Attributes.strings(weightsRoot, "layer_names")
        .orElseThrow(() -> new KerasLayoutException(
            "group " + weightsRoot.getPath() + " has no layer_names attribute"));
    ReadWeights out = new ReadWeights();
    for (String layerName : layerNames) {
      // A layer name with '/' (tf_keras' keras.applications MobileNetV3: "Conv/BatchNorm") is a group
      // nested in the groups of its prefix, which may be layers of their own ("Conv").
      Node node = nodeAt(weightsRoot, layerName).orElse(null);
      if (!(node instanceof Group layerGroup)) {
        throw new KerasLayoutException("layer " + layerName + " is listed in layer_names but "
            + weightsRoot.getPath() + " has no such group");
      }
      out.addLayer(layerName, layerTensors(layerGroup, layerName, datasets));
    }
    if (!layerNames.contains(TOP_LEVEL_WEIGHTS)
        && weightsRoot.getChildren().get(TOP_LEVEL_WEIGHTS) instanceof Group topLevel) {
      out.addLayer(TOP_LEVEL_WEIGHTS, layerTensors(topLevel, TOP_LEVEL_WEIGHTS, datasets));
    }
    return out;
  }

  private static List<NamedTensor> layerTensors(Group layerGroup, String layerName, H5WeightReader datasets) {
    List<String> weightNames = H5Attributes.strings(layerGroup, "weight_names")
        .orElseThrow(() -> new KerasLayoutException(
            "layer group " + layerGroup.getPath() + " has no weight_names attribute"));
    List<NamedTensor> tensors = new ArrayList<>();
    for (String weightName : weightNames) {
      Dataset dataset = datasetAt(layerGroup, weightName)
          .orElseThrow(() -> new KerasLayoutException("weight " + weightName + " of layer " + layerName
              + " is listed in weight_names but there is no dataset " + layerGroup.getPath() + weightName));
      datasets.read(dataset, weightName).ifPresent(tensors::add);
    }
    return tensors;
  }

  /** The dataset at a '/'-separated path below {@code group}, walked one link at a time. */
  private static Optional<Dataset> datasetAt(Group group, String relativePath) {
    return nodeAt(group, relativePath).filter(Dataset.class::isInstance).map(Dataset.class::cast);
  }

  /** The node at a '/'-separated path below {@code group}, walked one link at a time. */
  private static Optional<Node> nodeAt(Group group, String relativePath) {
    Node node = group;
    for (String part : relativePath.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!(node instanceof Group g)) {
        return Optional.empty();
      }
      node = g.getChildren().get(part);
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }
}
