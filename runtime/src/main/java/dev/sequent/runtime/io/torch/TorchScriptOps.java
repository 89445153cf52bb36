package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorArg;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code torch.<op>(...)} calls of TorchScript code that Sequent runs, each as the ATen op a
 * {@code torch.export} program names ({@code torch._convolution} is {@code aten.convolution.default}),
 * with the schema's argument names in order (TorchScript prints arguments by position, an exported
 * program records them by name) and the rule that gives its outputs' sizes. The TorchScript graph
 * is lowered by the export reader's translators, so an op is listed here only when one translates
 * it: there is one op table, not one per format. The sizes are needed because an archive records
 * none: they follow from the input's and the parameters' shapes, the batch a symbol.
 */
final class TorchScriptOps {
  static final int FLOAT = 6;
  static final int LONG = 4;
  static final String BATCH = "s0";

  /** An op's outputs' metas from its arguments (by schema name) and the metas of its tensor arguments. */
  @FunctionalInterface
  interface ShapeRule {
    List<TensorMeta> outputs(Map<String, Object> args, Map<String, TensorMeta> metas);
  }

  /**
   * @param op the exported op, or the stem a number operand turns into {@code .Scalar} ({@link #op})
   * @param names the schema's argument names, in order
   * @param outputs how many values the call returns
   */
  record Schema(String op, List<String> names, int outputs, ShapeRule shape, boolean scalarOverload) {
    /** The exported op name for these arguments: {@code aten.add.Scalar} when {@code other} is a number. */
    String op(Map<String, Object> args) {
      if (!scalarOverload) {
        return op;
      }
      // x + 2 is add.Scalar; the in-place x += 2 computes the same, and only add.Scalar is translated
      return args.get("other") instanceof Number ? (op.endsWith("_") ? op.substring(0, op.length() - 1) : op)
          + ".Scalar" : op + ".Tensor";
    }
  }

  /** Runs one op of the table on values of the graph, for a {@link Composite}. */
  @FunctionalInterface
  interface Emitter {
    Object call(String op, Object... args);
  }

  /** Expands a {@link Composite}'s call, its arguments by name. */
  @FunctionalInterface
  interface Expansion {
    Object expand(Map<String, Object> args, Emitter emit);
  }

  /**
   * A fused op TorchScript prints that is the composition of ops of the table: run as those ops,
   * so no translator is written for it.
   *
   * @param names its schema's argument names, in order
   */
  record Composite(List<String> names, Expansion expansion) {}

  private static final Map<String, Schema> OPS = build();
  private static final Map<String, Composite> COMPOSITES = Map.of(
      "_transformer_encoder_layer_fwd", new Composite(List.of("src", "embed_dim", "num_heads", "qkv_weight",
          "qkv_bias", "proj_weight", "proj_bias", "use_gelu", "norm_first", "eps", "norm_weight_1", "norm_bias_1",
          "norm_weight_2", "norm_bias_2", "ffn_weight_1", "ffn_bias_1", "ffn_weight_2", "ffn_bias_2", "mask",
          "mask_type"), TorchScriptOps::transformerEncoderLayer));

  static Optional<Composite> composite(String torchName) {
    return Optional.ofNullable(COMPOSITES.get(torchName));
  }

