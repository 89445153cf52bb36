package dev.sequent.runtime.io.keras;

import dev.sequent.runtime.io.WeightProgress;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes Keras HDF5 weight files that real Keras loads with {@code model.load_weights}, in either
 * of Keras' two layouts (chosen by {@link Layout#of}), and legacy whole-model {@code .h5} files
 * that {@code keras.models.load_model} (Keras 3) and {@code tf_keras.models.load_model} load
 * with no model code:
 *
 * <ul>
 *   <li>{@link Layout#KERAS3_WEIGHTS} ({@code .weights.h5}), as Keras 3's {@code save_weights}
 *       ({@code saving_lib.H5IOStore}): {@code layers/<class-based name>/vars/0..n} float32
 *       datasets in {@code layer.weights} order, the layer's name in the {@code vars} group's
 *       {@code name} attribute ({@code layers/conv2d/vars @name="c1"}). Keras 3 finds a layer's
 *       variables by that path, not by the layer name.
 *   <li>{@link Layout#LEGACY_H5} ({@code .h5}, {@code .hdf5}), as tf_keras'
 *       {@code save_weights(save_format="h5")} ({@code hdf5_format.save_weights_to_hdf5_group}):
 *       attributes {@code layer_names}, {@code backend}, {@code keras_version}; a group per
 *       layer with a {@code weight_names} attribute ({@code c1/kernel:0}, ...) and each weight as
 *       the dataset at that path below it ({@code c1/c1/kernel:0}). tf_keras and Keras 3 load this
 *       by order: the i-th listed layer with weights goes to the model's i-th layer with weights.
 *   <li>{@link Layout#LEGACY_H5} with a model config: the whole-model layout of tf_keras'
 *       {@code model.save("x.h5")} ({@code hdf5_format.save_model_to_hdf5}): root attributes
 *       {@code model_config} (the JSON of {@code {"class_name", "config"}}), {@code keras_version}
 *       and {@code backend}, and the weights layout above inside the group {@code model_weights}.
 *       No {@code training_config} and no {@code optimizer_weights}: the model is not compiled, as
 *       Keras' loaders then say. Keras' {@code load_weights} looks inside {@code model_weights}
 *       when the root has no {@code layer_names}, so such a file still loads into a model the user
 *       builds.
 * </ul>
 *
 * <p>Differences from what Keras writes, each harmless to Keras' loaders (checked with the real
 * frameworks by {@code fixtures/check_sequent_keras_writes.py}):
 *
 * <ul>
 *   <li>Layers without weights get no group, and are not listed in {@code layer_names}; there is
 *       no root {@code vars} group (Keras 3) and no {@code top_level_model_weights} group (tf_keras).
 *       Keras writes these empty; its loaders skip layers without weights (tf_keras drops names
 *       whose {@code weight_names} is empty; Keras 3 treats a missing path as no variables). The
 *       reason is a jhdf 0.9.4 bug: after writing the tree, {@code WritableHdfFile.flush()} appends
 *       its "jHDF - version - OS - arch" signature at the file channel's current position, which
 *       is the end of the last dataset's data, not the end of the file; any object header written
 *       after that (an empty group at the end of jhdf's traversal) is overwritten and libhdf5 then
 *       fails with "bad object header version number". With every group holding a dataset, the
 *       last object in the file is dataset data and the signature lands after it. Attributes are
 *       not at risk: they live in their object's header, and jhdf writes headers at their
 *       addresses (the root's, holding {@code model_config}, at byte 64 before its children),
 *       never at the channel position.
 *   <li>Strings are fixed-length UTF-8: jhdf writes no variable-length strings, which is what
 *       h5py stores for Keras' {@code str} and {@code bytes}. h5py returns ours as {@code bytes},
 *       which Keras decodes ({@code load_attributes_from_hdf5_group}, and {@code model_config},
 *       {@code keras_version} and {@code backend} through {@code hasattr(value, "decode")}). A
 *       fixed-length attribute is stored inside its object header message, whose size field is
 *       16 bits, so a {@code model_config} longer than about 58 KB cannot be written
 *       ({@link #whyNoRoomFor}; Keras' variable-length strings live in the global heap and have
 *       no such limit). jhdf also pads each scalar string attribute's message with zeros (the slack of Java's UTF-8 encoder buffer, about a tenth of the text): libhdf5
 *       reads the string by its type's size and ignores the rest, and jhdf warns "buffer still has
 *       N bytes remaining" when it reads such a file.
 *   <li>{@code keras_version} is {@value #KERAS2_VERSION}, the tf_keras version whose layout this
 *       reproduces and that loaded these files; Keras only treats "1" (or no version) specially,
 *       converting Keras 1 weights. {@code backend} is {@code tensorflow}: kernels are in
 *       TensorFlow's layout ({@code theano} would make Keras flip convolution kernels).
 *   <li>jhdf's root attribute {@code _jHDF} (library, OS and architecture) is removed, so that the
 *       object layout does not depend on the platform; jhdf's trailing signature still does.
 * </ul>
 *
 * <p>Output is deterministic for a given platform: no timestamps, groups and attributes in jhdf's
 * hash order, which depends only on the names. Long {@code layer_names} / {@code weight_names}
 * lists are split into {@code layer_names0}, {@code layer_names1}, ... as Keras does beyond
 * HDF5's 64 KiB object-header limit ({@code save_attributes_to_hdf5_group}).
 *
 * <p>The file is replaced atomically: written to a temporary file beside it, then moved over it;
 * on any failure the previous file is left as it was.
 */
public final class KerasWeightsWriter {
  /** The {@code keras_version} written to legacy files. */
  public static final String KERAS2_VERSION = "2.21.0";

  /** Keras' {@code HDF5_OBJECT_HEADER_LIMIT}: larger string-list attributes are split. */
  static final int HDF5_OBJECT_HEADER_LIMIT = 64512;

  /**
   * The most bytes jhdf may put in the message of the {@code model_config} attribute for its value.
   * jhdf stores a string attribute inside an object header message, whose size field is 16 bits
   * (65535 bytes, with the attribute's name, type and dataspace); Keras' {@code
   * HDF5_OBJECT_HEADER_LIMIT} leaves a margin below that. jhdf writes the whole backing array of
   * Java's UTF-8 encoder output ({@code BufferBuilder.writeBuffer} takes {@code array()}), which
   * is about a tenth longer than the text, zero-filled, then the terminating NUL; so the text
   * itself may be about 58 KB ({@link #whyNoRoomFor}).
   */
  public static final int MAX_MODEL_CONFIG_MESSAGE_BYTES = HDF5_OBJECT_HEADER_LIMIT;

  private static final String MODEL_WEIGHTS = "model_weights";

  private static final String VARS = "vars";

  /** The two Keras weight-file layouts. */
  public enum Layout {
    /** Keras 3 {@code save_weights("x.weights.h5")}. */
    KERAS3_WEIGHTS,
    /** Keras 2 / tf_keras {@code save_weights("x.h5")}, also loaded by Keras 3. */
    LEGACY_H5;

    /** The layout Keras itself picks for a file name: {@code .weights.h5}, else {@code .h5}/{@code .hdf5}. */
    public static Optional<Layout> of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".weights.h5")) {
        return Optional.of(KERAS3_WEIGHTS);
      }
      if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
        return Optional.of(LEGACY_H5);
      }
      return Optional.empty();
    }
  }

  /**
   * One weight in Keras' layout with its two Keras names.
   *
   * @param keras2Name the Keras 2 weight name, {@code <layer>/<weight>:0} ({@code c1/kernel:0})
   * @param keras3Path the Keras 3 variable path, {@code <layer group>/vars/<index>}
   *     ({@code layers/conv2d/vars/0})
   * @param shape Keras' shape of the weight
   * @param data the values in C order
   */
  public record Weight(String keras2Name, String keras3Path, long[] shape, float[] data) {}

  /** A layer with weights: its name in the model and its weights in {@code layer.weights} order. */
  public record LayerWeights(String layerName, List<Weight> weights) {
    public LayerWeights {
      weights = List.copyOf(weights);
    }
  }

  private KerasWeightsWriter() {}

  /**
   * As {@link #write(List, Path, Layout, Optional)}, telling {@code progress} of each tensor
   * written.
   */
  public static void write(List<LayerWeights> layers, Path file, Layout layout, Optional<String> modelConfig,
      WeightProgress progress) throws IOException {
    write(layers, file, layout, modelConfig);
    // jhdf writes every dataset when the file is closed, so progress can only be told at the end
    for (LayerWeights layer : layers) {
      for (Weight w : layer.weights()) {
        progress.tensorDone(layout == Layout.KERAS3_WEIGHTS ? w.keras3Path() : w.keras2Name(), 4L * w.data().length);
      }
    }
  }

  /**
   * Why {@code modelConfig} cannot be written into a whole-model file, or empty when it can.
   */
  public static Optional<String> whyNoRoomFor(String modelConfig) {
    // Exactly what jhdf writes: StringData.encodeScalarData = UTF_8.encode(text).array() + NUL.
    int written = StandardCharsets.UTF_8.encode(modelConfig).capacity() + 1;
    if (written > MAX_MODEL_CONFIG_MESSAGE_BYTES) {
      return Optional.of("its Keras model_config is " + modelConfig.getBytes(StandardCharsets.UTF_8).length
          + " bytes, too long for an HDF5 attribute written by jhdf (Sequent's HDF5 writer), which stores it "
          + "inside a 64 KiB object header message (" + written + " bytes needed, at most "
          + MAX_MODEL_CONFIG_MESSAGE_BYTES + ")");
    }
    return Optional.empty();
  }

  /**
   * Writes {@code layers} (layers without weights may be included; they are skipped) to
   * {@code file} in {@code layout}, replacing it atomically; with a {@code modelConfig} (only for
   * {@link Layout#LEGACY_H5}) the file is a whole model: that config as {@code model_config} and
   * the weights in {@code model_weights}.
   *
   * @param modelConfig the JSON of {@code {"class_name": ..., "config": ...}} in the form the
   *     loaders accept (see {@code Keras2Config}), describing a model whose weighted layers are
   *     {@code layers}, in order
   * @throws IOException naming the file, and the layer where one is at fault; the previous file,
   *     if any, is unchanged
   * @throws IllegalArgumentException for a config with {@link Layout#KERAS3_WEIGHTS}, or one that
   *     {@link #whyNoRoomFor} refuses
   */
  public static void write(List<LayerWeights> layers, Path file, Layout layout, Optional<String> modelConfig)
      throws IOException {
    if (modelConfig.isPresent()) {
      if (layout != Layout.LEGACY_H5) {
        throw new IllegalArgumentException("a model config goes only into a legacy .h5 whole-model file, not "
            + layout);
      }
      whyNoRoomFor(modelConfig.get()).ifPresent(why -> {
        throw new IllegalArgumentException("cannot write the model config into " + file + ": " + why);
      });
    }
    List<LayerWeights> weighted = layers.stream().filter(l -> !l.weights().isEmpty()).toList();
    if (weighted.isEmpty()) {
      throw new IOException("cannot write " + file + ": the model has no weights to save");
    }
    for (LayerWeights layer : weighted) {
      check(layer, file, layout);
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("cannot write " + file + ": no such directory " + dir);
    }
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, ".sequent", ".h5.tmp");
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + e, e);
    }
    try {
      try (WritableHdfFile hdf = HdfFile.write(tmp)) {
        hdf.removeAttribute("_jHDF");
        if (layout == Layout.KERAS3_WEIGHTS) {
          writeKeras3(hdf, weighted, file);
        } else if (modelConfig.isPresent()) {
          hdf.putAttribute("model_config", modelConfig.get());
          hdf.putAttribute("keras_version", KERAS2_VERSION);
          hdf.putAttribute("backend", "tensorflow");
          writeLegacy(hdf.putGroup(MODEL_WEIGHTS), weighted, file);
        } else {
          writeLegacy(hdf, weighted, file);
        }
      } catch (RuntimeException e) { // jhdf reports everything as unchecked HdfException
        throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new IOException("cannot write " + file + ": " + e, e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void check(LayerWeights layer, Path file, Layout layout) throws IOException {
    String name = layer.layerName();
    if (layout == Layout.LEGACY_H5 && (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals(".."))) {
      throw new IOException("cannot write " + file + ": layer '" + name + "' cannot be written in the Keras 2 "
          + "layout, which uses the layer name as an HDF5 group name (Keras layer names cannot contain '/'); "
          + "rename the layer or save as .weights.h5");
    }
    for (Weight w : layer.weights()) {
      long n = 1;
      for (long d : w.shape()) {
        if (d <= 0) {
          throw new IOException("cannot write " + file + ": layer '" + name + "' weight " + w.keras2Name()
              + " has the empty shape " + Arrays.toString(w.shape()) + ", which jhdf cannot write");
        }
        n *= d;
      }
      if (n != w.data().length) {
        throw new IllegalArgumentException("layer " + name + " weight " + w.keras2Name() + ": shape "
            + Arrays.toString(w.shape()) + " but " + w.data().length + " values");
      }
      String prefix = name + "/";
      if (layout == Layout.LEGACY_H5 && !(w.keras2Name().startsWith(prefix) && w.keras2Name().length() > prefix.length())) {
        throw new IllegalArgumentException("layer " + name + " weight " + w.keras2Name() + " is not named <layer>/<weight>");
      }
      if (layout == Layout.KERAS3_WEIGHTS && !w.keras3Path().contains("/" + VARS + "/")) {
        throw new IllegalArgumentException("layer " + name + " weight path " + w.keras3Path() + " has no /vars/");
      }
    }
  }

  private static void writeKeras3(WritableHdfFile hdf, List<LayerWeights> layers, Path file) throws IOException {
    Map<String, WritableGroup> groups = new LinkedHashMap<>();
    for (LayerWeights layer : layers) {
      for (Weight w : layer.weights()) {
        int at = w.keras3Path().lastIndexOf("/" + VARS + "/");
        String varsPath = w.keras3Path().substring(0, at + VARS.length() + 1);
        WritableGroup vars = groups.get(varsPath);
        if (vars == null) {
          vars = group(hdf, varsPath);
          vars.putAttribute("name", layer.layerName());
          groups.put(varsPath, vars);
        }
        put(vars, w.keras3Path().substring(at + VARS.length() + 2), w, layer, file);
      }
    }
  }

  /** The Keras 2 weights layout into {@code hdf}: the file's root, or a whole model's {@code model_weights}. */
  private static void writeLegacy(WritableGroup hdf, List<LayerWeights> layers, Path file) throws IOException {
    putStrings(hdf, "layer_names", layers.stream().map(LayerWeights::layerName).toList());
    hdf.putAttribute("backend", "tensorflow");
    hdf.putAttribute("keras_version", KERAS2_VERSION);
    for (LayerWeights layer : layers) {
      if (hdf.getChild(layer.layerName()) != null) {
        throw new IOException("cannot write " + file + ": two layers are named '" + layer.layerName() + "'");
      }
      WritableGroup g = hdf.putGroup(layer.layerName());
      putStrings(g, "weight_names", layer.weights().stream().map(Weight::keras2Name).toList());
      for (Weight w : layer.weights()) {
        String name = w.keras2Name();
        int slash = name.lastIndexOf('/');
        put(group(g, name.substring(0, slash)), name.substring(slash + 1), w, layer, file);
      }
    }
  }

  /** The group at {@code path} (slash-separated) below {@code parent}, created as needed. */
  private static WritableGroup group(WritableGroup parent, String path) {
    WritableGroup at = parent;
    for (String part : path.split("/")) {
      Node child = at.getChild(part);
      at = child instanceof WritableGroup g ? g : at.putGroup(part);
    }
    return at;
  }

  private static void put(WritableGroup group, String name, Weight w, LayerWeights layer, Path file)
      throws IOException {
    if (group.getChild(name) != null) {
      throw new IOException("cannot write " + file + ": layer '" + layer.layerName() + "' weight " + name
          + " is written twice (" + w.keras2Name() + ", " + w.keras3Path() + ")");
    }
    try {
      group.putDataset(name, nested(w.shape(), w.data()));
    } catch (RuntimeException e) {
      throw new IOException("cannot write " + file + ": layer '" + layer.layerName() + "' weight "
          + w.keras2Name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A string-list attribute as Keras' {@code save_attributes_to_hdf5_group} stores it: whole when
   * it fits HDF5's object-header limit, otherwise split into the fewest equal chunks
   * ({@code numpy.array_split}) that fit, as {@code name0}, {@code name1}, ...
   */
  static void putStrings(io.jhdf.api.WritableNode node, String name, List<String> values) {
    if (values.isEmpty()) {
      return; // jhdf cannot write empty attributes; Keras reads a missing list as empty
    }
    int itemBytes = values.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).max().getAsInt() + 1;
    int chunks = 1;
    while (chunkLength(values.size(), chunks) * (long) itemBytes > HDF5_OBJECT_HEADER_LIMIT) {
      chunks++;
      if (chunks > values.size()) {
        throw new IllegalArgumentException("attribute " + name + ": one name is longer than HDF5's "
            + HDF5_OBJECT_HEADER_LIMIT + "-byte object header limit");
      }
    }
    if (chunks == 1) {
      node.putAttribute(name, values.toArray(String[]::new));
      return;
    }
    int from = 0;
    for (int c = 0; c < chunks; c++) {
      int size = values.size() / chunks + (c < values.size() % chunks ? 1 : 0);
      node.putAttribute(name + c, values.subList(from, from + size).toArray(String[]::new));
      from += size;
    }
  }

  /** The largest piece of {@code numpy.array_split(n items, chunks)}. */
  private static int chunkLength(int n, int chunks) {
    return n / chunks + (n % chunks == 0 ? 0 : 1);
  }

  /** C-order values as the nested Java array jhdf infers a dataset's shape from. */
  static Object nested(long[] shape, float[] data) {
    if (shape.length == 0) {
      return data[0];
    }
    int[] dims = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    Object array = Array.newInstance(float.class, dims);
    fill(array, dims, 0, data, 0);
    return array;
  }

  private static int fill(Object array, int[] dims, int axis, float[] data, int offset) {
    if (axis == dims.length - 1) {
      System.arraycopy(data, offset, array, 0, dims[axis]);
      return offset + dims[axis];
    }
    for (int i = 0; i < dims[axis]; i++) {
      offset = fill(Array.get(array, i), dims, axis + 1, data, offset);
    }
    return offset;
  }
}
