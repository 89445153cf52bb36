package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile.LayerWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a layout reader collects: tensors in file order and the weighted layers listing them. */
final class ReadWeights {
  final Map<String, NamedTensor> tensors = new LinkedHashMap<>();
  final List<LayerWeights> layerOrder = new ArrayList<>();

  /**
   * Adds one layer's tensors; a layer without float tensors is not a weighted layer.
   *
   * <p>Keras loads {@code .h5} weights by position, so two layers may list the same weight name
   * (two nested models that each name a layer {@code dense} give {@code dense/kernel} twice in a
   * Keras 3 legacy file). The later one is then keyed {@code <layer>/<weight name>}, which keeps
   * every tensor and keeps the common case unchanged.
   */
  void addLayer(String layerName, List<NamedTensor> layerTensors) {
    if (layerTensors.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (NamedTensor t : layerTensors) {
      NamedTensor kept = t;
      if (tensors.containsKey(t.name())) {
        kept = t.renamed(layerName + "/" + t.name());
        if (tensors.containsKey(kept.name())) {
          throw new KerasLayoutException("weight name " + t.name() + " appears twice in layer " + layerName);
        }
      }
      tensors.put(kept.name(), kept);
      names.add(kept.name());
    }
    layerOrder.add(new LayerWeights(layerName, names));
  }
}
