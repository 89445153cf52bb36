package dev.sequent.runtime.io.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HDF5 group paths Keras 3 gives the layers of a Sequential or Functional model in
 * {@code .weights.h5} / {@code model.weights.h5}.
 *
 * <p>Keras 3 ({@code saving_lib._save_container_state}) names a layer's group after its class, not
 * its name: {@code to_snake_case(type(layer).__name__)}, with {@code _1}, {@code _2}, ... added for
 * repeats within one container, under {@code layers/} of the owning model ({@code layers/conv2d},
 * {@code layers/dense_1}, {@code layers/functional/layers/dense}). A Sequential model's leading
 * InputLayer is not in {@code model.layers} and gets no group. HDF5 lists links by name, so the
 * file alone does not say which of {@code dense_1} and {@code conv2d} came first; the config does.
 */
public final class Keras3SavePaths {
  private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern BEFORE_CAPITALISED_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern LOWER_THEN_UPPER = Pattern.compile("([a-z])([A-Z])");

  private Keras3SavePaths() {}

  /** A layer of the config with the group path Keras 3 saves it under. */
  public record LayerPath(String path, KerasLayerConfig layer) {}

  /**
   * Every layer of {@code model} that Keras 3 saves, nested models' layers included right after
   * the nested model, in {@code model.layers} order ({@link KerasGraphOrder}; config order for a
   * file Keras wrote).
   */
  public static List<LayerPath> layerPaths(KerasModelConfig model) {
    List<LayerPath> out = new ArrayList<>();
    collect(model, "", out);
    return out;
  }

  /**
   * For each {@code layers} container (path without leading slash, {@code layers},
   * {@code layers/functional/layers}), its child group names in model order.
   */
  static Map<String, List<String>> containerOrder(KerasModelConfig model) {
    Map<String, List<String>> order = new LinkedHashMap<>();
    for (LayerPath p : layerPaths(model)) {
      int slash = p.path().lastIndexOf('/');
      order.computeIfAbsent(p.path().substring(0, slash), k -> new ArrayList<>()).add(p.path().substring(slash + 1));
    }
    return order;
  }

  /** Keras's {@code keras.src.utils.naming.to_snake_case}. */
  public static String toSnakeCase(String className) {
    String name = NON_WORD.matcher(className).replaceAll("");
    name = BEFORE_CAPITALISED_WORD.matcher(name).replaceAll("$1_$2");
    return LOWER_THEN_UPPER.matcher(name).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static void collect(KerasModelConfig model, String prefix, List<LayerPath> out) {
    String container = prefix + "layers";
    Map<String, Integer> used = new HashMap<>();
    // a Functional model's layers as Keras lists them, whatever the config's order
    List<KerasLayerConfig> layers = KerasGraphOrder.layers(model);
    int first = model.isSequential() && !layers.isEmpty() && layers.get(0).className().equals("InputLayer") ? 1 : 0;
    for (KerasLayerConfig layer : layers.subList(first, layers.size())) {
      String path = container + "/" + uniqueName(toSnakeCase(layer.className()), used);
      out.add(new LayerPath(path, layer));
      layer.nestedModel().ifPresent(nested -> collect(nested, path + "/", out));
    }
  }

  /** {@code saving_lib._get_unique_name}: the first keeps the name, repeats get _1, _2, ... */
  private static String uniqueName(String name, Map<String, Integer> used) {
    Integer count = used.get(name);
    if (count == null) {
      used.put(name, 0);
      return name;
    }
    used.put(name, count + 1);
    return name + "_" + (count + 1);
  }
}
