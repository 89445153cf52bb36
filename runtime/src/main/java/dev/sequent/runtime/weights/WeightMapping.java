package dev.sequent.runtime.weights;

import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.EpsilonFold;
import dev.sequent.model.kind.FeatureOrder;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one step that turns tensors from any source into a model's parameters: pairs them (by name
 * where the names correspond, otherwise by the order of weighted layers, as Keras'
 * {@code get_weights} does), checks every shape, and converts layouts: dense transposes, conv
 * HWIO/OIHW, the row order of a dense layer after a flatten of a differently laid-out image, and
 * a layer's epsilon where its kind folds it into a parameter ({@link EpsilonFold}: BatchNorm's
 * variance, {@code var + eps_source - eps_model}, so that the model's own eps reproduces the
 * source's normalisation exactly). It knows no layer: everything layer-specific comes from the
 * kinds.
 *
 * <p>Either every tensor fits and a complete new parameter set is returned, or nothing is and
 * {@link WeightMismatchException} lists every problem; the caller's current weights are never
 * touched here.
 */
public final class WeightMapping {
  private WeightMapping() {}

  /** Parameters per layer name, each in the layer's own framework layout, in {@code params()} order. */
  public static Map<String, List<INDArray>> map(InferredModel model, WeightSource source) {
    return map(model, source, WeightProgress.NONE);
  }

