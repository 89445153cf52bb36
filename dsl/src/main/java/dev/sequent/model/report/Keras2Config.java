package dev.sequent.model.report;

import static dev.sequent.model.kind.KerasJson.batchShape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.kind.KerasCall;
import dev.sequent.model.kind.KerasOperation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code model_config} of a legacy whole-model {@code .h5} as tf_keras writes it
 * ({@code hdf5_format.save_model_to_hdf5}: {@code {"class_name", "config"}} with Keras 2 layer
 * configs): {@code batch_input_shape}, {@code dtype} as a string, {@code inbound_nodes} as
 * {@code [[["layer", 0, 0, {}]]]}, BatchNormalization {@code axis} as a list, silu as
 * {@code "swish"}.
 *
 * <p>Why the Keras 2 form and not Keras 3's ({@link KerasConfig}): tf_keras'
 * {@code load_model} refuses Keras 3's configs (its InputLayer has no {@code batch_shape}
 * argument: "Unrecognized keyword arguments: ['batch_shape']"), while Keras 3's {@code load_model}
 * reads legacy {@code .h5} files in exactly this form (its {@code legacy_h5_format}, for the files
 * tf_keras wrote); both were checked with the real frameworks on the reference models.
 *
 * <p>For models in the Keras vocabulary only, such as a {@link KerasTwin}.
 */
public final class Keras2Config {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Keras2Config() {}

