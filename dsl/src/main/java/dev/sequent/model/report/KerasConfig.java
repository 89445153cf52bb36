package dev.sequent.model.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.KerasCall;
import dev.sequent.model.kind.KerasOperation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.Optional;

/**
 * The model as Keras 3 {@code model.to_json()} writes it, which {@code keras.models.model_from_json}
 * rebuilds: a Sequential for Sequential models, a Functional (with {@code inbound_nodes}) for
 * Modules. PyTorch-vocabulary layers are written as their Keras equivalents with
 * {@code data_format="channels_first"}; where no equivalent exists (explicit asymmetric padding,
 * tanh-approximate GELU) {@link #unsupportedReason} says which layer and why. Each layer's own keys
 * are its kind's ({@link LayerKind#writeKeras}); this class writes the model around them.
 */
public final class KerasConfig {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private KerasConfig() {}

  /** Why this model has no Keras config (a layer Keras lacks), or empty when it has one. */
  public static Optional<String> unsupportedReason(InferredModel model) {
    for (InferredModel.Layer l : model.nodes()) {
      if (model.spec().style() != ModelSpec.Style.MODULE && LayerKinds.of(l.spec()).kerasOperation(l.spec()).isPresent()) {
        return Optional.of("layer " + l.name() + " (" + l.spec().typeName() + ") is code in the model, which only a "
            + "Functional model's config holds");
      }
      Optional<String> why = unsupported(l.spec());
      if (why.isPresent()) {
        return Optional.of("layer " + l.name() + " (" + l.spec().typeName() + "): " + why.get());
      }
    }
    return Optional.empty();
  }

  /** The JSON, or {@link UnsupportedOperationException} with {@link #unsupportedReason}. */
  public static String toJson(InferredModel model) {
    unsupportedReason(model).ifPresent(why -> {
      throw new UnsupportedOperationException("no Keras config for " + model.spec().name() + ": " + why);
    });
    boolean functional = model.spec().style() == ModelSpec.Style.MODULE;
    ObjectNode root = JSON.objectNode();
    ObjectNode config = JSON.objectNode();
    config.put("name", model.spec().name());
    config.put("trainable", true);
    if (!functional) {
      config.set("dtype", dtypePolicy());
    }
    ArrayNode layers = config.putArray("layers");
    KerasGraphRefs graph = new KerasGraphRefs(model, "input_layer");
    for (ModelSpec.Input in : functional ? model.spec().inputs() : model.spec().inputs().subList(0, 1)) {
      String inputName = graph.inputLayer(in.name());
      ObjectNode input = layerNode("InputLayer", "keras.layers");
      ObjectNode inputConfig = input.putObject("config");
      inputConfig.set("batch_shape", batchShape(in.shape()));
      inputConfig.put("dtype", "float32");
      inputConfig.put("sparse", false);
      inputConfig.put("ragged", false);
      inputConfig.put("name", inputName);
      inputConfig.put("optional", false);
      input.putNull("registered_name");
      if (functional) {
        input.put("name", inputName);
        input.putArray("inbound_nodes");
      }
      layers.add(input);
    }
    for (InferredModel.Layer l : model.nodes()) {
      if (l.node().sharesWeights()) {
        continue; // one more call of its owner, written among the owner's inbound nodes
      }
      Optional<KerasOperation> operation = LayerKinds.of(l.spec()).kerasOperation(l.spec());
      if (operation.isPresent()) {
        layers.add(operationNode(l, operation.get(), graph));
        continue;
      }
      ObjectNode node = layer(l);
      if (functional) {
        node.put("name", l.name());
        ArrayNode inbound = node.putArray("inbound_nodes");
        for (InferredModel.Layer callNode : graph.calls.get(l.name())) {
          ObjectNode call = inbound.addObject();
          ArrayNode args = call.putArray("args");
          KerasCall form = LayerKinds.of(l.spec()).kerasCall(l.spec());
          ArrayNode target = !form.separate() && callNode.node().inputs().size() > 1 ? args.addArray() : args;
          ObjectNode kwargs = JSON.objectNode();
          int tensors = form.separate() ? form.arguments().size() : callNode.node().inputs().size();
          for (int t = 0; t < tensors; t++) {
            int i = form.separate() ? form.inputs().get(t) : t;
            KerasGraphRefs.Ref ref = graph.ref(callNode.node().inputs().get(i));
            ObjectNode tensor = form.separate() && t >= form.positional()
                ? kwargs.putObject(form.arguments().get(t)) : target.addObject();
            kerasTensor(tensor, callNode.inputShapes().get(i), ref);
          }
          form.options().forEach((k, v) -> kwargs.set(k, MAPPER.valueToTree(v)));
          call.set("kwargs", kwargs);
        }
      }
      layers.add(node);
    }
    if (functional) {
      // Keras 3 writes a single input or output unwrapped, several as a list
      ArrayNode inputs = config.putArray("input_layers");
      for (ModelSpec.Input in : model.spec().inputs()) {
        ArrayNode at = model.spec().inputs().size() > 1 ? inputs.addArray() : inputs;
        at.add(graph.inputLayer(in.name())).add(0).add(0);
      }
      ArrayNode outputs = config.putArray("output_layers");
      for (String out : model.spec().outputs()) {
        KerasGraphRefs.Ref ref = graph.ref(out);
        ArrayNode at = model.spec().outputs().size() > 1 ? outputs.addArray() : outputs;
        at.add(ref.layer()).add(ref.node()).add(0);
      }
      root.put("module", "keras.src.models.functional");
      root.put("class_name", "Functional");
      root.set("config", config);
      root.put("registered_name", "Functional");
      root.putObject("build_config").putNull("input_shape");
    } else {
      config.set("build_input_shape", batchShape(model.inputShape()));
      root.put("module", "keras");
      root.put("class_name", "Sequential");
      root.set("config", config);
      root.putNull("registered_name");
      root.putObject("build_config").set("input_shape", batchShape(model.inputShape()));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"class_name": "__keras_tensor__", "config": {shape, dtype, keras_history}}} into {@code tensor}. */
  private static void kerasTensor(ObjectNode tensor, Shape shape, KerasGraphRefs.Ref ref) {
    tensor.put("class_name", "__keras_tensor__");
    ObjectNode tc = tensor.putObject("config");
    tc.set("shape", batchShape(shape));
    tc.put("dtype", "float32");
    tc.putArray("keras_history").add(ref.layer()).add(ref.node()).add(0);
  }