  /** As {@link #map(InferredModel, WeightSource)}, telling {@code progress} of each parameter converted. */
  public static Map<String, List<INDArray>> map(InferredModel model, WeightSource source, WeightProgress progress) {
    Framework from = source.framework();
    // The file holds its framework's form of each layer (an LSTM's four PyTorch tensors, or Keras' three).
    List<NamedParam> expected = ParameterNames.of(model, from);
    Set<String> extraBuffers = new HashSet<>();
    for (InferredModel.Layer layer : model.nodes()) {
      extraBuffers.addAll(LayerKinds.of(layer.spec()).torchExtraBuffers(layer.spec()));
    }
    List<WeightSource.Tensor> offered = new ArrayList<>();
    for (WeightSource.Tensor t : source.tensors()) {
      if (from == Framework.TORCH && isExtraBuffer(t.name(), extraBuffers)) {
        continue; // a training counter (BatchNorm's num_batches_tracked), not a parameter
      }
      offered.add(t);
    }
    List<String> problems = new ArrayList<>();
    // Keras' integer variables (Normalization's count) are skipped by the readers: absent is zero.
    Predicate<NamedParam> mayBeAbsent = p -> source.framework() == Framework.KERAS
        && LayerKinds.of(model.layer(p.layer()).spec()).kerasIntegerVariable(model.layer(p.layer()).spec(), p.spec());
    Map<NamedParam, WeightSource.Tensor> pairs = pair(model, expected, offered, source, problems, mayBeAbsent);

    Map<String, Double> sourceEps = sourceEpsilons(model, source);
    Map<String, List<NamedParam>> storedByLayer = byLayer(ParameterNames.of(model));
    Map<String, List<NamedParam>> expectedByLayer = byLayer(expected);
    Map<String, List<INDArray>> result = new LinkedHashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      List<INDArray> values = new ArrayList<>();
      List<WeightSource.Tensor> used = new ArrayList<>();
      boolean complete = true;
      for (NamedParam p : expectedByLayer.getOrDefault(layer.name(), List.of())) {
        WeightSource.Tensor t = pairs.get(p);
        if (t == null && mayBeAbsent.test(p)) {
          values.add(Nd4j.zeros(DataType.FLOAT,
              p.spec().shape(from).dims().stream().mapToLong(Integer::longValue).toArray()));
          continue;
        }
        if (t == null) {
          complete = false;
          continue;
        }
        Shape want = p.spec().shape(from);
        long[] got = t.value().shape();
        long[] wanted = want.dims().stream().mapToLong(Integer::longValue).toArray();
        INDArray value = t.value();
        if (!Arrays.equals(got, wanted)) {
          Shape offeredShape = Shape.of(Arrays.stream(got).mapToInt(Math::toIntExact).toArray());
          if (!LayerKinds.of(layer.spec()).readsReshaped(layer.spec(), layer.inputShapes(), p.spec(), from,
              offeredShape)) {
            problems.add(RuntimeMessage.TENSOR_MIS_SHAPED.format(describe(p, from), want, t.name(),
                Arrays.toString(got).replace(" ", "")));
            complete = false;
            continue;
          }
          // Another layer's form of the same values in the same memory order (a depthwise kernel).
          value = value.dup('c').reshape('c', wanted);
        }
        values.add(value.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        used.add(t);
      }
      if (!complete) {
        continue;
      }
      Optional<String> refused = refusal(layer, from, layer.spec().framework());
      if (refused.isPresent()) {
        problems.add(refused.get());
        continue;
      }
      List<INDArray> converted = convertLayer(layer, from, layer.spec().framework(), values);
      List<NamedParam> stored = storedByLayer.getOrDefault(layer.name(), List.of());
      List<INDArray> adjusted = new ArrayList<>(converted.size());
      for (int i = 0; i < converted.size(); i++) {
        adjusted.add(adjust(model, stored.get(i), converted.get(i), source, sourceEps));
      }
      result.put(layer.name(), List.copyOf(adjusted));
      used.forEach(t -> progress.tensorDone(t.name(), 4 * t.value().length()));
    }
    if (!problems.isEmpty()) {
      throw new WeightMismatchException(source.description(), model.spec().name(), problems);
    }
    Map<String, List<INDArray>> ordered = new LinkedHashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      ordered.put(layer.name(), result.getOrDefault(layer.name(), List.of()));
    }
    return ordered;
  }

  private static Map<String, List<NamedParam>> byLayer(List<NamedParam> params) {
    Map<String, List<NamedParam>> out = new LinkedHashMap<>();
    params.forEach(p -> out.computeIfAbsent(p.layer(), k -> new ArrayList<>()).add(p));
    return out;
  }

  /** Why {@code layer}'s tensors cannot go from {@code from}'s form to {@code to}'s, as a problem line. */
  private static Optional<String> refusal(InferredModel.Layer layer, Framework from, Framework to) {
    if (from == to) {
      return Optional.empty();
    }
    return LayerKinds.of(layer.spec()).conversionRefused(layer.spec(), layer.inputShapes(), to)
        .map(why -> RuntimeMessage.LAYER_NOT_CONVERTIBLE.format(layer.name(), layer.spec().typeName(),
            to == Framework.TORCH ? "PyTorch" : "Keras", why));
  }

  /**
   * A layer's tensors in {@code from}'s form as {@code to}'s form holds them, by the layer's kind
   * ({@link dev.sequent.model.kind.LayerKind#convertParams}; per tensor by its layout for layers that
   * pair 1:1). New c-ordered arrays; the arguments are not modified.
   *
   * @throws IllegalArgumentException when the kind refuses the conversion (its reason in the message)
   */
  public static List<INDArray> convertLayer(InferredModel.Layer layer, Framework from, Framework to,
      List<INDArray> values) {
    if (from == to) {
      return values.stream().map(v -> v.dup('c')).toList();
    }
    Optional<String> refused = refusal(layer, from, to);
    if (refused.isPresent()) {
      throw new IllegalArgumentException(refused.get());
    }
    List<ParamArray> in = new ArrayList<>(values.size());
    for (INDArray v : values) {
      in.add(new ParamArray(Shape.of(Arrays.stream(v.shape()).mapToInt(Math::toIntExact).toArray()),
          FloatArrays.copyOf(v)));
    }
    List<ParamArray> out = LayerKinds.of(layer.spec()).convertParams(layer.spec(), layer.inputShapes(), from, to, in);
    List<INDArray> arrays = new ArrayList<>(out.size());
    for (ParamArray a : out) {
      arrays.add(FloatArrays.of(a.data(), a.shape().dims().stream().mapToLong(Integer::longValue).toArray()));
    }
    return arrays;
  }

  private static boolean isExtraBuffer(String name, Set<String> extraBuffers) {
    String local = name.substring(name.lastIndexOf('.') + 1);
    return extraBuffers.contains(local);
  }

  /** The epsilon fold of {@code p}'s layer when {@code p} is the parameter that absorbs it. */
  private static Optional<EpsilonFold> fold(InferredModel.Layer layer, NamedParam p) {
    return LayerKinds.of(layer.spec()).epsilonFold(layer.spec())
        .filter(f -> f.kerasParam().equals(p.spec().kerasName()));
  }

  private static INDArray addEpsilonDelta(INDArray value, double delta) {
    if (delta == 0) {
      return value;
    }
    return value.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).addi(delta)
        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
  }

  private static String unexpected(WeightSource.Tensor t) {
    return RuntimeMessage.TENSOR_UNEXPECTED.format(t.name(), Arrays.toString(t.value().shape()).replace(" ", ""));
  }

  private static String describe(NamedParam p, Framework f) {
    return "layer " + p.layer() + " " + p.spec().name(f) + " ("
        + (f == Framework.TORCH ? p.torchName() : p.keras2Name()) + ")";
  }

  private static Map<NamedParam, WeightSource.Tensor> pair(InferredModel model, List<NamedParam> expected,
      List<WeightSource.Tensor> offered, WeightSource source, List<String> problems,
      Predicate<NamedParam> mayBeAbsent) {
    Map<String, WeightSource.Tensor> byName = new LinkedHashMap<>();
    offered.forEach(t -> byName.put(t.name(), t));
    if (source.framework() == Framework.TORCH) {
      // A Keras-vocabulary block's layers are named by the structure with '_' where PyTorch's
      // module paths have '.' (encoder_layers_0_norm1 for encoder.layers.0.norm1): a state_dict
      // entry is also found under its path flattened so, where that names one entry only.
      Map<String, Long> flatCount = new HashMap<>();
      offered.forEach(t -> flatCount.merge(flatTorchName(t.name()), 1L, Long::sum));
      offered.forEach(t -> {
        String flat = flatTorchName(t.name());
        if (flatCount.get(flat) == 1 && !byName.containsKey(flat)) {
          byName.put(flat, t);
        }
      });
    }
    Map<NamedParam, WeightSource.Tensor> pairs = new LinkedHashMap<>();

    // 1. Names that correspond exactly: state_dict keys, Keras 2 weight names, Keras 3 paths.
    boolean allByName = !expected.isEmpty()
        && expected.stream().allMatch(p -> nameIn(p, source, byName) != null || mayBeAbsent.test(p));
    if (allByName) {
      for (NamedParam p : expected) {
        if (nameIn(p, source, byName) != null) {
          pairs.put(p, byName.get(nameIn(p, source, byName)));
        }
      }
      Set<String> used = new HashSet<>();
      pairs.values().forEach(t -> used.add(t.name()));
      for (WeightSource.Tensor t : offered) {
        if (!used.contains(t.name())) {
          problems.add(unexpected(t));
        }
      }
      return pairs;
    }

    // 2. Keras weighted layers by layer name, then by order within the layer.
    Map<String, List<NamedParam>> byLayer = new LinkedHashMap<>();
    for (NamedParam p : expected) {
      byLayer.computeIfAbsent(p.layer(), k -> new ArrayList<>()).add(p);
    }
    if (!source.groups().isEmpty()) {
      Map<String, WeightSource.Group> groups = new HashMap<>();
      source.groups().forEach(g -> groups.put(g.layerName(), g));
      boolean groupsByName = byLayer.keySet().stream().allMatch(groups::containsKey)
          && groups.size() == byLayer.size();
      if (!groupsByName && (pairNestedGroups(byLayer, groups, byName, pairs, problems, source, mayBeAbsent)
          || pairByLeafName(byLayer, groups, byName, pairs, problems, source, mayBeAbsent))) {
        return pairs;
      }
      List<List<NamedParam>> modelGroups = new ArrayList<>(byLayer.values());
      List<WeightSource.Group> fileGroups = new ArrayList<>();
      if (groupsByName) {
        byLayer.keySet().forEach(name -> fileGroups.add(groups.get(name)));
      } else {
        fileGroups.addAll(source.groups());
      }
      int n = Math.max(modelGroups.size(), fileGroups.size());
      for (int i = 0; i < n; i++) {
        List<NamedParam> ps = i < modelGroups.size() ? modelGroups.get(i) : List.of();
        List<String> ts = i < fileGroups.size() ? fileGroups.get(i).tensorNames() : List.of();
        pairInOrder(ps, ts.stream().map(byName::get).toList(), pairs, problems, source, mayBeAbsent);
      }
      return pairs;
    }

    // 3. Plain order (state_dicts whose keys differ, get_weights lists).
    pairInOrder(expected, offered, pairs, problems, source, mayBeAbsent);
    return pairs;
  }

  /**
   * Keras 2 files ({@code .h5}) keep a nested model's weights in one group named after the nested
   * model ({@code inner}, weight names {@code inner_a/kernel:0}, the nested model's own nesting not
   * shown), while the model has its layers as nodes {@code inner.inner_a}: each file group takes the
   * parameters of the layers at or below its name, paired by weight name ({@code <layer>/<weight>})
   * when every one is found, else in order. Applies only when every weighted layer has such a group
   * and every group is used.
   */
  private static boolean pairNestedGroups(Map<String, List<NamedParam>> byLayer, Map<String, WeightSource.Group> groups,
      Map<String, WeightSource.Tensor> byName, Map<NamedParam, WeightSource.Tensor> pairs, List<String> problems,
      WeightSource source, Predicate<NamedParam> mayBeAbsent) {
    Map<String, List<NamedParam>> byGroup = new LinkedHashMap<>();
    for (Map.Entry<String, List<NamedParam>> e : byLayer.entrySet()) {
      String group = null;
      for (String at = e.getKey(); at != null; at = at.contains(".") ? at.substring(0, at.lastIndexOf('.')) : null) {
        if (groups.containsKey(at)) {
          group = at;
          break;
        }
      }
      if (group == null) {
        return false;
      }
      byGroup.computeIfAbsent(group, k -> new ArrayList<>()).addAll(e.getValue());
    }
    if (byGroup.size() != groups.size() || byGroup.keySet().stream().allMatch(byLayer::containsKey)) {
      return false; // not every group used, or no nesting at all: the other pairings apply
    }
    for (Map.Entry<String, List<NamedParam>> e : byGroup.entrySet()) {
      List<WeightSource.Tensor> ts = groups.get(e.getKey()).tensorNames().stream().map(byName::get).toList();
      List<WeightSource.Tensor> named = new ArrayList<>();
      for (NamedParam p : e.getValue()) {
        String leaf = p.layer().substring(p.layer().lastIndexOf('.') + 1) + "/" + p.spec().kerasName();
        List<WeightSource.Tensor> found = ts.stream().filter(t -> t.name().equals(leaf + ":0") || t.name().equals(leaf)
            || t.name().endsWith("/" + leaf + ":0") || t.name().endsWith("/" + leaf)).toList();
        named.add(found.size() == 1 ? found.get(0) : null);
      }
      boolean allNamed = named.stream().allMatch(java.util.Objects::nonNull) && named.size() == ts.size()
          && new HashSet<>(named).size() == named.size();
      pairInOrder(e.getValue(), allNamed ? named : ts, pairs, problems, source, mayBeAbsent);
    }
    return true;
  }

  /**
   * Keras 3 files name each layer's group by the layer's own name ({@code vars} attribute
   * {@code name}: {@code tower_hidden}), nested or not, while a nested layer's node is
   * {@code tower.tower_hidden}: each layer takes the group named as the last part of its name,
   * when every one has exactly one such group, no two layers share a last part, and every group is
   * used. Exact where the file's walk order need not be the model's (a {@code .weights.h5} read
   * without its config).
   */
  private static boolean pairByLeafName(Map<String, List<NamedParam>> byLayer, Map<String, WeightSource.Group> groups,
      Map<String, WeightSource.Tensor> byName, Map<NamedParam, WeightSource.Tensor> pairs, List<String> problems,
      WeightSource source, Predicate<NamedParam> mayBeAbsent) {
    Map<String, String> leafOf = new LinkedHashMap<>();
    for (String layer : byLayer.keySet()) {
      String leaf = layer.substring(layer.lastIndexOf('.') + 1);
      if (!groups.containsKey(leaf) || leafOf.containsValue(leaf)) {
        return false;
      }
      leafOf.put(layer, leaf);
    }
    if (leafOf.size() != groups.size() || leafOf.keySet().equals(new HashSet<>(leafOf.values()))) {
      return false; // not every group used, or no nesting at all: the other pairings apply
    }
    for (Map.Entry<String, String> e : leafOf.entrySet()) {
      pairInOrder(byLayer.get(e.getKey()), groups.get(e.getValue()).tensorNames().stream().map(byName::get).toList(),
          pairs, problems, source, mayBeAbsent);
    }
    return true;
  }

  private static void pairInOrder(List<NamedParam> ps, List<WeightSource.Tensor> ts,
      Map<NamedParam, WeightSource.Tensor> pairs, List<String> problems, WeightSource source,
      Predicate<NamedParam> mayBeAbsent) {
    int n = Math.max(ps.size(), ts.size());
    for (int i = 0; i < n; i++) {
      if (i >= ts.size()) {
        NamedParam p = ps.get(i);
        if (mayBeAbsent.test(p)) {
          continue;
        }
        problems.add(RuntimeMessage.TENSOR_MISSING.format(describe(p, source.framework()),
            p.spec().shape(source.framework())));
      } else if (i >= ps.size()) {
        WeightSource.Tensor t = ts.get(i);
        problems.add(unexpected(t));
      } else {
        pairs.put(ps.get(i), ts.get(i));
      }
    }
  }

  private static String nameIn(NamedParam p, WeightSource source, Map<String, WeightSource.Tensor> byName) {
    List<String> candidates = source.framework() == Framework.TORCH
        ? List.of(p.torchName(), flatTorchName(p.torchName()))
        : List.of(p.keras2Name(), p.keras3Name());
    for (String c : candidates) {
      if (byName.containsKey(c) && !ownedByAnotherLayer(p, c, source)) {
        return c;
      }
    }
    return null;
  }

  /** A state_dict key with its module path joined by '_' ({@code encoder_layers_0_norm1_weight}). */
  private static String flatTorchName(String name) {
    return name.replace('.', '_');
  }

  /**
   * Whether the file says tensor {@code name} belongs to another layer than {@code p}'s, while it
   * also has a layer of {@code p}'s name. Keras 3 paths ({@code layers/conv2d_3/vars/0}) number
   * layers by class in the file's order, which is Keras' graph order, not necessarily the model's
   * declaration order (keras.applications' ResNet builds a block's shortcut first but lists it after
   * the second convolution); a whole-model file names each path's layer, and that name decides.
   */
  private static boolean ownedByAnotherLayer(NamedParam p, String name, WeightSource source) {
    boolean hasLayer = false;
    String owner = null;
    for (WeightSource.Group g : source.groups()) {
      hasLayer |= g.layerName().equals(p.layer());
      if (g.tensorNames().contains(name)) {
        owner = g.layerName();
      }
    }
    return hasLayer && owner != null && !owner.equals(p.layer());
  }

  /**
   * One layer's stored parameters ({@code stored}, in {@link ParameterNames#of(InferredModel)} order)
   * as the equivalent {@code target}-framework model needs them, in the order of
   * {@link ParameterNames#of(InferredModel, Framework)}: the layer kind's conversion (layouts, or a
   * whole-layer conversion such as an LSTM's biases), the row order of a dense layer after a
   * flatten (the target's native image layout), and BatchNorm variance with this model's eps folded
   * in for the target's default eps. The inverse of what {@link #map} does for a source of that
   * framework.
   *
   * @throws IllegalArgumentException when the layer's kind refuses the conversion, with its reason
   */
  public static List<INDArray> exportLayer(InferredModel model, String layerName, List<INDArray> stored,
      Framework target) {
    InferredModel.Layer layer = model.layer(layerName);
    List<NamedParam> own = byLayer(ParameterNames.of(model)).getOrDefault(layerName, List.of());
    List<INDArray> prepared = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      NamedParam p = own.get(i);
      INDArray value = stored.get(i);
      Optional<FlattenReorder> reorder = flattenReorder(model, p, target);
      if (reorder.isPresent()) {
        // perm[i] = our feature feeding their feature i
        FlattenReorder r = reorder.get();
        int[] perm = inverse(LayoutConversion.flattenPermutation(r.image(), r.ours(), r.theirs()));
        value = LayoutConversion.permuteDenseInputs(value, p.storedIn(), perm);
      }
      Optional<EpsilonFold> fold = fold(layer, p);
      if (fold.isPresent()) {
        value = addEpsilonDelta(value, fold.get().epsilon() - fold.get().defaultFor(target));
      }
      prepared.add(value);
    }
    return convertLayer(layer, layer.spec().framework(), target, prepared);
  }

  /** What {@link #export} does to a parameter, for reports: "HWIO -> OIHW; rows HWC -> CHW". */
  public static String describeExport(InferredModel model, NamedParam p, Framework target) {
    return describe(model, p, p.storedIn(), target, true);
  }

  /**
   * What {@link #map} does to a tensor of a {@code source}-framework file (with that framework's
   * default BatchNorm eps) on its way into this parameter: "OIHW -> HWIO; input rows CHW -> HWC".
   */
  public static String describeImport(InferredModel model, NamedParam p, Framework source) {
    return describe(model, p, source, p.storedIn(), false);
  }

  /**
   * The steps between the model's stored parameter and a file of the other side's framework, in
   * the direction {@code from -> to}; {@code fromModel} says which end is the model (its own
   * flatten order and eps) and which the file (its framework's flatten order and default eps).
   */
  private static String describe(InferredModel model, NamedParam p, Framework from, Framework to, boolean fromModel) {
    List<String> steps = new ArrayList<>();
    InferredModel.Layer owner = model.layer(p.layer());
    Optional<String> whole = from == to ? Optional.empty()
        : LayerKinds.of(owner.spec()).describeConversion(owner.spec(), from, to);
    if (whole.isPresent()) {
      steps.add(whole.get());
    } else if (from != to) {
      switch (p.spec().layout()) {
        case DENSE_TRANSPOSED -> steps.add(to == Framework.TORCH ? "(in,out) -> (out,in)" : "(out,in) -> (in,out)");
        case CONV_HWIO_OIHW -> steps.add(to == Framework.TORCH ? "HWIO -> OIHW" : "OIHW -> HWIO");
        case DEPTHWISE_HWCM_OIHW -> steps.add(to == Framework.TORCH ? "HWCM -> (C*M)1HW" : "(C*M)1HW -> HWCM");
        case RESHAPED -> steps.add(p.spec().shape(from) + " -> " + p.spec().shape(to));
        case SAME, LAYER -> { }
      }
    }
    Framework file = fromModel ? to : from;
    InferredModel.Layer layer = model.layer(p.layer());
    (fromModel ? flattenReorder(model, p, file) : flattenReorder(model, p, file, importOrders(model, file, List.of())))
        .ifPresent(r -> {
      DataFormat before = fromModel ? r.ours() : r.theirs();
      steps.add(before == DataFormat.CHANNELS_LAST ? "input rows HWC -> CHW" : "input rows CHW -> HWC");
    });
    Optional<EpsilonFold> fold = fold(layer, p);
    if (fold.isPresent()) {
      double eps = fold.get().epsilon();
      double fileEps = fold.get().defaultFor(file);
      if (eps != fileEps) {
        double fromEps = fromModel ? eps : fileEps;
        double toEps = fromModel ? fileEps : eps;
        steps.add("variance + (" + fromEps + " - " + toEps + ") for eps " + toEps);
      }
    }
    return steps.isEmpty() ? "as is" : String.join("; ", steps);
  }

  /**
   * The whole way of a parameter from a {@code source}-framework file, through this model, to a
   * {@code target}-framework file: {@link #describeImport} then {@link #describeExport}. The import
   * is left out for a file in the model's own vocabulary (typically the file the model was built
   * from, whose BatchNorm eps it has).
   */
  public static String describeConversion(InferredModel model, NamedParam p, Framework source, Framework target) {
    String in = source == p.storedIn() ? "as is" : describeImport(model, p, source);
    String out = describeExport(model, p, target);
    if (out.equals("as is")) {
      return in;
    }
    return in.equals("as is") ? out : in + "; then " + out;
  }

  private static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /** Flatten-order and BatchNorm-eps adjustments for a parameter already in the model's layout. */
  private static INDArray adjust(InferredModel model, NamedParam p, INDArray value, WeightSource source,
      Map<String, Double> sourceEps) {
    InferredModel.Layer layer = model.layer(p.layer());
    Optional<FlattenReorder> reorder = flattenReorder(model, p, source.framework(),
        importOrders(model, source.framework(), source.flattenOrders()));
    if (reorder.isPresent()) {
      FlattenReorder r = reorder.get();
      value = LayoutConversion.permuteDenseInputs(value, p.storedIn(),
          LayoutConversion.flattenPermutation(r.image(), r.ours(), r.theirs()));
    }
    Optional<EpsilonFold> fold = fold(layer, p);
    if (fold.isPresent()) {
      double eps = sourceEps.getOrDefault(layer.name(), fold.get().defaultFor(source.framework()));
      value = addEpsilonDelta(value, eps - fold.get().epsilon());
    }
    return value;
  }

  /**
   * A dense kernel fed by a Flatten, where the file's framework flattens the image in another
   * order than the model does: the image and the two orders.
   */
  private record FlattenReorder(Shape image, DataFormat ours, DataFormat theirs) {}

  /** The reordering {@code p} needs between this model and a {@code file}-framework file, if any. */
  private static Optional<FlattenReorder> flattenReorder(InferredModel model, NamedParam p, Framework file) {
    return flattenReorder(model, p, file, List.of());
  }

  /**
   * As {@link #flattenReorder(InferredModel, NamedParam, Framework)}, for a file that states the
   * feature order of each of its image Flattens ({@link WeightSource#flattenOrders}, in model
   * order): a channels-first Keras model's Dense rows follow C,H,W, not Keras' usual H,W,C.
   */
  private static Optional<FlattenReorder> flattenReorder(InferredModel model, NamedParam p, Framework file,
      List<DataFormat> fileOrders) {
    if (p.spec().layout() != ParamSpec.Layout.DENSE_TRANSPOSED) {
      return Optional.empty(); // only a dense kernel's input rows follow a flatten's feature order
    }
    List<InferredModel.Layer> flattens = FeatureOrder.imageFlattens(model);
    return FeatureOrder.flattenFeeding(model, model.layer(p.layer())).flatMap(flatten -> {
      DataFormat ours = flattenFormat(model, flatten);
      int index = flattens.indexOf(flatten);
      DataFormat theirs = fileOrders.size() == flattens.size() && index >= 0 ? fileOrders.get(index)
          : nativeFormat(file);
      return ours == theirs ? Optional.empty()
          : Optional.of(new FlattenReorder(flatten.inputShapes().get(0), ours, theirs));
    });
  }

  /** The image layout a framework's own models use: Keras channels-last, PyTorch channels-first. */
  private static DataFormat nativeFormat(Framework f) {
    return f == Framework.KERAS ? DataFormat.CHANNELS_LAST : DataFormat.CHANNELS_FIRST;
  }

  /**
   * The flatten orders of a file being read: as it states them; else, for a file of the model's own
   * framework (a Keras file for a model in Keras' vocabulary, typically the model's own weights,
   * saved without architecture), the model's own orders, since nothing says its Flattens differ
   * (a channels-first Keras model's Dense rows are C,H,W in its .weights.h5 too); else empty (the
   * file's framework's own image layout, its twin's).
   */
  private static List<DataFormat> importOrders(InferredModel model, Framework file, List<DataFormat> stated) {
    if (!stated.isEmpty() || file != model.spec().framework()) {
      return stated;
    }
    return flattenOrders(model);
  }

  /**
   * The order each image Flatten of {@code model} gives its features in ({@link
   * FeatureOrder#imageFlattens} order): what a file with this architecture states as its
   * {@link WeightSource#flattenOrders}.
   */
  public static List<DataFormat> flattenOrders(InferredModel model) {
    return FeatureOrder.imageFlattens(model).stream().map(f -> flattenFormat(model, f)).toList();
  }

  private static DataFormat flattenFormat(InferredModel model, InferredModel.Layer flatten) {
    DataFormat declared = flatten.spec().dataFormat();
    if (declared != null) {
      return declared;
    }
    for (InferredModel.Layer l : model.nodes()) {
      if (l.spec().dataFormat() != null) {
        return l.spec().dataFormat();
      }
    }
    return nativeFormat(model.spec().framework());
  }

  /** The model's layers with an epsilon fold, paired in order with the source's stated epsilons. */
  private static Map<String, Double> sourceEpsilons(InferredModel model, WeightSource source) {
    Map<String, Double> eps = new HashMap<>();
    int i = 0;
    for (InferredModel.Layer l : model.nodes()) {
      if (LayerKinds.of(l.spec()).epsilonFold(l.spec()).isPresent() && i < source.foldedEpsilons().size()) {
        eps.put(l.name(), source.foldedEpsilons().get(i++));
      }
    }
    return eps;
  }
}
