package dev.sequent.runtime.io.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** String attributes as Keras writes them with h5py. */
final class H5Attributes {
  private H5Attributes() {}

  /** A scalar string attribute ({@code model_config}, {@code keras_version}). */
  static Optional<String> string(Node node, String name) {
    Attribute attribute = node.getAttribute(name);
    if (attribute == null) {
      return Optional.empty();
    }
    Object data = attribute.getData();
    if (data instanceof String s) {
      return Optional.of(s);
    }
    if (data instanceof String[] array && array.length == 1) {
      return Optional.of(array[0]);
    }
    throw new KerasLayoutException("attribute " + name + " of " + node.getPath() + " is not a string");
  }

  /** A string attribute when present and textual; anything else is empty (for optional labels). */
  static Optional<String> textIfPresent(Node node, String name) {
    Attribute attribute = node.getAttribute(name);
    Object data = attribute == null ? null : attribute.getData();
    return data instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /**
   * A list-of-strings attribute ({@code layer_names}, {@code weight_names}), or empty when absent.
   * Keras splits one that would exceed HDF5's 64 KiB object-header limit into {@code name0},
   * {@code name1}, ... ({@code save_attributes_to_hdf5_group}); those are joined back here.
   * An empty list is stored as an empty float64 array, which jhdf returns as null.
   */
  static Optional<List<String>> strings(Node node, String name) {
    if (node.getAttribute(name) != null) {
      return Optional.of(stringsOf(node, name));
    }
    if (node.getAttribute(name + "0") == null) {
      return Optional.empty();
    }
    List<String> joined = new ArrayList<>();
    for (int chunk = 0; node.getAttribute(name + chunk) != null; chunk++) {
      joined.addAll(stringsOf(node, name + chunk));
    }
    return Optional.of(joined);
  }

  private static List<String> stringsOf(Node node, String name) {
    Attribute attribute = node.getAttribute(name);
    Object data = attribute.getData();
    if (data == null || attribute.isEmpty()) {
      return List.of();
    }
    if (data instanceof String s) {
      return List.of(s);
    }
    if (data instanceof String[] array) {
      return List.of(array);
    }
    throw new KerasLayoutException("attribute " + name + " of " + node.getPath()
        + " is not a list of strings but " + attribute.getJavaType().getSimpleName());
  }
}
