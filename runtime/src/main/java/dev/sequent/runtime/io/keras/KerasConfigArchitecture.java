package dev.sequent.runtime.io.keras;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.FileArchitecture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The architecture of a Keras file: its {@code model_config} JSON (Keras 2 and Keras 3 forms,
 * Sequential and Functional), parsed when the model is asked for. The graph is built here, each
 * layer's config keys by its kind ({@link LayerKind#fromKeras}). Anything Sequent cannot run is
 * refused with the layer's name and class.
 *
 * @param json the {@code model_config} (a {@code .h5}'s root attribute) or {@code config.json} (a
 *     {@code .keras} archive's entry), as the file holds it
 */
public record KerasConfigArchitecture(String json) implements FileArchitecture {
  /**
   * The model the config describes, named as the config names it, with its own input shape
   * ({@code name} and {@code inputShape} are not used).
   *
   * @throws IllegalArgumentException when the JSON is no Keras model config
   */
  @Override
  public ModelSpec modelSpec(String name, Optional<Shape> inputShape) {
    return toModelSpec(KerasModelConfig.parse(json));
  }

  /** Each nested model's call as a container of {@link #modelSpec}'s nodes (class Sequential or Functional). */
  @Override
  public ModuleTree modules() {
    return toModuleTree(KerasModelConfig.parse(json));
  }

  /**
   * The nested models of {@link #toModelSpec}'s graph, outer before inner: one container per call
   * ({@code inner}, {@code inner#1} for its second call), its class as Keras 3 names it (a
   * {@code Model} of tf_keras is a {@code Functional}) and its first output.
   */
  public static ModuleTree toModuleTree(KerasModelConfig config) {
    GraphBuilder graph = new GraphBuilder();
    List<String> inputs = functionalInputs(config).size() > 1 ? functionalInputs(config) : List.of(ModelSpec.INPUT);
    graph.expand(config, "", null, inputs);
    // A single-input Functional model's input is ModelSpec.INPUT in the flat graph; Keras lists
    // its input layer by name. A Sequential model lists none.
    Optional<String> inputLayer = !config.isSequential() && inputs.equals(List.of(ModelSpec.INPUT))
        ? inputLayerNames(config).stream().findFirst() : Optional.empty();
    return new ModuleTree(graph.containers, List.of(), inputLayer);
  }

  private static List<String> functionalInputs(KerasModelConfig config) {
    return config.isSequential() ? List.of() : inputLayerNames(config);
  }

  /**
   * The model a parsed config describes, as one flat graph: a nested Sequential or Functional
   * model's layers become nodes named {@code <nested model>.<layer>} (twice nested:
   * {@code outer.inner.dense}), wired to what the nested model was called on. A layer called
   * more than once (several {@code inbound_nodes}) gives one node per call, the k-th named
   * {@code <layer>#k}, sharing the first one's weights; a nested model called twice likewise gives
   * {@code <model>#1.<layer>} nodes sharing {@code <model>.<layer>}'s. A single-input model's input
   * is {@value ModelSpec#INPUT}; a model with several has the input layers' names.
   */
  public static ModelSpec toModelSpec(KerasModelConfig config) {
    boolean functional = !config.isSequential();
    GraphBuilder graph = new GraphBuilder();
    List<ModelSpec.Input> inputs = new ArrayList<>();
    if (functional && inputLayerNames(config).size() > 1) {
      for (String name : inputLayerNames(config)) {
        KerasLayerConfig in = config.layer(name).orElseThrow(() -> new UnsupportedArchitectureException(
            RuntimeMessage.KERAS_CONFIG_WITHOUT_INPUT_SHAPE.format(config.name())));
        inputs.add(new ModelSpec.Input(name, knownShape(in.inputShape()).orElseThrow(() ->
            new UnsupportedArchitectureException(RuntimeMessage.KERAS_CONFIG_WITHOUT_INPUT_SHAPE.format(config.name())))));
      }
    } else {
      inputs.add(new ModelSpec.Input(ModelSpec.INPUT, firstInputShape(config).orElseThrow(() ->
          new UnsupportedArchitectureException(RuntimeMessage.KERAS_CONFIG_WITHOUT_INPUT_SHAPE.format(config.name())))));
    }
    List<String> outputs = graph.expand(config, "", null, inputs.stream().map(ModelSpec.Input::name).toList());
    return ModelSpec.graph(config.name(), functional ? ModelSpec.Style.MODULE : ModelSpec.Style.SEQUENTIAL,
        Framework.KERAS, inputs, graph.nodes, outputs);
  }

  private static List<String> inputLayerNames(KerasModelConfig config) {
    return config.inputRefs().isEmpty() ? config.inputLayers()
        : config.inputRefs().stream().map(KerasLayerConfig.TensorRef::layer).toList();
  }

  /** The first input shape the config states, looking into a leading nested model too. */
  private static Optional<Shape> firstInputShape(KerasModelConfig config) {
    for (KerasLayerConfig layer : config.layers()) {
      Optional<Shape> shape = knownShape(layer.inputShape());
      if (shape.isPresent()) {
        return shape;
      }
      Optional<KerasModelConfig> nested = layer.nestedModel();
      if (nested.isPresent()) {
        return firstInputShape(nested.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<Shape> knownShape(Optional<List<Integer>> dims) {
    return dims.filter(d -> d.stream().allMatch(x -> x > 0))
        .map(d -> Shape.of(d.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** Collects the nodes of one flat graph while nested models are expanded into it. */
  private static final class GraphBuilder {
    final List<Node> nodes = new ArrayList<>();
    final List<ModuleTree.Container> containers = new ArrayList<>();
    DataFormat imageFormat = DataFormat.CHANNELS_LAST;
    /**
     * The Keras mask beside a tensor, by tensor name: the name of its {@link dev.sequent.model.layers.StepMask}
     * node. Keras attaches masks to tensors ({@code compute_mask}); Sequent follows them through the
     * graph by each layer's {@link LayerKind#kerasMaskUse} and hands them to the layers that read them.
     */
    final Map<String, String> maskOf = new HashMap<>();

    /**
     * Adds the nodes of {@code model} called on {@code inputs} (tensor names, one per model input)
     * and returns the names of its outputs.
     *
     * @param prefix prepended to the layers' names ({@code ""} at the top, {@code "inner."})
     * @param ownerPrefix for a repeated call of a nested model, the prefix of its first call, whose
     *     nodes hold the weights; null otherwise
     */
    List<String> expand(KerasModelConfig model, String prefix, String ownerPrefix, List<String> inputs) {
      return model.isSequential() ? sequential(model, prefix, ownerPrefix, inputs)
          : functional(model, prefix, ownerPrefix, inputs);
    }

    private List<String> sequential(KerasModelConfig model, String prefix, String ownerPrefix, List<String> inputs) {
      String previous = inputs.get(0);
      for (KerasLayerConfig layer : model.layers()) {
        if (layer.className().equals("InputLayer")) {
          continue;
        }
        previous = call(layer, 0, prefix, ownerPrefix, List.of(previous)).get(0);
      }
      return List.of(previous);
    }

    private List<String> functional(KerasModelConfig model, String prefix, String ownerPrefix, List<String> inputs) {
      Map<String, List<String>> produced = new HashMap<>();
      List<String> inputNames = inputLayerNames(model);
      for (int i = 0; i < inputNames.size() && i < inputs.size(); i++) {
        produced.put(key(inputNames.get(i), 0), List.of(inputs.get(i)));
      }
      // Keras lists layers in an order that computes each before its readers; a repeated pass
      // covers a file that does not.
      List<KerasLayerConfig> pending = new ArrayList<>(model.layers().stream()
          .filter(l -> !l.className().equals("InputLayer")).toList());
      Map<String, Integer> callsDone = new HashMap<>();
      boolean progress = true;
      while (!pending.isEmpty() && progress) {
        progress = false;
        for (java.util.Iterator<KerasLayerConfig> it = pending.iterator(); it.hasNext(); ) {
          KerasLayerConfig layer = it.next();
          List<List<KerasLayerConfig.TensorRef>> calls = layer.inboundCalls();
          int k = callsDone.getOrDefault(layer.name(), 0);
          while (k < calls.size()) {
            List<String> args = resolve(calls.get(k), produced);
            if (args == null) {
              break;
            }
            produced.put(key(layer.name(), k), call(layer, k, prefix, ownerPrefix, args));
            k++;
            progress = true;
          }
          callsDone.put(layer.name(), k);
          if (k == calls.size()) {
            it.remove();
          }
        }
      }
      if (!pending.isEmpty()) {
        throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_GRAPH_UNRESOLVED.format(
            model.name(), pending.get(0).name()));
      }
      List<KerasLayerConfig.TensorRef> outputRefs = model.outputRefs().isEmpty()
          ? model.outputLayers().stream().map(n -> new KerasLayerConfig.TensorRef(n, 0, 0)).toList()
          : model.outputRefs();
      List<String> outputs = resolve(outputRefs, produced);
      if (outputs == null) {
        throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_GRAPH_UNRESOLVED.format(
            model.name(), outputRefs));
      }
      return outputs;
    }

    /** The k-th call of {@code layer} on {@code args}: its output tensors' names. */
    private List<String> call(KerasLayerConfig layer, int k, String prefix, String ownerPrefix, List<String> args) {
      String self = prefix + layer.name() + (k == 0 ? "" : "#" + k);
      String owner = (ownerPrefix == null ? prefix : ownerPrefix) + layer.name();
      Optional<KerasModelConfig> nested = layer.nestedModel();
      if (nested.isPresent()) {
        int at = containers.size();
        List<String> outs = expand(nested.get(), self + ".", self.equals(owner) ? null : owner + ".", args);
        containers.add(at, new ModuleTree.Container(self,
            nested.get().isSequential() ? "Sequential" : "Functional", outs.get(0)));
        return outs;
      }
      LayerSpec spec = layer(layer, args.size(), imageFormat, k < layer.callArguments().size()
          ? layer.callArguments().get(k) : KerasLayerConfig.CallArguments.positional(args.size()));
      // An image layer sets the format of the images after it (a Flatten states the one it was given).
      if (spec.dataFormat() != null) {
        imageFormat = spec.dataFormat();
      }
      LayerKind<LayerSpec> kind = LayerKinds.of(spec);
      List<String> callArgs = args;
      String outputMask = null;
      String mask = inputMask(layer, args);
      if (mask != null) {
        switch (kind.kerasMaskUse(spec)) {
          case DROPS -> { }
          case PASSES -> outputMask = mask;
          case READS, READS_AND_PASSES -> {
            outputMask = kind.kerasMaskUse(spec) == MaskUse.READS_AND_PASSES ? mask : null;
            spec = kind.withMaskInput(spec);
            kind = LayerKinds.of(spec);
            callArgs = new ArrayList<>(args);
            callArgs.add(mask);
          }
          case REFUSES -> throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_MASK_REFUSED.format(
              layer.name(), layer.className(), mask.substring(0, mask.lastIndexOf(':'))));
        }
      }
      nodes.add(new Node(self, spec, callArgs, self.equals(owner) ? null : owner));
      List<String> outputs = new ArrayList<>(List.of(self));
      // A call returning several tensors: one node per further output, on the same inputs and with
      // the same weights (owned by the layer's first call); one equal to the first output is it.
      List<? extends LayerSpec> extra = kind.kerasExtraOutputs(spec);
      for (int i = 0; i < extra.size(); i++) {
        if (extra.get(i).equals(spec)) {
          outputs.add(self);
        } else {
          String name = self + ":" + (i + 1);
          nodes.add(new Node(name, extra.get(i), callArgs, owner));
          outputs.add(name);
        }
      }
      Optional<LayerSpec> made = kind.kerasMaskMade(spec);
      if (made.isPresent()) {
        // Computed from the layer's input, as Keras' compute_mask(inputs, previous_mask) is.
        outputMask = self + ":mask";
        nodes.add(new Node(outputMask, made.get(), List.of(args.get(0))));
      }
      if (outputMask != null) {
        maskOf.put(self, outputMask);
      }
      return outputs;
    }

    /**
     * The mask Keras passes to a call: the one beside its only tensor. A call on several tensors of
     * which one is masked is refused (Keras passes a list input's masks as a list, and none to a call
     * with several tensor arguments).
     */
    private String inputMask(KerasLayerConfig layer, List<String> args) {
      if (args.size() == 1) {
        return maskOf.get(args.get(0));
      }
      if (args.stream().anyMatch(maskOf::containsKey)) {
        throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_MASK_SEVERAL_INPUTS.format(layer.name(),
            layer.className(), args));
      }
      return null;
    }

    /** The tensors' names, or null while one of them is not produced yet. */
    private static List<String> resolve(List<KerasLayerConfig.TensorRef> refs, Map<String, List<String>> produced) {
      List<String> names = new ArrayList<>();
      for (KerasLayerConfig.TensorRef ref : refs) {
        List<String> outs = produced.get(key(ref.layer(), ref.node()));
        if (outs == null || ref.tensor() >= outs.size()) {
          return null;
        }
        names.add(outs.get(ref.tensor()));
      }
      return names;
    }

    private static String key(String layer, int node) {
      return layer + "[" + node + "]";
    }
  }

  /** The record of one layer, by the kind that reads its class. */
  static LayerSpec layer(KerasLayerConfig layer, int inputCount, DataFormat imageFormat) {
    return layer(layer, inputCount, imageFormat, KerasLayerConfig.CallArguments.positional(inputCount));
  }

  /** The record of one layer called with {@code call}'s arguments, by the kind that reads its class. */
  static LayerSpec layer(KerasLayerConfig layer, int inputCount, DataFormat imageFormat,
      KerasLayerConfig.CallArguments call) {
    Optional<LayerKind<?>> claimed = LayerKinds.forKerasClass(layer.className());
    if (claimed.isEmpty() && layer.className().startsWith(KerasConfigJson.KERAS_OPERATIONS)) {
      String c = layer.className();
      throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_OPERATION_NOT_SUPPORTED.format(layer.name(),
          c.substring(c.lastIndexOf('.') + 1), c.substring(0, c.lastIndexOf('.'))));
    }
    LayerKind<?> kind = claimed.orElseThrow(() ->
        new UnsupportedArchitectureException(RuntimeMessage.LAYER_TYPE_NOT_SUPPORTED.format(layer.name(),
            layer.className())));
    try {
      return kind.fromKeras(new KerasLayerInput(layer.className(), layer.name(), layer.config(), inputCount,
          imageFormat, call.names(), call.options()));
    } catch (UnsupportedLayerException e) {
      throw new UnsupportedArchitectureException(e.getMessage());
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException(RuntimeMessage.LAYER_DOES_NOT_CHECK.format(layer.name(),
          layer.className(), e.getMessage()));
    }
  }
}
