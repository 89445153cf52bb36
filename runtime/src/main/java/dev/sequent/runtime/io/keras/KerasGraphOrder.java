package dev.sequent.runtime.io.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which Keras lists the layers of a model rebuilt from a config ({@code model.layers}),
 * which is the order both of Keras' weight pairings that go by position depend on: the legacy
 * {@code .h5} loaders pair the i-th group of {@code layer_names} having weights with the i-th layer
 * of {@code model.layers} having weights ({@code legacy_h5_format.load_weights_from_hdf5_group},
 * tf_keras' {@code hdf5_format}), and Keras 3's archive names a layer's group after its class,
 * numbered in that order ({@code layers/conv2d_7}, {@link Keras3SavePaths}).
 *
 * <p>A Sequential model lists its layers in config order. A Functional model lists them as
 * {@code keras/src/ops/function.py} {@code map_graph} (and tf_keras' {@code _map_graph_network})
 * orders them, whatever the order of the config's {@code layers}: a depth-first walk from the
 * outputs ({@code _build_map}: each output in turn, each call's input tensors in order) numbers the
 * layers as it first meets them and lists the calls (nodes) as it finishes them; going back over
 * that list, a node's depth is the largest of its consumers' depths plus one (0 for an output) and
 * a layer's the largest of its nodes'; layers are then sorted by depth, deepest first, and within a
 * depth by their number. An input no output reads is at depth 0, numbered before all others.
 * A real Keras file's config already lists its layers in this order ({@code get_config} walks
 * {@code model.operations}); a config written from another model's node order need not (a padded
 * convolution's {@code ZeroPadding2D} makes its branch one deeper, so a ResNet block's shortcut
 * convolution comes before the main branch's second batch norm).
 */
public final class KerasGraphOrder {
  private KerasGraphOrder() {}

  /** {@code model}'s layers in {@code model.layers} order; for Functional, only those reached from the outputs or inputs. */
  public static List<KerasLayerConfig> layers(KerasModelConfig model) {
    if (model.isSequential() || model.outputRefs().isEmpty()) {
      return model.layers();
    }
    Map<String, KerasLayerConfig> byName = new LinkedHashMap<>();
    model.layers().forEach(l -> byName.put(l.name(), l));
    Map<String, Integer> index = new LinkedHashMap<>();
    List<KerasLayerConfig.TensorRef> finishedNodes = new ArrayList<>();
    Set<KerasLayerConfig.TensorRef> finished = new HashSet<>();
    Set<KerasLayerConfig.TensorRef> inProgress = new HashSet<>();
    for (KerasLayerConfig.TensorRef out : model.outputRefs()) {
      walk(out, byName, index, finished, inProgress, finishedNodes);
    }
    Map<KerasLayerConfig.TensorRef, Integer> nodeDepth = new HashMap<>();
    Map<String, Integer> layerDepth = new HashMap<>();
    for (int i = finishedNodes.size() - 1; i >= 0; i--) {
      KerasLayerConfig.TensorRef node = finishedNodes.get(i);
      int depth = Math.max(nodeDepth.computeIfAbsent(node, k -> 0), layerDepth.getOrDefault(node.layer(), 0));
      layerDepth.put(node.layer(), depth);
      nodeDepth.put(node, depth);
      for (KerasLayerConfig.TensorRef parent : parents(node, byName)) {
        if (finished.contains(parent)) {
          nodeDepth.merge(parent, depth + 1, Math::max);
        }
      }
    }
    for (KerasLayerConfig.TensorRef in : model.inputRefs()) {
      if (byName.containsKey(in.layer()) && !layerDepth.containsKey(in.layer())) {
        layerDepth.put(in.layer(), 0);
        index.put(in.layer(), -1);
      }
    }
    List<String> names = new ArrayList<>(layerDepth.keySet());
    names.sort(java.util.Comparator.<String>comparingInt(n -> -layerDepth.get(n)).thenComparingInt(index::get));
    return names.stream().map(byName::get).toList();
  }

  /**
   * {@code layers} as a legacy whole-model {@code .h5} must list them for {@code config}: in
   * {@link #layers} order, so that Keras' loaders pair each group with the layer of that name.
   *
   * @throws IllegalArgumentException naming a layer with weights that the config's graph does not reach
   */
  public static List<KerasWeightsWriter.LayerWeights> inLoadOrder(List<KerasWeightsWriter.LayerWeights> layers,
      KerasModelConfig config) {
    Map<String, KerasWeightsWriter.LayerWeights> byName = new LinkedHashMap<>();
    layers.stream().filter(l -> !l.weights().isEmpty()).forEach(l -> byName.put(l.layerName(), l));
    List<KerasWeightsWriter.LayerWeights> ordered = new ArrayList<>();
    for (KerasLayerConfig layer : layers(config)) {
      KerasWeightsWriter.LayerWeights weights = byName.remove(layer.name());
      if (weights != null) {
        ordered.add(weights);
      }
    }
    if (!byName.isEmpty()) {
      throw new IllegalArgumentException("layer '" + byName.keySet().iterator().next() + "' has weights but is not "
          + "a layer of the model config's graph (" + config.className() + " '" + config.name() + "')");
    }
    return ordered;
  }

  /**
   * {@code layers} with each top-level layer's Keras 3 group ({@code layers/<class>_<n>}, the start of
   * its weights' paths) the one Keras 3 gives that layer of {@code config} ({@link Keras3SavePaths}):
   * the paths a model's own declaration order gives may number two layers of one class the other way
   * round. What follows the group ({@code /vars/0}, {@code /cell/vars/1}) is kept.
   */
  public static List<KerasWeightsWriter.LayerWeights> withKeras3Paths(List<KerasWeightsWriter.LayerWeights> layers,
      KerasModelConfig config) {
    Map<String, String> groups = keras3Groups(config);
    List<KerasWeightsWriter.LayerWeights> out = new ArrayList<>();
    for (KerasWeightsWriter.LayerWeights layer : layers) {
      List<KerasWeightsWriter.Weight> weights = new ArrayList<>();
      for (KerasWeightsWriter.Weight w : layer.weights()) {
        weights.add(new KerasWeightsWriter.Weight(w.keras2Name(), regrouped(w.keras3Path(), groups.get(layer.layerName())),
            w.shape(), w.data()));
      }
      out.add(new KerasWeightsWriter.LayerWeights(layer.layerName(), weights));
    }
    return out;
  }

  /** Each top-level layer of {@code config} by name, to the group Keras 3 saves it under ({@code layers/conv2d_7}). */
  public static Map<String, String> keras3Groups(KerasModelConfig config) {
    Map<String, String> groups = new HashMap<>();
    for (Keras3SavePaths.LayerPath p : Keras3SavePaths.layerPaths(config)) {
      if (p.path().indexOf('/') == p.path().lastIndexOf('/')) { // top level: layers/<name>
        groups.put(p.layer().name(), p.path());
      }
    }
    return groups;
  }

  /**
   * A Keras 3 weight path of a top-level layer ({@code layers/conv2d_6/vars/0}) moved to
   * {@code group}, what follows the group kept; as it is when {@code group} is null.
   */
  public static String regrouped(String path, String group) {
    int end = path.indexOf('/', "layers/".length());
    return group != null && path.startsWith("layers/") && end > 0 ? group + path.substring(end) : path;
  }

  /** The node a tensor comes from: the layer's call of that index (node and tensor index 0 kept apart by the key). */
  private static KerasLayerConfig.TensorRef node(KerasLayerConfig.TensorRef tensor) {
    return new KerasLayerConfig.TensorRef(tensor.layer(), tensor.node(), 0);
  }

  /** The nodes whose outputs the node's call reads; none for an input layer's node. */
  private static List<KerasLayerConfig.TensorRef> parents(KerasLayerConfig.TensorRef node,
      Map<String, KerasLayerConfig> byName) {
    KerasLayerConfig layer = byName.get(node.layer());
    if (layer == null || node.node() >= layer.inboundCalls().size()) {
      return List.of();
    }
    return layer.inboundCalls().get(node.node()).stream().map(KerasGraphOrder::node).toList();
  }

  private static void walk(KerasLayerConfig.TensorRef tensor, Map<String, KerasLayerConfig> byName,
      Map<String, Integer> index, Set<KerasLayerConfig.TensorRef> finished, Set<KerasLayerConfig.TensorRef> inProgress,
      List<KerasLayerConfig.TensorRef> finishedNodes) {
    KerasLayerConfig.TensorRef node = node(tensor);
    if (finished.contains(node) || !byName.containsKey(node.layer())) {
      return;
    }
    if (!inProgress.add(node)) {
      throw new IllegalArgumentException("the model config's graph has a cycle through layer '" + node.layer() + "'");
    }
    index.putIfAbsent(node.layer(), index.size());
    for (KerasLayerConfig.TensorRef in : parents(node, byName)) {
      walk(in, byName, index, finished, inProgress, finishedNodes);
    }
    inProgress.remove(node);
    finished.add(node);
    finishedNodes.add(node);
  }
}
