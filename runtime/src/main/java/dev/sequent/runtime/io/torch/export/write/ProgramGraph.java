package dev.sequent.runtime.io.torch.export.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ATen graph being written as a serialized {@code ExportedProgram} (torch/_export/serde/schema.py,
 * the form {@code torch.export.save} writes {@code models/<name>.json} in): placeholders for the
 * parameters, buffers and user inputs, call nodes with their arguments by schema name, and the
 * recorded meta ({@code tensor_values}) of every value. Every value computed from a user input has
 * the batch axis first, recorded as one symbolic size ({@link #BATCH_SYMBOL}) with a range
 * constraint of {@code [1, inf)}, so that {@code torch.export.load(f).module()} runs any batch.
 */
final class ProgramGraph {
  /** The schema version written: torch/_export/serde/schema.py {@code SCHEMA_VERSION} of PyTorch 2.15. */
  static final int SCHEMA_MAJOR = 8;
  static final int SCHEMA_MINOR = 20;
  /** The PyTorch whose schema is written (fixtures/requirements.txt), recorded as {@code torch_version}. */
  static final String TORCH_VERSION = "2.15.0";
  /** The aten opset version PyTorch 2.15 records. */
  static final int ATEN_OPSET = 10;
  /** The symbol of the batch size. */
  static final String BATCH_SYMBOL = "s0";
  /** ScalarType numbers of the schema (torch/_export/serde/schema.py ScalarType). */
  static final int FLOAT32 = 7;
  static final int INT64 = 5;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int POSITIONAL = 1;
  private static final int KEYWORD = 2;

  /**
   * A value of the graph. {@code sizes} are the per-sample sizes for a batched value (the batch
   * axis is the symbolic size in front), the full sizes for a parameter.
   */
  record Tensor(String name, int[] sizes, long[] strides, boolean batched, int dtype) {
    int rank() {
      return sizes.length;
    }
  }

  /** One argument of a call, by its name in the op's schema. */
  record Arg(String name, JsonNode value, int kind) {
    static Arg tensor(String name, Tensor t) {
      return new Arg(name, F.objectNode().set("as_tensor", F.objectNode().put("name", t.name())), POSITIONAL);
    }

    static Arg tensors(String name, List<Tensor> ts) {
      ArrayNode a = F.arrayNode();
      ts.forEach(t -> a.add(F.objectNode().put("name", t.name())));
      return new Arg(name, F.objectNode().set("as_tensors", a), POSITIONAL);
    }

    static Arg optionalTensor(String name, Tensor t) {
      return t == null ? none(name) : tensor(name, t);
    }

    static Arg none(String name) {
      return new Arg(name, F.objectNode().set("as_none", F.booleanNode(true)), POSITIONAL);
    }

    static Arg ints(String name, int... values) {
      ArrayNode a = F.arrayNode();
      for (int v : values) {
        a.add(v);
      }
      return new Arg(name, F.objectNode().set("as_ints", a), POSITIONAL);
    }

    static Arg integer(String name, long value) {
      return new Arg(name, F.objectNode().put("as_int", value), POSITIONAL);
    }

    static Arg number(String name, double value) {
      return new Arg(name, F.objectNode().put("as_float", value), POSITIONAL);
    }

    static Arg bool(String name, boolean value) {
      return new Arg(name, F.objectNode().put("as_bool", value), POSITIONAL);
    }

    static Arg string(String name, String value) {
      return new Arg(name, F.objectNode().put("as_string", value), POSITIONAL);
    }

    /** The same argument passed by keyword (a keyword-only schema argument, after {@code *}). */
    Arg keyword() {
      return new Arg(name, value, KEYWORD);
    }
  }

  private record Placeholder(Tensor tensor, String role, String target) {}

  private record Call(String target, List<Arg> args, List<Tensor> outputs, String module) {}

  private final List<Placeholder> placeholders = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Tensor> outputs = new ArrayList<>();
  private final Map<String, Tensor> values = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Tensor> byTarget = new LinkedHashMap<>();

  /** A fresh value name from {@code base}: a Python identifier, unique in the graph. */
  private String fresh(String base) {
    StringBuilder b = new StringBuilder();
    for (char c : base.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) && c < 128 ? Character.toLowerCase(c) : '_');
    }
    String stem = b.length() == 0 || Character.isDigit(b.charAt(0)) ? "v_" + b : b.toString();
    String name = stem;
    for (int i = 1; !names.add(name); i++) {
      name = stem + "_" + i;
    }
    return name;
  }

  /** The placeholder of state_dict tensor {@code fqn} ({@code 0.weight}), made on first use. */
  Tensor stateTensor(String fqn, long[] shape, boolean buffer) {
    return byTarget.computeIfAbsent(fqn, k -> {
      int[] sizes = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
      Tensor t = new Tensor(fresh((buffer ? "b_" : "p_") + fqn), sizes, contiguous(sizes, false), false, FLOAT32);
      values.put(t.name(), t);
      placeholders.add(new Placeholder(t, buffer ? "buffer" : "parameter", fqn));
      return t;
    });
  }

  /** A user input of per-sample {@code sizes}. */
  Tensor userInput(String name, int[] sizes, int dtype) {
    Tensor t = new Tensor(fresh(name), sizes.clone(), contiguous(sizes, true), true, dtype);
    values.put(t.name(), t);
    placeholders.add(new Placeholder(t, "user_input", t.name()));
    return t;
  }

  /** A call of {@code target} ({@code aten.conv2d.default}) returning one contiguous batched float tensor. */
  Tensor call(String target, String module, int[] sizes, Arg... args) {
    return call(target, module, sizes, contiguous(sizes, true), FLOAT32, args);
  }

  /** A call whose output has the given strides (a view) and dtype. */
  Tensor call(String target, String module, int[] sizes, long[] strides, int dtype, Arg... args) {
    Tensor t = new Tensor(fresh(target.split("\\.")[1]), sizes.clone(), strides, true, dtype);
    values.put(t.name(), t);
    calls.add(new Call(target, List.of(args), List.of(t), module));
    return t;
  }

  void output(Tensor t) {
    outputs.add(t);
  }

  /** The ops called, each once, in the order first called. */
  List<String> ops() {
    return calls.stream().map(Call::target).distinct().toList();
  }

  /** The state_dict tensors the graph reads, by state_dict name, in placeholder order. */
  Map<String, Boolean> stateTensors() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Placeholder p : placeholders) {
      if (!p.role().equals("user_input")) {
        out.put(p.target(), p.role().equals("buffer"));
      }
    }
    return out;
  }

  /** Row-major strides; the batch stride (in front of a batched value's) is the sample's size. */
  static long[] contiguous(int[] sizes, boolean batched) {
    int off = batched ? 1 : 0;
    long[] s = new long[sizes.length + off];
    long step = 1;
    for (int i = s.length - 1; i >= 0; i--) {
      s[i] = step;
      if (i - off >= 0) {
        step *= sizes[i - off];
      }
    }
    return s;
  }

  /** The tensor meta of the schema ({@code TensorMeta}), for tensor_values and the weights config. */
  static ObjectNode tensorMeta(Tensor t, boolean requiresGrad) {
    ObjectNode m = F.objectNode();
    m.put("dtype", t.dtype());
    ArrayNode sizes = m.putArray("sizes");
    if (t.batched()) {
      ObjectNode expr = F.objectNode();
      expr.put("expr_str", "Symbol('" + BATCH_SYMBOL + "', positive=True, integer=True)");
      expr.set("hint", F.objectNode().put("as_int", 2));
      sizes.add(F.objectNode().set("as_expr", expr));
    }
    for (int d : t.sizes()) {
      sizes.add(F.objectNode().put("as_int", d));
    }
    m.put("requires_grad", requiresGrad);
    ObjectNode device = m.putObject("device");
    device.put("type", "cpu");
    device.putNull("index");
    ArrayNode strides = m.putArray("strides");
    for (long s : t.strides()) {
      strides.add(F.objectNode().put("as_int", s));
    }
    m.set("storage_offset", F.objectNode().put("as_int", 0));
    m.put("layout", 7); // torch.strided in the schema's Layout enum
    return m;
  }

  /** The document of {@code models/<name>.json}. */
  ObjectNode toJson(List<String> inputNames) {
    // placeholders in torch.export's order: parameters, buffers, then the user inputs
    List<Placeholder> placeholders = new ArrayList<>();
    for (String role : List.of("parameter", "buffer", "user_input")) {
      this.placeholders.stream().filter(p -> p.role().equals(role)).forEach(placeholders::add);
    }
    ObjectNode root = F.objectNode();
    ObjectNode module = root.putObject("graph_module");
    ObjectNode graph = module.putObject("graph");
    ArrayNode inputs = graph.putArray("inputs");
    placeholders.forEach(p -> inputs.add(F.objectNode().set("as_tensor", F.objectNode().put("name", p.tensor().name()))));
    ArrayNode outs = graph.putArray("outputs");
    outputs.forEach(t -> outs.add(F.objectNode().set("as_tensor", F.objectNode().put("name", t.name()))));
    ArrayNode nodes = graph.putArray("nodes");
    for (Call c : calls) {
      ObjectNode n = nodes.addObject();
      n.put("target", "torch.ops." + c.target());
      ArrayNode in = n.putArray("inputs");
      for (Arg a : c.args()) {
        ObjectNode arg = in.addObject();
        arg.put("name", a.name());
        arg.set("arg", a.value());
        arg.put("kind", a.kind());
      }
      ArrayNode o = n.putArray("outputs");
      c.outputs().forEach(t -> o.add(F.objectNode().set("as_tensor", F.objectNode().put("name", t.name()))));
      ObjectNode meta = n.putObject("metadata");
      if (!c.module().isEmpty()) {
        meta.put("nn_module_stack", c.module());
      }
      n.putNull("is_hop_single_tensor_return");
      n.put("name", c.outputs().get(0).name());
    }
    ObjectNode tensorValues = graph.putObject("tensor_values");
    values.forEach((name, t) -> tensorValues.set(name, tensorMeta(t, false)));
    graph.putObject("sym_int_values");
    graph.putObject("sym_bool_values");
    graph.put("is_single_tensor_return", false);
    graph.putObject("custom_obj_values");
    graph.putObject("sym_float_values");

    ObjectNode signature = module.putObject("signature");
    ArrayNode inputSpecs = signature.putArray("input_specs");
    for (Placeholder p : placeholders) {
      ObjectNode spec = F.objectNode();
      switch (p.role()) {
        case "parameter" -> {
          spec.put("parameter_name", p.target());
          spec.set("arg", F.objectNode().put("name", p.tensor().name()));
        }
        case "buffer" -> {
          spec.set("arg", F.objectNode().put("name", p.tensor().name()));
          spec.put("buffer_name", p.target());
          spec.put("persistent", true);
        }
        default -> spec.set("arg", F.objectNode().set("as_tensor", F.objectNode().put("name", p.tensor().name())));
      }
      inputSpecs.add(F.objectNode().set(p.role(), spec));
    }
    ArrayNode outputSpecs = signature.putArray("output_specs");
    outputs.forEach(t -> outputSpecs.add(F.objectNode().set("user_output",
        F.objectNode().set("arg", F.objectNode().set("as_tensor", F.objectNode().put("name", t.name()))))));

    ArrayNode callGraph = module.putArray("module_call_graph");
    ObjectNode top = callGraph.addObject();
    top.put("fqn", "");
    ObjectNode sig = top.putObject("signature");
    sig.putArray("inputs");
    sig.putArray("outputs");
    sig.put("in_spec", inSpec(inputNames.size()));
    sig.put("out_spec", outSpec(outputs.size()));
    ArrayNode argNames = sig.putArray("forward_arg_names");
    inputNames.forEach(argNames::add);
    module.putObject("metadata");
    module.putObject("treespec_namedtuple_fields");

    root.putObject("opset_version").put("aten", ATEN_OPSET);
    ObjectNode ranges = root.putObject("range_constraints");
    ObjectNode batch = ranges.putObject(BATCH_SYMBOL);
    batch.put("min_val", 1);
    batch.putNull("max_val");
    ObjectNode version = root.putObject("schema_version");
    version.put("major", SCHEMA_MAJOR);
    version.put("minor", SCHEMA_MINOR);
    root.putArray("verifiers").add("TRAINING");
    root.put("torch_version", TORCH_VERSION);
    root.putArray("guards_code");
    return root;
  }

  /** The pytree spec of {@code forward(*inputs)}: ((x1, ..., xn), {}), as torch.export writes it. */
  private static String inSpec(int n) {
    ObjectNode args = tuple(n);
    ObjectNode kwargs = F.objectNode();
    kwargs.put("type", "builtins.dict");
    kwargs.put("context", "[]");
    kwargs.putArray("children_spec");
    ObjectNode both = F.objectNode();
    both.put("type", "builtins.tuple");
    both.put("context", "null");
    both.putArray("children_spec").add(args).add(kwargs);
    return spec(both);
  }

  /** One tensor returned as itself; several as a tuple. */
  private static String outSpec(int n) {
    return spec(n == 1 ? leaf() : tuple(n));
  }

  private static ObjectNode tuple(int n) {
    ObjectNode t = F.objectNode();
    t.put("type", "builtins.tuple");
    t.put("context", "null");
    ArrayNode children = t.putArray("children_spec");
    for (int i = 0; i < n; i++) {
      children.add(leaf());
    }
    return t;
  }

  private static ObjectNode leaf() {
    ObjectNode l = F.objectNode();
    l.putNull("type");
    l.putNull("context");
    l.putArray("children_spec");
    return l;
  }

  /** torch.utils._pytree's serialized spec: {@code [protocol, tree]}. */
  private static String spec(ObjectNode tree) {
    try {
      return new ObjectMapper().writeValueAsString(F.arrayNode().add(1).add(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
