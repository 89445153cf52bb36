package dev.sequent.model.kind;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import java.util.List;
import java.util.Map;

/** The pieces of Keras config JSON that several kinds write or read, in both dialects. */
public final class KerasJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private KerasJson() {}

  /** A Keras initializer reference, as both dialects write it. */
  public static ObjectNode initializer(String cls) {
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

  public static ArrayNode pair(int a, int b) {
    return JSON.arrayNode().add(a).add(b);
  }

  /** {@code [null, d1, d2, ...]}: a shape with Keras' unknown batch size. */
  public static ArrayNode batchShape(Shape s) {
    ArrayNode a = JSON.arrayNode().addNull();
    s.dims().forEach(a::add);
    return a;
  }

  /** The activation string as {@code dialect} writes it: tf_keras serialises silu under its older name, swish. */
  public static String activation(Activation a, KerasDialect dialect) {
    if (!a.hasKerasString(dialect == KerasDialect.TF_KERAS)) {
      throw new IllegalArgumentException("activation " + a.kerasName() + " has no "
          + (dialect == KerasDialect.TF_KERAS ? "tf_keras" : "Keras 3") + " activation string");
    }
    return dialect == KerasDialect.TF_KERAS && a.kind() == Activation.Kind.SILU ? "swish" : a.kerasName();
  }

  /** A padding mode string; tf_keras' form has none for explicit padding, which the twin never has. */
  public static String padding(Padding padding, KerasDialect dialect, String layer) {
    if (dialect == KerasDialect.KERAS3) {
      return padding.mode() == Padding.Mode.SAME ? "same" : "valid";
    }
    String name = padding.kerasName();
    if (name == null) {
      throw new IllegalArgumentException("layer " + layer + ": explicit padding " + padding + " has no Keras form");
    }
    return name;
  }

  /** tf_keras writes every regularizer and constraint of a weighted layer as null. */
  public static void kernelInitializersAndNulls(ObjectNode c) {
    c.set("kernel_initializer", initializer("GlorotUniform"));
    c.set("bias_initializer", initializer("Zeros"));
    c.putNull("kernel_regularizer");
    c.putNull("bias_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("kernel_constraint");
    c.putNull("bias_constraint");
  }

  /** The regularizers and constraints of a normalisation layer's gamma and beta, which Sequent never sets. */
  public static void gammaBetaNulls(ObjectNode c) {
    c.putNull("beta_regularizer");
    c.putNull("gamma_regularizer");
    c.putNull("beta_constraint");
    c.putNull("gamma_constraint");
  }

  /** Keras 3's kernel and bias initializer references (it writes no regularizer nulls). */
  public static void kernelInitializers(ObjectNode c) {
    c.set("kernel_initializer", initializer("GlorotUniform"));
    c.set("bias_initializer", initializer("Zeros"));
  }

  /**
   * Keras stores an activation as a name, or (Keras 3, for serialized functions) as a small dict.
   * The dialect matters to {@code hard_sigmoid} (tf_keras' is 0.2 x + 0.5): a layer config whose
   * {@code dtype} is a DTypePolicy object or whose activation is such a dict is Keras 3's; one whose
   * {@code dtype} is a plain string is tf_keras' (Keras 3.0 also wrote a string; its files mean
   * Keras 3's hard_sigmoid and are read as tf_keras').
   */
  public static Activation readActivation(Map<String, Object> config) {
    Object a = config.get("activation");
    if (a == null) {
      return Activation.LINEAR;
    }
    boolean tfKeras = isTfKeras(config);
    if (a instanceof Map<?, ?> m) {
      Object inner = m.get("config");
      a = inner instanceof String ? inner : m.get("class_name");
      tfKeras = false;
    }
    return Activation.fromKeras(String.valueOf(a), tfKeras);
  }

  /** Whether a layer config is tf_keras' (its {@code dtype} a plain string, not Keras 3's DTypePolicy). */
  public static boolean isTfKeras(Map<String, Object> config) {
    return config.get("dtype") instanceof String;
  }

  /** An axis Keras writes as an int (Keras 3) or a one-element list (tf_keras); {@code fallback} when absent. */
  public static int singleAxis(Object axis, int fallback) {
    if (axis instanceof List<?> l && l.size() == 1) {
      return ((Number) l.get(0)).intValue();
    }
    return axis instanceof Number n ? n.intValue() : fallback;
  }
}