  /**
   * Code in the model as Keras 3 saves it ({@link KerasOperation}): the operation's class, a config
   * of its name alone, and per call its operands among the positional arguments, numbers as they are.
   */
  private static ObjectNode operationNode(InferredModel.Layer l, KerasOperation operation, KerasGraphRefs graph) {
    ObjectNode node = layerNode(operation.keras3Class(), operation.keras3Module());
    node.putObject("config").put("name", l.name());
    node.put("registered_name", operation.keras3Class());
    node.put("name", l.name());
    ArrayNode inbound = node.putArray("inbound_nodes");
    for (InferredModel.Layer callNode : graph.calls.get(l.name())) {
      ObjectNode call = inbound.addObject();
      ArrayNode args = call.putArray("args");
      for (KerasOperation.Operand operand : operation.operands()) {
        if (operand.number().isPresent()) {
          args.add(operand.number().get());
        } else {
          int i = operand.input().get();
          kerasTensor(args.addObject(), callNode.inputShapes().get(i), graph.ref(callNode.node().inputs().get(i)));
        }
      }
      call.putObject("kwargs");
    }
    return node;
  }

  /** Why one layer has no Keras config (an option of its kind, or an activation Keras' strings lack). */
  static Optional<String> unsupported(LayerSpec spec) {
    Optional<String> why = LayerKinds.of(spec).kerasUnsupported(spec);
    if (why.isPresent()) {
      return why;
    }
    Activation a = spec.activation();
    if (a.kind() == Activation.Kind.GELU && a.approximate()) {
      return Optional.of("Keras' gelu activation string is the exact form, not the tanh approximation");
    }
    if (a.kind() == Activation.Kind.SOFTPLUS && a.alpha() != 1.0) {
      return Optional.of("Keras' softplus has no beta");
    }
    return Optional.empty();
  }

  private static ObjectNode layer(InferredModel.Layer l) {
    LayerSpec spec = l.spec();
    LayerKind<LayerSpec> kind = LayerKinds.of(spec);
    ObjectNode node = layerNode(kind.kerasClass(spec), kind.kerasModule(spec));
    ObjectNode c = node.putObject("config");
    c.put("name", l.name());
    c.put("trainable", true);
    c.set("dtype", dtypePolicy());
    kind.writeKeras(spec, l, KerasDialect.KERAS3, c);
    Optional<String> registered = kind.kerasRegisteredName(spec);
    if (registered.isPresent()) {
      node.put("registered_name", registered.get());
    } else {
      node.putNull("registered_name");
    }
    Optional<ObjectNode> build = kind.kerasBuildConfig(spec, l);
    if (build.isPresent()) {
      node.set("build_config", build.get());
      return node;
    }
    if (!l.params().isEmpty()) {
      node.putObject("build_config").set("input_shape", batchShape(l.inputShapes().get(0)));
    }
    if (spec.arity() > 1) {
      ArrayNode shapes = node.putObject("build_config").putArray("input_shape");
      l.inputShapes().forEach(s -> shapes.add(batchShape(s)));
    }
    return node;
  }

  private static ObjectNode layerNode(String cls, String module) {
    ObjectNode n = JSON.objectNode();
    if (module == null) {
      n.putNull("module");
    } else {
      n.put("module", module);
    }
    n.put("class_name", cls);
    return n;
  }

  private static ObjectNode dtypePolicy() {
    ObjectNode p = JSON.objectNode();
    p.put("module", "keras");
    p.put("class_name", "DTypePolicy");
    p.putObject("config").put("name", "float32");
    p.putNull("registered_name");
    return p;
  }

  private static ArrayNode batchShape(Shape s) {
    return KerasJson.batchShape(s);
  }
}
