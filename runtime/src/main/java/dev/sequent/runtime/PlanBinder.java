package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.OpRegistry;
import dev.sequent.runtime.exec.PlanFusion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes the {@link ExecutionPlan}s of one network: checks that a parameter set has every layer's
 * tensors in the layer's shapes and binds each layer to its tensors. One binder lives as long as
 * its network, so a custom layer's class ({@link CustomForward}) is instantiated once, on the
 * first plan that needs it, and later weight loads reuse the instance.
 */
final class PlanBinder {
  private final InferredModel model;
  private final Map<String, CustomForward> customs = new HashMap<>();
  private final boolean fuse;

  PlanBinder(InferredModel model) {
    this(model, true);
  }

  /** @param fuse whether plans fold BatchNorm and activations into the layers before them ({@link PlanFusion}) */
  PlanBinder(InferredModel model, boolean fuse) {
    this.model = model;
    this.fuse = fuse;
  }

  InferredModel model() {
    return model;
  }

  /**
   * A plan for {@code params} (each layer's tensors by layer name, in the layer's own framework
   * layout).
   *
   * @throws IllegalStateException when a layer's tensors are missing, too few or too many, or
   *     mis-shaped, or a custom layer's class cannot be instantiated
   */
  ExecutionPlan bind(Map<String, List<INDArray>> params) {
    List<BoundLayer> ops = new ArrayList<>(model.nodes().size());
    OpContext context = new OpContext(this::customForward);
    checkParams(params);
    List<InferredModel.Layer> nodes = model.nodes();
    PlanFusion fusion = fuse ? PlanFusion.of(model, i -> tensorsOf(nodes.get(i), params)) : PlanFusion.none(model);
    for (int i = 0; i < nodes.size(); i++) {
      InferredModel.Layer layer = nodes.get(i);
      ops.add(fusion.folded().get(i) ? PlanFusion.PASS_THROUGH
          : OpRegistry.bind(layer, tensorsOf(layer, params),
              context.withEpilogue(fusion.epilogues().get(i)).withSource(fusion.sources().get(i))));
    }
    int javaMaxBatch = ops.stream().mapToInt(BoundLayer::javaMaxBatch).min().orElse(0);
    return new ExecutionPlan(model, params, ops, javaMaxBatch, freeAfter(model));
  }

  /**
   * Per layer, the values (model inputs and layer outputs, by name) whose last reader it is, or
   * which it made and nothing reads: what the ND4J pass may free once the layer has run. Model
   * outputs never; values of layers whose op does not return arrays it owns
   * ({@link OpRegistry#returnsOwnedArrays}) never.
   */
  static List<List<String>> freeAfter(InferredModel model) {
    List<InferredModel.Layer> nodes = model.nodes();
    Map<String, Integer> last = new java.util.LinkedHashMap<>();
    for (String input : model.spec().inputNames()) {
      last.put(input, -1);
    }
    java.util.Set<String> owned = new java.util.HashSet<>(model.spec().inputNames());
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : nodes.get(i).node().inputs()) {
        last.put(in, i);
      }
      last.putIfAbsent(nodes.get(i).name(), i);
      if (OpRegistry.returnsOwnedArrays(nodes.get(i).spec())) {
        owned.add(nodes.get(i).name());
      }
    }
    List<List<String>> free = new ArrayList<>();
    nodes.forEach(n -> free.add(new ArrayList<>()));
    java.util.Set<String> outputs = java.util.Set.copyOf(model.spec().outputs());
    last.forEach((name, at) -> {
      if (at >= 0 && owned.contains(name) && !outputs.contains(name)) {
        free.get(at).add(name);
      }
    });
    return free.stream().map(List::copyOf).toList();
  }

  /** A layer's tensors; a second call of a layer runs with its owner's, checked as the owner's. */
  private static List<INDArray> tensorsOf(InferredModel.Layer layer, Map<String, List<INDArray>> params) {
    return params.get(layer.node().sharesWeights() ? layer.node().sharesWeightsOf() : layer.name());
  }

  /** Every layer's tensors present, as many as it has, each in the layer's shape. */
  private void checkParams(Map<String, List<INDArray>> params) {
    for (InferredModel.Layer layer : model.nodes()) {
      List<INDArray> values = params.get(layer.name());
      if (values == null || values.size() != layer.params().size()) {
        throw new IllegalStateException(RuntimeMessage.PARAMETER_COUNT.format(layer.name(),
            values == null ? 0 : values.size(), layer.params().size()));
      }
      for (int i = 0; i < values.size(); i++) {
        ParamSpec spec = layer.params().get(i);
        Shape want = spec.shape(layer.spec().framework());
        if (!Arrays.equals(values.get(i).shape(), want.dims().stream().mapToLong(Integer::longValue).toArray())) {
          throw new IllegalStateException(RuntimeMessage.PARAMETER_SHAPE.format(layer.name(),
              spec.name(layer.spec().framework()), want, Arrays.toString(values.get(i).shape())));
        }
      }
    }
  }

  /**
   * The implementation of {@code layer}'s class, by its no-argument constructor, through the
   * thread's context class loader (user classes may live outside Sequent's own loader).
   */
  private synchronized CustomForward customForward(CustomLayer layer) {
    return customs.computeIfAbsent(layer.implClass(), name -> {
      try {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type = Class.forName(name, true, loader != null ? loader : PlanBinder.class.getClassLoader());
        if (!CustomForward.class.isAssignableFrom(type)) {
          throw new IllegalStateException(RuntimeMessage.CUSTOM_LAYER_NOT_A_CUSTOM_FORWARD.format(name,
              CustomForward.class.getName()));
        }
        return (CustomForward) type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(RuntimeMessage.CUSTOM_LAYER_NOT_INSTANTIABLE.format(name, e), e);
      }
    });
  }
}
