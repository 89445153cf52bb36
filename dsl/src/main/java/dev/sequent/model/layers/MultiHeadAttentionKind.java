package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasCall;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import dev.sequent.model.layers.MultiHeadAttention.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Multi-head attention: Keras {@code MultiHeadAttention}
 * ({@code keras/src/layers/attention/multi_head_attention.py}: four {@code EinsumDense} sublayers
 * {@code query}, {@code key}, {@code value}, {@code attention_output}, saved by Keras 3 below
 * {@code query_dense}, {@code key_dense}, {@code value_dense}, {@code output_dense}), PyTorch
 * {@code nn.MultiheadAttention} ({@code torch/nn/modules/activation.py}: {@code in_proj_weight} or
 * {@code q/k/v_proj_weight}, {@code in_proj_bias}, {@code out_proj}). See {@link MultiHeadAttention}.
 *
 * <p>The call matters as much as the config: Keras 3 records {@code mha(query, value, key=...,
 * attention_mask=..., use_causal_mask=True)} in the {@code inbound_nodes} entry's {@code args} and
 * {@code kwargs}; tf_keras records the query as the node entry and the rest in its kwargs
 * ({@code {"value": ["v", 0, 0], "use_causal_mask": true}}). The kind reads and writes that form
 * through {@link #kerasCall} and {@link KerasLayerInput#arguments}.
 *
 * <p>The tensors do not pair 1:1: PyTorch packs the three input projections into one
 * {@code (3E, E)} weight where Keras has three {@code (E, heads, key_dim)} kernels; the kind
 * converts between the forms ({@link #convertParams}) where PyTorch has the layer.
 */
public final class MultiHeadAttentionKind extends AbstractLayerKind<MultiHeadAttention> {
  public static final String KERAS_CLASS = "MultiHeadAttention";
  public static final String TORCH_CLASS = "MultiheadAttention";
  public static final String TORCH_MODULE = "torch.nn.modules.activation.MultiheadAttention";
  /** Keras' sublayers, in the order of the layer's weights; tf_keras names the weights {@code <layer>/query/kernel:0}. */
  static final String[] KERAS_SUBLAYERS = {"query", "key", "value", "attention_output"};
  /** Where Keras 3 saves those sublayers' variables. */
  static final String[] KERAS3_SUBLAYER_PATHS = {"query_dense", "key_dense", "value_dense", "output_dense"};
  /** Keras' call arguments, in positional order: {@code call(query, value, key, ...)}. */
  static final List<String> KERAS_POSITIONAL = List.of("query", "value", "key");
  public static final String KERAS_ATTENTION_MASK = "attention_mask";
  public static final String KERAS_CAUSAL = "use_causal_mask";
  /** Why a layer whose heads do not split the query's features has no PyTorch form. */
  static final String NO_TORCH_FORM = "PyTorch's nn.MultiheadAttention has one head size, embed_dim / num_heads, "
      + "for query, key and value, and its output has embed_dim (the query's) features";

  public MultiHeadAttentionKind() {
    super(MultiHeadAttention.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  // ------------------------------------------------------------------------------- annotations

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, MultiHeadAttentionKind::kerasAnnotation),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_CLASS, MultiHeadAttentionKind::torchAnnotation));
  }

  private static int fromCount(AnnotationValues v) {
    return v.get("from") instanceof String[] from ? Math.max(1, from.length) : 1;
  }

  private static MultiHeadAttention kerasAnnotation(AnnotationValues v) {
    boolean mask = v.bool("attentionMask");
    int tensors = fromCount(v) - (mask ? 1 : 0);
    if (tensors < 1 || tensors > 3) {
      throw new ShapeException("from", "from names the query, value and key (value and key optional; the "
          + "attention mask last when attentionMask = true). Received: " + fromCount(v) + " layer(s)");
    }
    List<Role> roles = new ArrayList<>(List.of(Role.QUERY, Role.VALUE, Role.KEY).subList(0, tensors));
    if (mask) {
      roles.add(Role.ATTENTION_MASK);
    }
    int keyDim = v.integer("keyDim");
    int valueDim = v.integer("valueDim");
    return new MultiHeadAttention(Framework.KERAS, v.integer("numHeads"), keyDim, valueDim == 0 ? keyDim : valueDim,
        v.bool("useBias"), v.integer("outputShape"), 0, 0, 0, v.bool("useCausalMask"), roles, true);
  }

  private static MultiHeadAttention torchAnnotation(AnnotationValues v) {
    int masks = (v.bool("attnMask") ? 1 : 0) + (v.bool("keyPaddingMask") ? 1 : 0);
    int tensors = fromCount(v) - masks;
    List<Role> roles = new ArrayList<>();
    if (tensors == 1) {
      roles.add(Role.QUERY);
    } else if (tensors == 3) {
      roles.addAll(List.of(Role.QUERY, Role.KEY, Role.VALUE));
    } else {
      throw new ShapeException("from", "from names the query, key and value (or one layer, for self-attention), "
          + "then the masks the call takes (attnMask, keyPaddingMask). Received: " + fromCount(v) + " layer(s)");
    }
    if (v.bool("keyPaddingMask")) {
      roles.add(Role.KEY_PADDING_MASK);
    }
    if (v.bool("attnMask")) {
      roles.add(Role.ATTENTION_MASK);
    }
    return new MultiHeadAttention(Framework.TORCH, v.integer("numHeads"), 0, 0, v.bool("bias"), 0,
        v.integer("embedDim"), v.integer("kdim"), v.integer("vdim"), v.bool("isCausal"), roles, v.bool("batchFirst"));
  }

  // ----------------------------------------------------------------------------- Keras configs

  @Override
  public MultiHeadAttention fromKeras(KerasLayerInput c) {
    if (c.bool("use_gate", false)) {
      throw c.unsupported("use_gate=True is not supported (a gated attention output)");
    }
    if (c.get("sliding_window") != null) {
      throw c.unsupported("sliding_window=" + c.get("sliding_window") + " is not supported");
    }
    Object axes = c.get("attention_axes");
    if (axes != null && !(axes instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number a
        && (a.intValue() == 1 || a.intValue() == -2)) && !(axes instanceof Number n && n.intValue() == 1)) {
      throw c.unsupported("attention_axes=" + axes + " is not supported: Sequent attends over the time axis of "
          + "(batch, time, features) inputs");
    }
    int keyDim = c.integer("key_dim");
    int valueDim = c.get("value_dim") == null ? keyDim : c.integer("value_dim");
    int outputDim = 0;
    Object shape = c.get("output_shape");
    if (shape instanceof Number n) {
      outputDim = n.intValue();
    } else if (shape instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number n) {
      outputDim = n.intValue();
    } else if (shape != null) {
      throw c.unsupported("output_shape=" + shape + " is not supported: Sequent's output is (time, features)");
    }
    List<Role> roles = new ArrayList<>();
    int positional = 0;
    for (int i = 0; i < c.inputCount(); i++) {
      String arg = c.arguments().isEmpty() ? KerasLayerInput.POSITIONAL : c.arguments().get(i);
      if (arg.equals(KerasLayerInput.POSITIONAL)) {
        if (positional >= KERAS_POSITIONAL.size()) {
          throw c.unsupported("the call's positional argument " + (positional + 1) + " (query_mask) is not "
              + "supported; pass an attention_mask");
        }
        arg = KERAS_POSITIONAL.get(positional++);
      }
      roles.add(switch (arg) {
        case "query" -> Role.QUERY;
        case "value" -> Role.VALUE;
        case "key" -> Role.KEY;
        case KERAS_ATTENTION_MASK -> Role.ATTENTION_MASK;
        default -> throw c.unsupported("the call's argument " + arg + " is not supported (Sequent takes query, "
            + "value, key and attention_mask)");
      });
    }
    if (roles.isEmpty()) {
      throw c.unsupported("the layer is called on no tensor");
    }
    if (!roles.contains(Role.QUERY)) {
      throw c.unsupported("the call names no query");
    }
    if (Boolean.TRUE.equals(c.callOptions().get("return_attention_scores"))) {
      throw c.unsupported("return_attention_scores=True is not supported (a second output)");
    }
    // The query first, the others in call order: the record's inputs are the graph node's, reordered alike.
    if (roles.get(0) != Role.QUERY) {
      throw c.unsupported("the call passes " + roles.get(0).name().toLowerCase(java.util.Locale.ROOT)
          + " before the query; Sequent reads the query first");
    }
    try {
      return new MultiHeadAttention(Framework.KERAS, c.integer("num_heads"), keyDim, valueDim,
          c.bool("use_bias", true), outputDim, 0, 0, 0, Boolean.TRUE.equals(c.callOptions().get(KERAS_CAUSAL)), roles,
          true);
    } catch (ShapeException e) {
      throw c.unsupported(e.getMessage());
    }
  }

  /**
   * {@code mha(query, value, key=..., attention_mask=..., use_causal_mask=True)}: the query and value
   * positional while in Keras' order, the rest by keyword. Keras requires a value, so a layer that
   * attends over its one input passes it twice ({@code mha(x, x)}), as Keras users write it.
   */
  @Override
  public KerasCall kerasCall(MultiHeadAttention a) {
    List<String> names = new ArrayList<>();
    List<Integer> inputs = new ArrayList<>();
    for (int i = 0; i < a.inputs().size(); i++) {
      names.add(kerasArgument(a.inputs().get(i)));
      inputs.add(i);
    }
    if (a.indexOf(Role.VALUE) < 0) {
      int at = a.indexOf(Role.KEY) >= 0 ? a.indexOf(Role.KEY) : 1;
      names.add(at, "value");
      inputs.add(at, a.valueInput());
    }
    int positional = 0;
    while (positional < names.size() && positional < KERAS_POSITIONAL.size()
        && names.get(positional).equals(KERAS_POSITIONAL.get(positional))) {
      positional++;
    }
    Map<String, Object> options = new LinkedHashMap<>();
    if (a.causal()) {
      options.put(KERAS_CAUSAL, true);
    }
    return new KerasCall(names, inputs, positional, options);
  }

  private static String kerasArgument(Role r) {
    return switch (r) {
      case QUERY -> "query";
      case VALUE -> "value";
      case KEY -> "key";
      case ATTENTION_MASK -> KERAS_ATTENTION_MASK;
      case KEY_PADDING_MASK -> throw new IllegalStateException("key_padding_mask has no Keras argument");
    };
  }

  @Override
  public Optional<String> kerasUnsupported(MultiHeadAttention a) {
    if (a.framework() == Framework.TORCH && (a.inputs().contains(Role.ATTENTION_MASK)
        || a.inputs().contains(Role.KEY_PADDING_MASK))) {
      return Optional.of("PyTorch's float attn_mask and key_padding_mask are added to the scores; Keras' "
          + "attention_mask keeps the positions where it is non-zero");
    }
    return Optional.empty();
  }

  @Override
  public void writeKeras(MultiHeadAttention a, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("num_heads", a.heads());
    c.put("key_dim", a.keyDim());
    c.put("value_dim", a.valueDim());
    c.put("dropout", 0.0);
    c.put("use_bias", a.useBias());
    if (dialect == KerasDialect.KERAS3) {
      c.put("use_gate", false);
    }
    if (a.outputDim() > 0 && a.framework() == Framework.KERAS) {
      c.put("output_shape", a.outputDim());
    } else {
      c.putNull("output_shape");
    }
    c.putArray("attention_axes").add(1);
    if (dialect == KerasDialect.KERAS3) {
      c.putNull("sliding_window");
    }
    c.set("kernel_initializer", KerasJson.initializer("GlorotUniform"));
    c.set("bias_initializer", KerasJson.initializer("Zeros"));
    c.putNull("kernel_regularizer");
    c.putNull("bias_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("kernel_constraint");
    c.putNull("bias_constraint");
    if (dialect == KerasDialect.KERAS3) {
      c.putNull("seed");
    } else {
      // tf_keras builds the layer from these when it is loaded (_build_from_signature).
      List<Shape> in = inferred.inputShapes();
      c.set("query_shape", KerasJson.batchShape(in.get(0)));
      c.set("key_shape", KerasJson.batchShape(in.get(a.keyInput())));
      c.set("value_shape", KerasJson.batchShape(in.get(a.valueInput())));
      c.put("softmax_robust_masking", false);
    }
  }

  /** {@code build(query_shape, value_shape, key_shape=None)}, as Keras 3 writes it: a shapes_dict. */
  @Override
  public Optional<ObjectNode> kerasBuildConfig(MultiHeadAttention a, InferredModel.Layer inferred) {
    ObjectNode build = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    ObjectNode shapes = build.putObject("shapes_dict");
    List<Shape> in = inferred.inputShapes();
    shapes.set("query_shape", KerasJson.batchShape(in.get(0)));
    shapes.set("value_shape", KerasJson.batchShape(in.get(a.valueInput())));
    if (a.indexOf(Role.KEY) >= 0) {
      shapes.set("key_shape", KerasJson.batchShape(in.get(a.keyInput())));
    }
    return Optional.of(build);
  }

  // --------------------------------------------------------------------------- PyTorch modules

  /**
   * A module file holds the module, not the call in its parent's {@code forward}: the record is
   * self-attention (the query is also key and value), as {@code nn.TransformerEncoderLayer} calls it.
   */
  @Override
  public MultiHeadAttention fromTorch(TorchModuleInput m) {
    if (m.get("bias_k") != null || m.has("bias_k")) {
      throw m.unsupported("add_bias_kv=True is not supported (bias_k, bias_v)");
    }
    if (m.bool("add_zero_attn", false)) {
      throw m.unsupported("add_zero_attn=True is not supported");
    }
    int e = m.integer("embed_dim");
    try {
      return new MultiHeadAttention(Framework.TORCH, m.integer("num_heads"), 0, 0, m.has("in_proj_bias"), 0, e,
          m.integer("kdim", e), m.integer("vdim", e), false, List.of(Role.QUERY), m.bool("batch_first", false));
    } catch (ShapeException ex) {
      throw m.unsupported(ex.getMessage());
    }
  }

  @Override
  public Map<String, Object> torchAttributes(MultiHeadAttention a, InferredModel.Layer inferred) {
    List<Shape> in = inferred.inputShapes();
    int e = in.get(0).last();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("embed_dim", e);
    m.put("kdim", in.get(a.keyInput()).last());
    m.put("vdim", in.get(a.valueInput()).last());
    m.put("_qkv_same_embed_dim", a.packed(in));
    m.put("num_heads", a.heads());
    m.put("dropout", 0.0);
    m.put("batch_first", a.batchFirst());
    m.put("head_dim", e / a.heads());
    m.put("bias_k", null);
    m.put("bias_v", null);
    m.put("add_zero_attn", false);
    return m;
  }

  // --------------------------------------------------------------------------------- the twin

  /** The Keras layer of PyTorch's head size, called on the same tensors, causal alike. */
  @Override
  public Twin kerasTwin(MultiHeadAttention a, TwinContext context) {
    if (a.framework() == Framework.KERAS) {
      return Twin.of(a);
    }
    Optional<String> why = kerasUnsupported(a);
    if (why.isPresent()) {
      return Twin.none(why.get());
    }
    return Twin.of(new MultiHeadAttention(Framework.KERAS, a.heads(), a.keyDim(), a.valueDim(), a.useBias(), 0, 0, 0,
        0, a.causal(), a.inputs(), true));
  }

  // ------------------------------------------------------------- parameters across frameworks

  @Override
  public List<ParamSpec> frameworkParams(MultiHeadAttention a, List<Shape> inputs, Framework framework) {
    return a.params(inputs, framework);
  }

  /** Only a Keras layer can lack the PyTorch form (see {@link MultiHeadAttention#hasTorchForm}). */
  @Override
  public Optional<String> conversionRefused(MultiHeadAttention a, List<Shape> inputs, Framework to) {
    if (a.hasTorchForm(inputs)) {
      return Optional.empty();
    }
    return Optional.of(NO_TORCH_FORM + "; this layer has num_heads=" + a.heads() + ", key_dim=" + a.keyDim()
        + ", value_dim=" + a.valueDim() + " and " + a.outputFeatures(inputs.get(0)) + " output features for a "
        + "query of " + inputs.get(0).last());
  }

  @Override
  public List<ParamArray> convertParams(MultiHeadAttention a, List<Shape> inputs, Framework from, Framework to,
      List<ParamArray> values) {
    Optional<String> refused = conversionRefused(a, inputs, to);
    if (refused.isPresent()) {
      throw new IllegalArgumentException(refused.get());
    }
    return to == Framework.TORCH ? toTorch(a, inputs, values) : toKeras(a, inputs, values);
  }

  /**
   * Keras' tensors from PyTorch's: each input projection's {@code (E, in)} weight transposed into a
   * {@code (in, heads, head_dim)} kernel (PyTorch's head {@code h} is rows {@code h*d .. h*d+d} of
   * the projection, Keras' is {@code kernel[:, h, :]}), the packed bias split into the three
   * {@code (heads, head_dim)} biases, {@code out_proj.weight (E, E)} transposed into the
   * {@code (heads, head_dim, E)} output kernel.
   */
  public static List<ParamArray> toKeras(MultiHeadAttention a, List<Shape> in, List<ParamArray> t) {
    int e = in.get(0).last();
    int h = a.heads();
    int d = e / h;
    int[] features = {e, in.get(a.keyInput()).last(), in.get(a.valueInput()).last()};
    int i = 0;
    ParamArray[] w = new ParamArray[3];
    if (a.packed(in)) {
      ParamArray packed = t.get(i++);
      for (int p = 0; p < 3; p++) {
        w[p] = rows(packed, p * e, e);
      }
    } else {
      for (int p = 0; p < 3; p++) {
        w[p] = t.get(i++);
      }
    }
    ParamArray inBias = a.useBias() ? t.get(i++) : null;
    ParamArray outWeight = t.get(i++);
    ParamArray outBias = a.useBias() ? t.get(i) : null;
    List<ParamArray> out = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      out.add(new ParamArray(Shape.of(features[p], h, d), transposed(w[p]).data()));
      if (inBias != null) {
        out.add(new ParamArray(Shape.of(h, d), rowsOfVector(inBias, p * e, e)));
      }
    }
    out.add(new ParamArray(Shape.of(h, d, e), transposed(outWeight).data()));
    if (outBias != null) {
      out.add(new ParamArray(Shape.of(e), outBias.data().clone()));
    }
    return out;
  }

  /** PyTorch's tensors from Keras' (the inverse of {@link #toKeras}). */
  public static List<ParamArray> toTorch(MultiHeadAttention a, List<Shape> in, List<ParamArray> k) {
    int e = in.get(0).last();
    int i = 0;
    ParamArray[] w = new ParamArray[3];
    float[] bias = a.useBias() ? new float[3 * e] : null;
    for (int p = 0; p < 3; p++) {
      ParamArray kernel = k.get(i++);
      int features = kernel.shape().dim(0);
      w[p] = transposed(new ParamArray(Shape.of(features, e), kernel.data()));
      if (bias != null) {
        System.arraycopy(k.get(i++).data(), 0, bias, p * e, e);
      }
    }
    ParamArray outKernel = k.get(i++);
    List<ParamArray> out = new ArrayList<>();
    if (a.packed(in)) {
      float[] packed = new float[3 * e * e];
      for (int p = 0; p < 3; p++) {
        System.arraycopy(w[p].data(), 0, packed, p * e * e, e * e);
      }
      out.add(new ParamArray(Shape.of(3 * e, e), packed));
    } else {
      out.addAll(List.of(w));
    }
    if (bias != null) {
      out.add(new ParamArray(Shape.of(3 * e), bias));
    }
    out.add(transposed(new ParamArray(Shape.of(e, e), outKernel.data())));
    if (a.useBias()) {
      out.add(new ParamArray(Shape.of(e), k.get(i).data().clone()));
    }
    return out;
  }

  private static ParamArray rows(ParamArray m, int from, int count) {
    int cols = m.shape().dim(1);
    float[] out = new float[count * cols];
    System.arraycopy(m.data(), from * cols, out, 0, out.length);
    return new ParamArray(Shape.of(count, cols), out);
  }

  private static float[] rowsOfVector(ParamArray v, int from, int count) {
    float[] out = new float[count];
    System.arraycopy(v.data(), from, out, 0, count);
    return out;
  }

  private static ParamArray transposed(ParamArray m) {
    int r = m.shape().dim(0);
    int c = m.shape().dim(1);
    float[] out = new float[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        out[j * r + i] = m.data()[i * c + j];
      }
    }
    return new ParamArray(Shape.of(c, r), out);
  }

  @Override
  public Optional<String> describeConversion(MultiHeadAttention a, Framework from, Framework to) {
    return Optional.of(to == Framework.TORCH
        ? "query/key/value kernels (in, heads, head_dim) transposed and packed into in_proj_weight (3E, E) (or "
            + "q/k/v_proj_weight), biases into in_proj_bias; attention_output kernel (heads, head_dim, E) -> "
            + "out_proj.weight (E, E) transposed"
        : "in_proj_weight (3E, E) (or q/k/v_proj_weight) split and transposed into query/key/value kernels (in, "
            + "heads, head_dim), in_proj_bias into their biases; out_proj.weight -> attention_output kernel "
            + "(heads, head_dim, E)");
  }

  /** Keras 3 keeps each projection's kernel and bias in its own EinsumDense: {@code query_dense/vars/0}. */
  @Override
  public String keras3VarPath(MultiHeadAttention a, int index) {
    int per = a.useBias() ? 2 : 1;
    return KERAS3_SUBLAYER_PATHS[index / per] + "/vars/" + index % per;
  }

  // -------------------------------------------------------------------------- initialisation

  /**
   * Keras: the EinsumDense kernels GlorotUniform with Keras' fans of a rank-3 shape
   * ({@code compute_fans}: {@code (a, b, c)} has fan_in {@code a*b}, fan_out {@code a*c}), biases
   * zero. PyTorch: the input projections {@code xavier_uniform_}, {@code out_proj.weight} a Linear's
   * {@code U(-1/sqrt(E), 1/sqrt(E))}, biases zero.
   */
  @Override
  public float[] initialValue(MultiHeadAttention a, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int n = (int) p.count();
    String name = p.kerasName();
    Shape s = p.shape(framework);
    if (name.endsWith("bias")) {
      return new float[n];
    }
    if (name.endsWith("/kernel")) {
      return Initialisation.uniform(n, Initialisation.glorotBound(s.dim(0) * s.dim(1), s.dim(0) * s.dim(2)), random);
    }
    if (name.equals("out_proj.weight")) {
      return Initialisation.uniform(n, Initialisation.torchBound(s.dim(1)), random);
    }
    return Initialisation.uniform(n, Initialisation.glorotBound(s.dim(1), s.dim(0)), random);
  }

  @Override
  public List<Example> examples() {
    Framework k = Framework.KERAS;
    Framework t = Framework.TORCH;
    return List.of(
        new Example(new MultiHeadAttention(k, 2, 4, 4, true, 0, 0, 0, 0, false, List.of(Role.QUERY, Role.VALUE),
            true), Shape.of(5, 8)),
        new Example(new MultiHeadAttention(k, 2, 3, 5, false, 6, 0, 0, 0, true, List.of(Role.QUERY, Role.VALUE), true),
            Shape.of(5, 8)),
        new Example(new MultiHeadAttention(t, 2, 0, 0, true, 0, 8, 0, 0, false, List.of(Role.QUERY), true),
            Shape.of(5, 8)),
        new Example(new MultiHeadAttention(t, 4, 0, 0, false, 0, 8, 0, 0, true,
            List.of(Role.QUERY, Role.KEY, Role.VALUE), false), Shape.of(5, 8)));
  }
  /** The masks the call takes are the flags; the tensors are the writer's {@code from}. */
  @Override
  public Optional<SourceForm> sourceForm(MultiHeadAttention m) {
    if (m.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(KERAS_CLASS).with("numHeads", m.heads()).with("keyDim", m.keyDim())
          .with("valueDim", m.valueDim() == m.keyDim() ? 0 : m.valueDim()).with("useBias", m.useBias())
          .with("outputShape", m.outputDim()).with("useCausalMask", m.causal())
          .with("attentionMask", m.inputs().contains(Role.ATTENTION_MASK)));
    }
    return Optional.of(SourceForm.torch(TORCH_CLASS).with("embedDim", m.embedDim()).with("numHeads", m.heads())
        .with("bias", m.useBias()).with("kdim", m.kdim()).with("vdim", m.vdim()).with("batchFirst", m.batchFirst())
        .with("isCausal", m.causal()).with("keyPaddingMask", m.inputs().contains(Role.KEY_PADDING_MASK))
        .with("attnMask", m.inputs().contains(Role.ATTENTION_MASK)));
  }
}
