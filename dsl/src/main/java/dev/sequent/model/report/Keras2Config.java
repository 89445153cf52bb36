package dev.sequent.model.report;

import static dev.sequent.model.report.KerasConfig.batchShape;
import static dev.sequent.model.report.KerasConfig.initializer;
import static dev.sequent.model.report.KerasConfig.pair;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import java.util.HashSet;
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
    ObjectNode inputLayer = layers.addObject();
    inputLayer.put("class_name", "InputLayer");
    ObjectNode ic = inputLayer.putObject("config");
    ic.set("batch_input_shape", batchShape(model.inputShape()));
    ic.put("dtype", "float32");
    ic.put("sparse", false);
    ic.put("ragged", false);
    ic.put("name", input);
    ic.put("optional", false);
    if (functional) {
      inputLayer.put("name", input);
      inputLayer.putArray("inbound_nodes");
    }
    for (InferredModel.Layer l : model.nodes()) {
      ObjectNode node = layers.addObject();
      node.put("class_name", KerasClasses.of(l.spec()));
      layerConfig(l, node.putObject("config"));
      if (functional) {
        node.put("name", l.name());
        ArrayNode call = node.putArray("inbound_nodes").addArray();
        for (String in : l.node().inputs()) {
          call.addArray().add(in.equals(ModelSpec.INPUT) ? input : in).add(0).add(0).addObject();
        }
      }
    }
    if (functional) {
      config.putArray("input_layers").addArray().add(input).add(0).add(0);
      config.putArray("output_layers").addArray().add(model.spec().output()).add(0).add(0);
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
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
    LayerSpec spec = l.spec();
    c.put("name", l.name());
    c.put("trainable", true);
    c.put("dtype", "float32");
    if (spec instanceof Dense d) {
      c.put("units", d.units());
      c.put("activation", activation(d.activation()));
      c.put("use_bias", d.useBias());
      kernelInitializersAndNulls(c);
    } else if (spec instanceof Conv2D v) {
      c.put("filters", v.filters());
      c.set("kernel_size", pair(v.kernelH(), v.kernelW()));
      c.set("strides", pair(v.strideH(), v.strideW()));
      c.put("padding", kerasPadding(v.padding(), l));
      c.put("data_format", v.dataFormat().kerasName());
      c.set("dilation_rate", pair(v.dilationH(), v.dilationW()));
      c.put("groups", 1);
      c.put("activation", activation(v.activation()));
      c.put("use_bias", v.useBias());
      kernelInitializersAndNulls(c);
    } else if (spec instanceof Pool2D p) {
      c.set("pool_size", pair(p.poolH(), p.poolW()));
      c.put("padding", kerasPadding(p.padding(), l));
      c.set("strides", pair(p.strideH(), p.strideW()));
      c.put("data_format", p.dataFormat().kerasName());
    } else if (spec instanceof GlobalPool2D g) {
      c.put("data_format", g.dataFormat().kerasName());
      c.put("keepdims", false);
    } else if (spec instanceof Flatten) {
      // A plain reshape in memory order, as KerasConfig explains.
      c.put("data_format", DataFormat.CHANNELS_LAST.kerasName());
    } else if (spec instanceof BatchNorm b) {
      int rank = l.inputShapes().get(0).rank();
      int axis = b.featureAxis() < 0 ? rank + b.featureAxis() : b.featureAxis();
      c.putArray("axis").add(axis + 1); // Keras counts the batch axis
      c.put("momentum", b.momentum());
      c.put("epsilon", b.epsilon());
      c.put("center", b.center());
      c.put("scale", b.scale());
      c.set("beta_initializer", initializer("Zeros"));
      c.set("gamma_initializer", initializer("Ones"));
      c.set("moving_mean_initializer", initializer("Zeros"));
      c.set("moving_variance_initializer", initializer("Ones"));
      c.putNull("beta_regularizer");
      c.putNull("gamma_regularizer");
      c.putNull("beta_constraint");
      c.putNull("gamma_constraint");
    } else if (spec instanceof Dropout d) {
      c.put("rate", d.rate());
      c.putNull("noise_shape");
      c.putNull("seed");
    } else if (spec instanceof ActivationLayer a) {
      switch (KerasClasses.of(spec)) {
        case "ReLU" -> {
          c.putNull("max_value");
          c.put("negative_slope", 0.0);
          c.put("threshold", 0.0);
        }
        case "Softmax" -> c.put("axis", a.activation().axis());
        case "LeakyReLU" -> c.put("alpha", a.activation().alpha());
        case "ELU" -> c.put("alpha", a.activation().alpha());
        default -> c.put("activation", activation(a.activation()));
      }
    } else if (!(spec instanceof Add)) {
      throw new IllegalArgumentException("layer " + l.name() + " (" + spec.typeName() + ") has no Keras 2 config");
    }
  }

  private static String kerasPadding(Padding padding, InferredModel.Layer l) {
    String name = padding.kerasName();
    if (name == null) {
      throw new IllegalArgumentException("layer " + l.name() + ": explicit padding " + padding + " has no Keras form");
    }
    return name;
  }

  /** tf_keras serialises silu under its older name. */
  private static String activation(Activation a) {
    return a.kind() == Activation.Kind.SILU ? "swish" : a.kerasName();
  }

  private static void kernelInitializersAndNulls(ObjectNode c) {
    c.set("kernel_initializer", initializer("GlorotUniform"));
    c.set("bias_initializer", initializer("Zeros"));
    c.putNull("kernel_regularizer");
    c.putNull("bias_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("kernel_constraint");
    c.putNull("bias_constraint");
  }
}
