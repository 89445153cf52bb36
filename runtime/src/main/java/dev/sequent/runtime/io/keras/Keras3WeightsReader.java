package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.NamedTensor;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Keras 3 weights layout ({@code .weights.h5}, and {@code model.weights.h5} inside a
 * {@code .keras} archive): every saveable object (model, layer, optimizer) has a group, and its own
 * variables are datasets {@code vars/0}, {@code vars/1}, ... in {@code layer.weights} order
 * (trainable, then non-trainable). Sublayers are groups below it: {@code layers/<class>} for the
 * layers of a Sequential/Functional model, named after the layer's class, not its name
 * ({@code layers/dense}, {@code layers/dense_1}; see {@link Keras3SavePaths}), attribute names for
 * other objects ({@code layers/multi_head_attention/query_dense}, {@code enc} of a subclassed
 * model). Keras 3.15 writes the object's own name in the {@code vars} group's {@code name}
 * attribute; it becomes the layer name in {@code layerOrder}, the group path when absent.
 *
 * <p>Read here: every {@code vars} group outside the top-level {@code optimizer} group; its float
 * datasets are the tensors, named by their path without the leading slash
 * ({@code layers/dense/vars/0}). Layers are visited depth first, a group's own vars before its
 * sublayers; siblings in a model's {@code layers} container follow the model config when one is
 * given (see {@link Keras3SavePaths}), and otherwise, like all other siblings, Keras's walk order as
 * far as the file shows it: {@code layers} first, then by name with numeric suffixes compared as
 * numbers ({@code dense}, {@code dense_1}, ..., {@code dense_10}) and {@code _}-prefixed names last.
 */
final class Keras3WeightsReader {
  private static final Logger log = LoggerFactory.getLogger(Keras3WeightsReader.class);
  private static final String VARS = "vars";
  private static final String LAYERS = "layers";
  private static final String OPTIMIZER = "optimizer";
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,9}");
  private static final Pattern NUMBERED = Pattern.compile("(.*?)(?:_([0-9]{1,9}))?", Pattern.DOTALL);

  private final H5WeightReader datasets;
  private final Map<String, List<String>> containerOrder;
  private final ReadWeights out = new ReadWeights();

  private Keras3WeightsReader(H5WeightReader datasets, Map<String, List<String>> containerOrder) {
    this.datasets = datasets;
    this.containerOrder = containerOrder;
  }

  /** Whether the root looks like this layout: a root {@code vars} (the model's own) or {@code layers}. */
  static boolean looksLikeKeras3(Group root) {
    return root.getChildren().get(VARS) instanceof Group || root.getChildren().get(LAYERS) instanceof Group;
  }

  /**
   * @param config the model config that orders the layers (from a .keras archive), when known
   */
  static ReadWeights read(Group root, H5WeightReader datasets, Optional<KerasModelConfig> config) {
    Keras3WeightsReader reader = new Keras3WeightsReader(datasets,
        config.map(Keras3SavePaths::containerOrder).orElse(Map.of()));
    reader.visit(root, "");
    return reader.out;
  }

  private void visit(Group group, String path) {
    if (group.getChildren().get(VARS) instanceof Group vars) {
      readVars(vars, path);
    }
    for (Group child : childGroups(group, path)) {
      visit(child, path.isEmpty() ? child.getName() : path + "/" + child.getName());
    }
  }

  private void readVars(Group vars, String ownerPath) {
    String varsPath = ownerPath.isEmpty() ? VARS : ownerPath + "/" + VARS;
    List<Dataset> indexed = new ArrayList<>();
    for (Node node : vars.getChildren().values()) {
      if (node instanceof Dataset d && INDEX.matcher(node.getName()).matches()) {
        indexed.add(d);
      } else {
        log.debug("skipping {}/{}: not a numbered variable", varsPath, node.getName());
      }
    }
    indexed.sort(Comparator.comparingLong(d -> Long.parseLong(d.getName())));
    List<NamedTensor> tensors = new ArrayList<>();
    for (Dataset d : indexed) {
      datasets.read(d, varsPath + "/" + d.getName()).ifPresent(tensors::add);
    }
    String layerName = H5Attributes.textIfPresent(vars, "name").orElse(ownerPath.isEmpty() ? VARS : ownerPath);
    out.addLayer(layerName, tensors);
  }

  private List<Group> childGroups(Group group, String path) {
    List<Group> children = new ArrayList<>();
    for (Node node : group.getChildren().values()) {
      if (node instanceof Group g && !node.getName().equals(VARS)
          && !(path.isEmpty() && node.getName().equals(OPTIMIZER))) {
        children.add(g);
      }
    }
    List<String> configOrder = containerOrder.getOrDefault(path, List.of());
    children.sort(Comparator
        .comparingInt((Group g) -> configRank(configOrder, g.getName()))
        .thenComparing(g -> g.getName(), Keras3WeightsReader::walkOrder));
    return children;
  }

  /** Position in the config's order; names the config does not know go after, in walk order. */
  private static int configRank(List<String> configOrder, String name) {
    int i = configOrder.indexOf(name);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /**
   * Keras visits a model's {@code layers} first and other attributes sorted, private ones
   * ({@code _name}) last; within a list, repeats of one class are numbered in order. Compared as
   * (rank, name without numeric suffix, suffix, name), a total order.
   */
  static int walkOrder(String a, String b) {
    int rank = Integer.compare(walkRank(a), walkRank(b));
    if (rank != 0) {
      return rank;
    }
    Matcher ma = NUMBERED.matcher(a);
    Matcher mb = NUMBERED.matcher(b);
    ma.matches();
    mb.matches();
    int base = ma.group(1).compareTo(mb.group(1));
    if (base != 0) {
      return base;
    }
    int number = Long.compare(suffix(ma), suffix(mb));
    return number != 0 ? number : a.compareTo(b);
  }

  private static long suffix(Matcher m) {
    return m.group(2) == null ? -1 : Long.parseLong(m.group(2));
  }

  private static int walkRank(String name) {
    if (name.equals(LAYERS)) {
      return 0;
    }
    return name.startsWith("_") ? 2 : 1;
  }
}