  /**
   * The JSON text.
   *
   * @throws IllegalArgumentException when a layer is not in the Keras vocabulary
   */
  public static String toJson(InferredModel model) {
    for (InferredModel.Layer l : model.nodes()) {
      if (l.spec().framework() != Framework.KERAS) {
        throw new IllegalArgumentException("layer " + l.name() + " (" + l.spec().typeName() + ") is not a Keras "
            + "layer; write the model's KerasTwin");
      }
    }
    boolean functional = model.spec().style() == ModelSpec.Style.MODULE;
    String input = inputName(model);
    ObjectNode root = JSON.objectNode();
    root.put("class_name", functional ? "Functional" : "Sequential");
    ObjectNode config = root.putObject("config");
    config.put("name", model.spec().name());
    if (functional) {
      config.put("trainable", true);
    }
    ArrayNode layers = config.putArray("layers");
    KerasGraphRefs graph = new KerasGraphRefs(model, input);
    for (ModelSpec.Input in : functional ? model.spec().inputs() : model.spec().inputs().subList(0, 1)) {
      String inputName = graph.inputLayer(in.name());
      ObjectNode inputLayer = layers.addObject();
      inputLayer.put("class_name", "InputLayer");
      ObjectNode ic = inputLayer.putObject("config");
      ic.set("batch_input_shape", batchShape(in.shape()));
      ic.put("dtype", "float32");
      ic.put("sparse", false);
      ic.put("ragged", false);
      ic.put("name", inputName);
      ic.put("optional", false);
      if (functional) {
        inputLayer.put("name", inputName);
        inputLayer.putArray("inbound_nodes");
      }
    }
    for (InferredModel.Layer l : model.nodes()) {
      if (l.node().sharesWeights()) {
        continue; // one more call of its owner, written among the owner's inbound nodes
      }
      ObjectNode node = layers.addObject();
      LayerKind<LayerSpec> kind = LayerKinds.of(l.spec());
      Optional<KerasOperation> operation = kind.kerasOperation(l.spec());
      if (operation.isPresent()) {
        operationNode(node, l, operation.get(), graph);
        continue;
      }
      if (kind.legacyH5NamesModule(l.spec())) {
        node.put("module", kind.kerasModule(l.spec()));
      }
      node.put("class_name", kind.kerasClass(l.spec()));
      layerConfig(l, node.putObject("config"));
      if (kind.legacyH5NamesModule(l.spec())) {
        node.putNull("registered_name");
      }
      if (functional) {
        node.put("name", l.name());
        ArrayNode inbound = node.putArray("inbound_nodes");
        for (InferredModel.Layer callNode : graph.calls.get(l.name())) {
          ArrayNode call = inbound.addArray();
          KerasCall form = kind.kerasCall(l.spec());
          if (form.separate()) {
            // tf_keras records the first tensor as the node entry, every other argument in its kwargs.
            List<String> in = callNode.node().inputs();
            KerasGraphRefs.Ref first = graph.ref(in.get(form.inputs().get(0)));
            ObjectNode kwargs = call.addArray().add(first.layer()).add(first.node()).add(0).addObject();
            for (int t = 1; t < form.arguments().size(); t++) {
              KerasGraphRefs.Ref ref = graph.ref(in.get(form.inputs().get(t)));
              kwargs.putArray(form.arguments().get(t)).add(ref.layer()).add(ref.node()).add(0);
            }
            form.options().forEach((k, v) -> kwargs.set(k, MAPPER.valueToTree(v)));
            continue;
          }
          for (String in : callNode.node().inputs()) {
            KerasGraphRefs.Ref ref = graph.ref(in);
            call.addArray().add(ref.layer()).add(ref.node()).add(0).addObject();
          }
        }
      }
    }
    if (functional) {
      ArrayNode inputs = config.putArray("input_layers");
      model.spec().inputs().forEach(in -> inputs.addArray().add(graph.inputLayer(in.name())).add(0).add(0));
      ArrayNode outputs = config.putArray("output_layers");
      model.spec().outputs().forEach(out -> {
        KerasGraphRefs.Ref ref = graph.ref(out);
        outputs.addArray().add(ref.layer()).add(ref.node()).add(0);
      });
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Code in the model as tf_keras saves it ({@link KerasOperation}): a {@code TFOpLambda} of the
   * TensorFlow function, each call's first operand as the node entry (a number as
   * {@code ["_CONSTANT_VALUE", -1, number, ...]}) and the second as its keyword {@code y}, a tensor as
   * {@code [layer, node, 0]}, with {@code "name": null} as tf_keras records the function's name argument.
   */
  private static void operationNode(ObjectNode node, InferredModel.Layer l, KerasOperation operation,
      KerasGraphRefs graph) {
    node.put("class_name", KerasOperation.TF_OP_LAMBDA);
    ObjectNode c = node.putObject("config");
    c.put("name", l.name());
    c.put("trainable", true);
    c.put("dtype", "float32");
    c.put("function", operation.tfFunction());
    node.put("name", l.name());
    ArrayNode inbound = node.putArray("inbound_nodes");
    for (InferredModel.Layer callNode : graph.calls.get(l.name())) {
      if (operation.operands().size() != 2) {
        throw new IllegalStateException(l.name() + ": a TFOpLambda of " + operation.operands().size() + " operands");
      }
      KerasOperation.Operand first = operation.operands().get(0);
      KerasOperation.Operand second = operation.operands().get(1);
      ArrayNode entry = inbound.addArray();
      if (first.number().isPresent()) {
        entry.add(KerasOperation.TF_CONSTANT_VALUE).add(-1).add(first.number().get());
      } else {
        KerasGraphRefs.Ref ref = graph.ref(callNode.node().inputs().get(first.input().get()));
        entry.add(ref.layer()).add(ref.node()).add(0);
      }
      ObjectNode kwargs = entry.addObject();
      if (second.number().isPresent()) {
        kwargs.put(KerasOperation.TF_SECOND_ARGUMENT, second.number().get());
      } else {
        KerasGraphRefs.Ref ref = graph.ref(callNode.node().inputs().get(second.input().get()));
        kwargs.putArray(KerasOperation.TF_SECOND_ARGUMENT).add(ref.layer()).add(ref.node()).add(0);
      }
      kwargs.putNull("name");
    }
  }

  /** tf_keras' name for the first input, {@code input_1}, unless a layer already has it. */
  private static String inputName(InferredModel model) {
    Set<String> names = new HashSet<>();
    model.nodes().forEach(l -> names.add(l.name()));
    int i = 1;
    while (names.contains("input_" + i)) {
      i++;
    }
    return "input_" + i;
  }

  private static void layerConfig(InferredModel.Layer l, ObjectNode c) {
    c.put("name", l.name());
    c.put("trainable", true);
    c.put("dtype", "float32");
    LayerKinds.of(l.spec()).writeKeras(l.spec(), l, KerasDialect.TF_KERAS, c);
  }
}
