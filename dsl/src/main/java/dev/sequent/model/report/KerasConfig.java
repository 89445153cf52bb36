package dev.sequent.model.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import java.util.Optional;

/**
 * The model as Keras 3 {@code model.to_json()} writes it, which {@code keras.models.model_from_json}
 * rebuilds: a Sequential for Sequential models, a Functional (with {@code inbound_nodes}) for
 * Modules. PyTorch-vocabulary layers are written as their Keras equivalents with
 * {@code data_format="channels_first"}; where no equivalent exists (explicit asymmetric padding,
 * tanh-approximate GELU) {@link #unsupportedReason} says which layer and why. Custom layers are
 * written with {@code registered_name "sequent>ClassName"}: Keras rebuilds them where a class of
 * that name is registered.
 */
public final class KerasConfig {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private KerasConfig() {}

  /** Why this model has no Keras config (a layer Keras lacks), or empty when it has one. */
  public static Optional<String> unsupportedReason(InferredModel model) {
    for (InferredModel.Layer l : model.nodes()) {
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
    ObjectNode input = layerNode("InputLayer", "keras.layers");
    ObjectNode inputConfig = input.putObject("config");
    inputConfig.set("batch_shape", batchShape(model.inputShape()));
    inputConfig.put("dtype", "float32");
    inputConfig.put("sparse", false);
    inputConfig.put("ragged", false);
    inputConfig.put("name", "input_layer");
    inputConfig.put("optional", false);
    input.putNull("registered_name");
    if (functional) {
      input.put("name", "input_layer");
      input.putArray("inbound_nodes");
    }
    layers.add(input);
    for (InferredModel.Layer l : model.nodes()) {
      ObjectNode node = layer(l);
      if (functional) {
        node.put("name", l.name());
        ArrayNode inbound = node.putArray("inbound_nodes");
        ObjectNode call = inbound.addObject();
        ArrayNode args = call.putArray("args");
        ArrayNode target = l.node().inputs().size() > 1 ? args.addArray() : args;
        for (int i = 0; i < l.node().inputs().size(); i++) {
          String in = l.node().inputs().get(i);
          ObjectNode tensor = target.addObject();
          tensor.put("class_name", "__keras_tensor__");
          ObjectNode tc = tensor.putObject("config");
          tc.set("shape", batchShape(l.inputShapes().get(i)));
          tc.put("dtype", "float32");
          ArrayNode history = tc.putArray("keras_history");
          history.add(in.equals(ModelSpec.INPUT) ? "input_layer" : in).add(0).add(0);
        }
        call.putObject("kwargs");
      }
      layers.add(node);
    }
    if (functional) {
      config.putArray("input_layers").add("input_layer").add(0).add(0);
      config.putArray("output_layers").add(model.spec().output()).add(0).add(0);
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

  private static Optional<String> unsupported(LayerSpec spec) {
    if (spec instanceof Conv2D c && c.padding().mode() == Padding.Mode.EXPLICIT && !symmetricSame(c)) {
      return Optional.of("explicit padding " + c.padding() + " has no Keras Conv2D equivalent");
    }
    if (spec instanceof Pool2D p && p.padding().mode() == Padding.Mode.EXPLICIT) {
      return Optional.of("explicit pooling padding " + p.padding() + " has no Keras equivalent");
    }
    if (spec instanceof Pool2D p && p.ceilMode()) {
      return Optional.of("ceil_mode has no Keras equivalent");
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

  /** PyTorch padding p = d(k-1)/2 at stride 1 is exactly Keras "same". */
  private static boolean symmetricSame(Conv2D c) {
    return c.strideH() == 1 && c.strideW() == 1 && c.kernelH() % 2 == 1 && c.kernelW() % 2 == 1
        && c.padding().height() * 2 == c.dilationH() * (c.kernelH() - 1)
        && c.padding().width() * 2 == c.dilationW() * (c.kernelW() - 1);
  }

  private static ObjectNode layer(InferredModel.Layer l) {
    LayerSpec spec = l.spec();
    String cls = KerasClasses.of(spec);
    ObjectNode node = layerNode(cls, spec instanceof CustomLayer ? null : "keras.layers");
    ObjectNode c = node.putObject("config");
    c.put("name", l.name());
    c.put("trainable", true);
    c.set("dtype", dtypePolicy());
    if (spec instanceof Dense d) {
      c.put("units", d.units());
      c.put("activation", d.activation().kerasName());
      c.put("use_bias", d.useBias());
      c.set("kernel_initializer", initializer("GlorotUniform"));
      c.set("bias_initializer", initializer("Zeros"));
    } else if (spec instanceof Conv2D v) {
      c.put("filters", v.filters());
      c.set("kernel_size", pair(v.kernelH(), v.kernelW()));
      c.set("strides", pair(v.strideH(), v.strideW()));
      c.put("padding", v.padding().mode() == Padding.Mode.VALID ? "valid" : "same");
      c.put("data_format", v.dataFormat().kerasName());
      c.set("dilation_rate", pair(v.dilationH(), v.dilationW()));
      c.put("groups", 1);
      c.put("activation", v.activation().kerasName());
      c.put("use_bias", v.useBias());
      c.set("kernel_initializer", initializer("GlorotUniform"));
      c.set("bias_initializer", initializer("Zeros"));
    } else if (spec instanceof Pool2D p) {
      c.set("pool_size", pair(p.poolH(), p.poolW()));
      c.put("padding", p.padding().mode() == Padding.Mode.SAME ? "same" : "valid");
      c.set("strides", pair(p.strideH(), p.strideW()));
      c.put("data_format", p.dataFormat().kerasName());
    } else if (spec instanceof GlobalPool2D g) {
      c.put("data_format", g.dataFormat().kerasName());
      c.put("keepdims", false);
    } else if (spec instanceof Flatten) {
      // Always "channels_last", which in Keras is a plain reshape in memory order (C,H,W for a
      // channels-first tensor, as PyTorch flattens). Keras' "channels_first" Flatten first moves
      // channels last, ordering features H,W,C: not what a PyTorch Flatten does.
      c.put("data_format", DataFormat.CHANNELS_LAST.kerasName());
    } else if (spec instanceof BatchNorm b) {
      int rank = l.inputShapes().get(0).rank();
      int axis = b.featureAxis() < 0 ? b.featureAxis() : b.featureAxis() + 1;
      c.put("axis", b.framework() == Framework.TORCH && axis == 1 && rank == 1 ? -1 : axis);
      // PyTorch's momentum weighs the new batch; Keras' weighs the running average.
      c.put("momentum", b.framework() == Framework.TORCH ? 1 - b.momentum() : b.momentum());
      c.put("epsilon", b.epsilon());
      c.put("center", b.center());
      c.put("scale", b.scale());
    } else if (spec instanceof Dropout d) {
      c.put("rate", d.rate());
    } else if (spec instanceof ActivationLayer a) {
      activationConfig(cls, a.activation(), c);
    } else if (spec instanceof CustomLayer) {
      node.put("registered_name", "sequent>" + spec.typeName());
    }
    if (!node.has("registered_name")) {
      node.putNull("registered_name");
    }
    if (!l.params().isEmpty()) {
      node.putObject("build_config").set("input_shape", batchShape(l.inputShapes().get(0)));
    }
    if (spec instanceof Add) {
      ArrayNode shapes = node.putObject("build_config").putArray("input_shape");
      l.inputShapes().forEach(s -> shapes.add(batchShape(s)));
    }
    return node;
  }

  private static void activationConfig(String cls, Activation a, ObjectNode c) {
    switch (cls) {
      case "ReLU" -> {
        c.putNull("max_value");
        c.put("negative_slope", 0.0);
        c.put("threshold", 0.0);
      }
      case "Softmax" -> c.put("axis", a.axis());
      case "LeakyReLU" -> c.put("negative_slope", a.alpha());
      case "ELU" -> c.put("alpha", a.alpha());
      default -> c.put("activation", a.kerasName());
    }
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

  /** A Keras initializer reference, as both config forms write it (shared with {@link Keras2Config}). */
  static ObjectNode initializer(String cls) {
    ObjectNode i = JSON.objectNode();
    i.put("module", "keras.initializers");
    i.put("class_name", cls);
    ObjectNode config = i.putObject("config");
    if (cls.equals("GlorotUniform")) {
      config.putNull("seed");
    }
    i.putNull("registered_name");
    return i;
  }

  static ArrayNode pair(int a, int b) {
    return JSON.arrayNode().add(a).add(b);
  }

  /** {@code [null, d1, d2, ...]}: a shape with Keras' unknown batch size. */
  static ArrayNode batchShape(Shape s) {
    ArrayNode a = JSON.arrayNode().addNull();
    s.dims().forEach(a::add);
    return a;
  }

}