  /**
   * {@code nn.TransformerEncoderLayer}'s inference fast path (torch/nn/modules/transformer.py, traced
   * in eval mode without grad): self-attention, the residual add and LayerNorm, the feed-forward
   * Linear-activation-Linear, the second add and LayerNorm (norm_first: each norm before its block).
   */
  private static Object transformerEncoderLayer(Map<String, Object> a, Emitter emit) {
    Object src = a.get("src");
    List<Object> shape = List.of(a.get("embed_dim"));
    boolean normFirst = Boolean.TRUE.equals(a.get("norm_first"));
    Object eps = a.get("eps");
    Object x = src;
    Object in = normFirst ? emit.call("layer_norm", x, shape, a.get("norm_weight_1"), a.get("norm_bias_1"), eps)
        : x;
    Object attention = ((List<?>) emit.call("_native_multi_head_attention", in, in, in, a.get("embed_dim"),
        a.get("num_heads"), a.get("qkv_weight"), a.get("qkv_bias"), a.get("proj_weight"), a.get("proj_bias"),
        a.get("mask"), false)).get(0);
    x = emit.call("add", x, attention);
    if (!normFirst) {
      x = emit.call("layer_norm", x, shape, a.get("norm_weight_1"), a.get("norm_bias_1"), eps);
    }
    in = normFirst ? emit.call("layer_norm", x, shape, a.get("norm_weight_2"), a.get("norm_bias_2"), eps) : x;
    Object hidden = emit.call("linear", in, a.get("ffn_weight_1"), a.get("ffn_bias_1"));
    hidden = emit.call(Boolean.TRUE.equals(a.get("use_gelu")) ? "gelu" : "relu", hidden);
    hidden = emit.call("linear", hidden, a.get("ffn_weight_2"), a.get("ffn_bias_2"));
    x = emit.call("add", x, hidden);
    if (!normFirst) {
      x = emit.call("layer_norm", x, shape, a.get("norm_weight_2"), a.get("norm_bias_2"), eps);
    }
    return x;
  }

  private TorchScriptOps() {}

  static Optional<Schema> schema(String torchName) {
    return Optional.ofNullable(OPS.get(torchName));
  }

  /** The TorchScript spellings, sorted (for the documentation and its test). */
  static List<String> names() {
    return List.copyOf(new TreeSet<>(OPS.keySet()));
  }

  /** Every exported op the table maps to (each must have a translator). */
  static List<String> exportedOps() {
    List<String> out = new ArrayList<>();
    for (Schema s : OPS.values()) {
      if (s.scalarOverload()) {
        out.add(s.op() + ".Tensor");
        out.add(s.op(Map.of("other", 1)));
      } else {
        out.add(s.op());
      }
    }
    return out;
  }

  private static Map<String, Schema> build() {
    Map<String, Schema> ops = new HashMap<>();
    ShapeRule same = (a, m) -> List.of(first(a, m));
    ops.put("_convolution", new Schema("aten.convolution.default", List.of("input", "weight", "bias", "stride",
        "padding", "dilation", "transposed", "output_padding", "groups", "benchmark", "deterministic",
        "cudnn_enabled", "allow_tf32"), 1, TorchScriptOps::convolution, false));
    ops.put("conv2d", new Schema("aten.conv2d.default", List.of("input", "weight", "bias", "stride", "padding",
        "dilation", "groups"), 1, TorchScriptOps::convolution, false));
    ops.put("conv1d", new Schema("aten.conv1d.default", List.of("input", "weight", "bias", "stride", "padding",
        "dilation", "groups"), 1, TorchScriptOps::convolution, false));
    ops.put("batch_norm", new Schema("aten.batch_norm.default", List.of("input", "weight", "bias", "running_mean",
        "running_var", "training", "momentum", "eps", "cudnn_enabled"), 1, same, false));
    ops.put("layer_norm", new Schema("aten.layer_norm.default", List.of("input", "normalized_shape", "weight",
        "bias", "eps", "cudnn_enable"), 1, same, false));
    ops.put("linear", new Schema("aten.linear.default", List.of("input", "weight", "bias"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("input"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      sizes.set(sizes.size() - 1, (int) meta(a.get("weight"), m).sizes().get(0));
      return List.of(new TensorMeta(FLOAT, sizes));
    }, false));
    ops.put("embedding", new Schema("aten.embedding.default", List.of("weight", "indices", "padding_idx",
        "scale_grad_by_freq", "sparse"), 1, (a, m) -> {
          List<Object> sizes = new ArrayList<>(meta(a.get("indices"), m).sizes());
          sizes.add(meta(a.get("weight"), m).sizes().get(1));
          return List.of(new TensorMeta(FLOAT, sizes));
        }, false));
    for (String rnn : List.of("lstm", "gru", "rnn_tanh", "rnn_relu")) {
      ops.put(rnn, new Schema("aten." + rnn + ".input", List.of("input", "hx", "params", "has_biases",
          "num_layers", "dropout", "train", "bidirectional", "batch_first"), rnn.equals("lstm") ? 3 : 2,
          TorchScriptOps::recurrent, false));
    }
    for (String pool : List.of("max_pool2d", "max_pool1d")) {
      ops.put(pool, new Schema("aten." + pool + ".default", List.of("self", "kernel_size", "stride", "padding",
          "dilation", "ceil_mode"), 1, TorchScriptOps::pool, false));
    }
    for (String pool : List.of("avg_pool2d", "avg_pool1d")) {
      ops.put(pool, new Schema("aten." + pool + ".default", List.of("self", "kernel_size", "stride", "padding",
          "ceil_mode", "count_include_pad", "divisor_override"), 1, TorchScriptOps::pool, false));
    }
    for (String pool : List.of("adaptive_avg_pool2d", "adaptive_max_pool2d")) {
      ops.put(pool, new Schema("aten." + pool + ".default", List.of("self", "output_size"),
          pool.contains("max") ? 2 : 1, (a, m) -> {
            TensorMeta in = meta(a.get("self"), m);
            List<Object> sizes = new ArrayList<>(in.sizes().subList(0, in.rank() - 2));
            List<?> out = (List<?>) a.get("output_size");
            for (int i = 0; i < 2; i++) {
              sizes.add(out.get(i) == null ? in.sizes().get(in.rank() - 2 + i) : out.get(i));
            }
            TensorMeta t = new TensorMeta(FLOAT, sizes);
            return List.of(t, new TensorMeta(LONG, sizes));
          }, false));
    }
    for (String act : List.of("relu", "sigmoid", "tanh", "silu", "hardswish", "hardsigmoid", "elu", "selu", "celu",
        "mish", "softplus", "log_sigmoid", "hardtanh", "leaky_relu")) {
      List<String> names = switch (act) {
        case "hardtanh" -> List.of("self", "min_val", "max_val");
        case "elu" -> List.of("self", "alpha", "scale", "input_scale");
        case "celu" -> List.of("self", "alpha");
        case "softplus" -> List.of("self", "beta", "threshold");
        case "leaky_relu" -> List.of("self", "negative_slope");
        default -> List.of("self");
      };
      ops.put(act, new Schema("aten." + act + ".default", names, 1, same, false));
      ops.put(act + "_", new Schema("aten." + act + "_.default", names, 1, same, false));
    }
    ops.put("gelu", new Schema("aten.gelu.default", List.of("self", "approximate"), 1, same, false));
    ops.put("prelu", new Schema("aten.prelu.default", List.of("self", "weight"), 1, same, false));
    ops.put("softmax", new Schema("aten.softmax.int", List.of("self", "dim", "dtype"), 1, same, false));
    ops.put("log_softmax", new Schema("aten.log_softmax.int", List.of("self", "dim", "dtype"), 1, same, false));
    for (String d : List.of("dropout", "dropout_", "feature_dropout", "feature_dropout_")) {
      ops.put(d, new Schema("aten." + d + ".default", List.of(d.endsWith("_") ? "self" : "input", "p", "train"), 1,
          same, false));
    }
    ops.put("contiguous", new Schema("aten.contiguous.default", List.of("self", "memory_format"), 1, same, false));
    ops.put("clone", new Schema("aten.clone.default", List.of("self", "memory_format"), 1, same, false));
    ops.put("detach", new Schema("aten.detach.default", List.of("self"), 1, same, false));
    for (String op : List.of("add", "add_", "sub", "sub_")) {
      ops.put(op, new Schema("aten." + op, List.of("self", "other", "alpha"), 1, TorchScriptOps::broadcast, true));
    }
    for (String op : List.of("mul", "mul_", "div", "div_")) {
      ops.put(op, new Schema("aten." + op, List.of("self", "other"), 1, TorchScriptOps::broadcast, true));
    }
    ops.put("neg", new Schema("aten.neg.default", List.of("self"), 1, same, false));
    ops.put("clamp", new Schema("aten.clamp.default", List.of("self", "min", "max"), 1, same, false));
    ops.put("clamp_", new Schema("aten.clamp_.default", List.of("self", "min", "max"), 1, same, false));
    ops.put("clamp_min", new Schema("aten.clamp_min.default", List.of("self", "min"), 1, same, false));
    ops.put("cat", new Schema("aten.cat.default", List.of("tensors", "dim"), 1, TorchScriptOps::cat, false));
    ops.put("flatten", new Schema("aten.flatten.using_ints", List.of("self", "start_dim", "end_dim"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      int start = axis(integer(a.getOrDefault("start_dim", 0)), in.rank());
      int end = axis(integer(a.getOrDefault("end_dim", -1)), in.rank());
      List<Object> sizes = new ArrayList<>(in.sizes().subList(0, start));
      sizes.add(product(in.sizes().subList(start, end + 1)));
      sizes.addAll(in.sizes().subList(end + 1, in.rank()));
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("view", new Schema("aten.view.default", List.of("self", "size"), 1, TorchScriptOps::view, false));
    ops.put("reshape", new Schema("aten.reshape.default", List.of("self", "shape"), 1, TorchScriptOps::view, false));
    ops.put("transpose", new Schema("aten.transpose.int", List.of("self", "dim0", "dim1"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      int d0 = axis(integer(a.get("dim0")), in.rank());
      int d1 = axis(integer(a.get("dim1")), in.rank());
      sizes.set(d0, in.sizes().get(d1));
      sizes.set(d1, in.sizes().get(d0));
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("permute", new Schema("aten.permute.default", List.of("self", "dims"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>();
      for (Object d : (List<?>) a.get("dims")) {
        sizes.add(in.sizes().get(axis(integer(d), in.rank())));
      }
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("unsqueeze", new Schema("aten.unsqueeze.default", List.of("self", "dim"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      sizes.add(axis(integer(a.get("dim")), in.rank() + 1), 1);
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("select", new Schema("aten.select.int", List.of("self", "dim", "index"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      sizes.remove(axis(integer(a.get("dim")), in.rank()));
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("slice", new Schema("aten.slice.Tensor", List.of("self", "dim", "start", "end", "step"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      int d = axis(integer(a.getOrDefault("dim", 0)), in.rank());
      sizes.set(d, sliced(in.sizes().get(d), a.get("start"), a.get("end"), a.getOrDefault("step", 1)));
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("mean", new Schema("aten.mean.dim", List.of("self", "dim", "keepdim", "dtype"), 1, (a, m) -> {
      TensorMeta in = meta(a.get("self"), m);
      List<Object> sizes = new ArrayList<>(in.sizes());
      List<Integer> axes = new ArrayList<>();
      for (Object d : (List<?>) a.get("dim")) {
        axes.add(axis(integer(d), in.rank()));
      }
      boolean keep = Boolean.TRUE.equals(a.get("keepdim"));
      for (int i = in.rank() - 1; i >= 0; i--) {
        if (axes.contains(i)) {
          if (keep) {
            sizes.set(i, 1);
          } else {
            sizes.remove(i);
          }
        }
      }
      return List.of(new TensorMeta(in.dtype(), sizes));
    }, false));
    ops.put("_native_multi_head_attention", new Schema("aten._native_multi_head_attention.default",
        List.of("query", "key", "value", "embed_dim", "num_head", "qkv_weight", "qkv_bias", "proj_weight",
            "proj_bias", "mask", "need_weights", "average_attn_weights", "mask_type"), 2, (a, m) -> {
              TensorMeta q = meta(a.get("query"), m);
              TensorMeta k = meta(a.get("key"), m);
              List<Object> weights = List.of(q.sizes().get(0), q.sizes().get(1), k.sizes().get(1));
              return List.of(q, new TensorMeta(FLOAT, weights));
            }, false));
    ops.put("zeros", new Schema("aten.zeros.default", List.of("size", "dtype", "layout", "device", "pin_memory"), 1,
        (a, m) -> List.of(new TensorMeta(a.get("dtype") instanceof Integer d ? d : FLOAT,
            sizes(a.get("size")))), false));
    return Map.copyOf(ops);
  }

  // ------------------------------------------------------------------------------ size rules

  private static TensorMeta first(Map<String, Object> a, Map<String, TensorMeta> m) {
    for (Object v : a.values()) {
      if (v instanceof TensorArg) {
        return meta(v, m);
      }
    }
    throw new IllegalArgumentException("no tensor argument");
  }

  static TensorMeta meta(Object arg, Map<String, TensorMeta> m) {
    if (!(arg instanceof TensorArg t) || !m.containsKey(t.name())) {
      throw new IllegalArgumentException("expected a tensor, got " + arg);
    }
    return m.get(t.name());
  }

  private static List<TensorMeta> convolution(Map<String, Object> a, Map<String, TensorMeta> m) {
    TensorMeta in = meta(a.get("input"), m);
    List<Object> w = meta(a.get("weight"), m).sizes();
    int spatial = w.size() - 2;
    boolean transposed = Boolean.TRUE.equals(a.get("transposed"));
    int groups = a.get("groups") instanceof Integer g ? g : 1;
    List<Object> sizes = new ArrayList<>();
    sizes.add(in.sizes().get(0));
    sizes.add(transposed ? (int) w.get(1) * groups : w.get(0));
    for (int i = 0; i < spatial; i++) {
      int size = (Integer) in.sizes().get(2 + i);
      int k = (Integer) w.get(2 + i);
      int s = at(a.get("stride"), i, 1);
      int p = at(a.get("padding"), i, 0);
      int d = at(a.get("dilation"), i, 1);
      sizes.add(transposed ? (size - 1) * s - 2 * p + d * (k - 1) + at(a.get("output_padding"), i, 0) + 1
          : (size + 2 * p - d * (k - 1) - 1) / s + 1);
    }
    return List.of(new TensorMeta(FLOAT, sizes));
  }

  private static List<TensorMeta> pool(Map<String, Object> a, Map<String, TensorMeta> m) {
    TensorMeta in = meta(a.get("self"), m);
    List<?> kernel = (List<?>) a.get("kernel_size");
    int spatial = kernel.size();
    List<Object> sizes = new ArrayList<>(in.sizes().subList(0, in.rank() - spatial));
    boolean ceil = Boolean.TRUE.equals(a.get("ceil_mode"));
    boolean strideGiven = a.get("stride") instanceof List<?> l && !l.isEmpty();
    for (int i = 0; i < spatial; i++) {
      int size = (Integer) in.sizes().get(in.rank() - spatial + i);
      int k = integer(kernel.get(i));
      int s = strideGiven ? at(a.get("stride"), i, k) : k;
      int p = at(a.get("padding"), i, 0);
      int d = at(a.get("dilation"), i, 1);
      int span = size + 2 * p - d * (k - 1) - 1;
      int out = (ceil ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
      if (ceil && (out - 1) * s >= size + p) {
        out--;
      }
      sizes.add(out);
    }
    return List.of(new TensorMeta(in.dtype(), sizes), new TensorMeta(LONG, sizes));
  }

  private static List<TensorMeta> recurrent(Map<String, Object> a, Map<String, TensorMeta> m) {
    TensorMeta in = meta(a.get("input"), m);
    List<?> params = (List<?>) a.get("params");
    int hidden = (Integer) meta(params.get(1), m).sizes().get(1);
    int directions = Boolean.TRUE.equals(a.get("bidirectional")) ? 2 : 1;
    int layers = a.get("num_layers") instanceof Integer l ? l : 1;
    boolean batchFirst = Boolean.TRUE.equals(a.get("batch_first"));
    Object batch = in.sizes().get(batchFirst ? 0 : 1);
    List<Object> out = new ArrayList<>(in.sizes());
    out.set(2, hidden * directions);
    TensorMeta state = new TensorMeta(FLOAT, List.of(layers * directions, batch, hidden));
    return List.of(new TensorMeta(FLOAT, out), state, state);
  }

  private static List<TensorMeta> broadcast(Map<String, Object> a, Map<String, TensorMeta> m) {
    TensorMeta x = meta(a.get("self"), m);
    if (!(a.get("other") instanceof TensorArg)) {
      return List.of(x);
    }
    TensorMeta y = meta(a.get("other"), m);
    int rank = Math.max(x.rank(), y.rank());
    List<Object> sizes = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      Object dx = i - (rank - x.rank()) >= 0 ? x.sizes().get(i - (rank - x.rank())) : 1;
      Object dy = i - (rank - y.rank()) >= 0 ? y.sizes().get(i - (rank - y.rank())) : 1;
      sizes.add(Integer.valueOf(1).equals(dx) ? dy : dx);
    }
    return List.of(new TensorMeta(x.dtype(), sizes));
  }

  private static List<TensorMeta> cat(Map<String, Object> a, Map<String, TensorMeta> m) {
    List<?> tensors = (List<?>) a.get("tensors");
    TensorMeta head = meta(tensors.get(0), m);
    int d = axis(integer(a.getOrDefault("dim", 0)), head.rank());
    List<Object> sizes = new ArrayList<>(head.sizes());
    Object total = 0;
    for (Object t : tensors) {
      Object s = meta(t, m).sizes().get(d);
      total = total instanceof Integer x && s instanceof Integer y ? (Object) (x + y) : total + "+" + s;
    }
    sizes.set(d, total);
    return List.of(new TensorMeta(head.dtype(), sizes));
  }

  /** {@code view}/{@code reshape}: the sizes given, a -1 inferred from the element count, the batch a symbol. */
  private static List<TensorMeta> view(Map<String, Object> a, Map<String, TensorMeta> m) {
    TensorMeta in = meta(a.get("self"), m);
    List<Object> sizes = sizes(a.containsKey("size") ? a.get("size") : a.get("shape"));
    long known = 1;
    int unknown = -1;
    int symbols = 0;
    for (int i = 0; i < sizes.size(); i++) {
      Object s = sizes.get(i);
      if (Integer.valueOf(-1).equals(s)) {
        unknown = i;
      } else if (s instanceof Integer x) {
        known *= x;
      } else {
        symbols++;
      }
    }
    if (unknown >= 0) {
      long total = 1;
      int inSymbols = 0;
      for (Object s : in.sizes()) {
        if (s instanceof Integer x) {
          total *= x;
        } else {
          inSymbols++;
        }
      }
      long rest = known == 0 ? 0 : total / known;
      Object inferred = inSymbols == symbols ? (Object) (int) rest
          : rest == 1 ? BATCH : BATCH + "*" + rest;
      sizes.set(unknown, inferred);
    }
    return List.of(new TensorMeta(in.dtype(), sizes));
  }

  private static List<Object> sizes(Object list) {
    List<Object> out = new ArrayList<>();
    for (Object s : (List<?>) list) {
      out.add(s instanceof dev.sequent.runtime.io.torch.export.ExportedProgram.SymArg sym ? sym.name() : s);
    }
    return out;
  }

  private static Object sliced(Object size, Object start, Object end, Object step) {
    if (!(size instanceof Integer n)) {
      return (start == null || toLong(start) == 0) && toLong(end) >= Integer.MAX_VALUE
          && (step == null || toLong(step) == 1) ? size : size + "'";
    }
    long s = start == null ? 0 : toLong(start);
    long e = end == null ? n : toLong(end);
    s = s < 0 ? Math.max(0, s + n) : Math.min(s, n);
    e = e < 0 ? Math.max(0, e + n) : Math.min(e, n);
    long k = toLong(step);
    return (int) Math.max(0, (e - s + k - 1) / k);
  }

  private static Object product(List<Object> sizes) {
    long p = 1;
    List<String> symbols = new ArrayList<>();
    for (Object s : sizes) {
      if (s instanceof Integer x) {
        p *= x;
      } else {
        symbols.add(String.valueOf(s));
      }
    }
    if (symbols.isEmpty()) {
      return (int) p;
    }
    return String.join("*", symbols) + (p == 1 ? "" : "*" + p);
  }

  private static int at(Object list, int i, int fallback) {
    if (list instanceof List<?> l && !l.isEmpty()) {
      return integer(l.get(Math.min(i, l.size() - 1)));
    }
    return list instanceof Integer x ? x : fallback;
  }

  private static long toLong(Object v) {
    return v == null ? Long.MAX_VALUE : ((Number) v).longValue();
  }

  private static int integer(Object v) {
    if (v instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalArgumentException("expected an int, got " + v);
  }

  private static int axis(int d, int rank) {
    return d < 0 ? d + rank : d;
  }
}
