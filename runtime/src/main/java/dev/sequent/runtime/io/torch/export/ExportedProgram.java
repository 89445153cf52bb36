package dev.sequent.runtime.io.torch.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The serialized {@code ExportedProgram} of a {@code torch.export.save} archive ({@code
 * models/<name>.json}, torch/_export/serde/schema.py) as far as Sequent reads it: the graph's nodes
 * with their decoded arguments, the recorded shape of every tensor value, and the graph signature
 * (which placeholders are parameters, buffers, constants or user inputs, under which state_dict
 * names). Argument values become plain Java values: {@link Integer}, {@link Double}, {@link Boolean},
 * {@link String}, {@code null}, {@link List}, a {@link TensorArg} or a {@link SymArg}.
 *
 * @param schemaMajor the {@code schema_version} major the file was written with
 * @param schemaMinor its minor
 * @param torchVersion the PyTorch that wrote it
 * @param inputs every placeholder of the graph, in order, with what the signature says it is
 * @param nodes the graph's call nodes in order
 * @param outputs the names of the user outputs' tensors, in order
 * @param tensors the recorded meta of every tensor value, by name
 */
public record ExportedProgram(int schemaMajor, int schemaMinor, String torchVersion, List<Placeholder> inputs,
    List<AtenNode> nodes, List<String> outputs, Map<String, TensorMeta> tensors) {

  /** A tensor argument: the value of this name. */
  public record TensorArg(String name) {}

  /** A symbolic integer argument (a dynamic size computed in the graph, such as the batch size). */
  public record SymArg(String name) {}

  /** An argument of a kind Sequent does not decode (a device, a layout, a custom object...): its JSON key. */
  public record OtherArg(String kind, String json) {}

  /** What a graph placeholder is, by its input spec. */
  public enum Role { PARAMETER, BUFFER, CONSTANT, USER_INPUT, OTHER }

  /**
   * One placeholder.
   *
   * @param name the graph value's name ({@code p_fc_weight}, {@code x})
   * @param role what the signature says it is
   * @param target the state_dict name of a parameter, buffer or constant ({@code fc.weight}); the
   *     name for a user input
   * @param specKind the input spec's own key, for messages ({@code parameter}, {@code token}, ...)
   */
  public record Placeholder(String name, Role role, String target, String specKind) {}

  /**
   * One call node.
   *
   * @param name the node's name
   * @param target the op as the file names it ({@code torch.ops.aten.conv2d.default})
   * @param args the arguments by schema name, in order; arguments left at their default are absent
   * @param outputs the names of its outputs (several for ops returning tuples; an unused one still
   *     has a name)
   * @param moduleStack the {@code nn_module_stack} metadata (which module the call ran in), or "" when none
   */
  public record AtenNode(String name, String target, Map<String, Object> args, List<String> outputs,
      String moduleStack) {

    /** The op without {@code torch.ops.}: {@code aten.conv2d.default}. */
    public String op() {
      return target.startsWith("torch.ops.") ? target.substring("torch.ops.".length()) : target;
    }

    /** The argument named {@code name}, or {@code fallback} when the file leaves it at its default. */
    public Object arg(String name, Object fallback) {
      return args.containsKey(name) ? args.get(name) : fallback;
    }

    /** The argument at {@code position} (schema order, as the file lists them), if the file lists it. */
    public Optional<Object> positional(int position) {
      if (position >= args.size()) {
        return Optional.empty();
      }
      return Optional.ofNullable(new ArrayList<>(args.values()).get(position));
    }
  }

  /**
   * A tensor value's recorded meta: its dtype ({@code ScalarType} number) and sizes, each an
   * {@link Integer} or, for a dynamic one, the symbol's text ({@code s77}).
   */
  public record TensorMeta(int dtype, List<Object> sizes) {
    public TensorMeta {
      sizes = List.copyOf(sizes);
    }

    public int rank() {
      return sizes.size();
    }
  }

  public ExportedProgram {
    inputs = List.copyOf(inputs);
    nodes = List.copyOf(nodes);
    outputs = List.copyOf(outputs);
    tensors = Map.copyOf(tensors);
  }

  /**
   * Reads a {@code models/<name>.json} document.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static ExportedProgram parse(JsonNode root) {
    JsonNode version = required(root, "schema_version");
    JsonNode module = required(root, "graph_module");
    JsonNode graph = required(module, "graph");
    Map<String, TensorMeta> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = required(graph, "tensor_values").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      tensors.put(e.getKey(), meta(e.getValue()));
    }
    List<Placeholder> placeholders = new ArrayList<>();
    for (JsonNode spec : required(required(module, "signature"), "input_specs")) {
      placeholders.add(placeholder(spec));
    }
    List<String> outputs = new ArrayList<>();
    for (JsonNode spec : required(required(module, "signature"), "output_specs")) {
      Map.Entry<String, JsonNode> only = spec.fields().next();
      JsonNode arg = only.getValue().path("arg");
      if (!only.getKey().equals("user_output")) {
        throw new IllegalArgumentException("the program's output " + arg + " is a " + only.getKey()
            + " (a training program's output, such as a mutated buffer); Sequent runs inference programs, "
            + "exported from a model in eval() mode");
      }
      outputs.add(arg.has("as_tensor") ? arg.get("as_tensor").path("name").asText()
          : "<" + arg.fields().next().getKey() + ">");
    }
    List<AtenNode> nodes = new ArrayList<>();
    for (JsonNode n : required(graph, "nodes")) {
      Map<String, Object> args = new LinkedHashMap<>();
      for (JsonNode in : n.path("inputs")) {
        args.put(in.path("name").asText(), value(in.path("arg")));
      }
      List<String> outs = new ArrayList<>();
      for (JsonNode out : n.path("outputs")) {
        if (out.has("as_tensors")) {
          // a list-returning op (chunk, split): each element is a value of its own
          out.get("as_tensors").forEach(t -> outs.add(t.path("name").asText()));
        } else {
          outs.add(outputName(out));
        }
      }
      nodes.add(new AtenNode(n.path("name").asText(), n.path("target").asText(), args, outs,
          n.path("metadata").path("nn_module_stack").asText("")));
    }
    return new ExportedProgram(version.path("major").asInt(-1), version.path("minor").asInt(-1),
        root.path("torch_version").asText("unknown"), placeholders, nodes, outputs, tensors);
  }

  private static JsonNode required(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("the serialized program has no \"" + key + "\"");
    }
    return v;
  }

  private static Placeholder placeholder(JsonNode spec) {
    Map.Entry<String, JsonNode> only = spec.fields().next();
    JsonNode s = only.getValue();
    return switch (only.getKey()) {
      case "parameter" -> new Placeholder(s.path("arg").path("name").asText(), Role.PARAMETER,
          s.path("parameter_name").asText(), only.getKey());
      case "buffer" -> new Placeholder(s.path("arg").path("name").asText(), Role.BUFFER,
          s.path("buffer_name").asText(), only.getKey());
      case "tensor_constant" -> new Placeholder(s.path("arg").path("name").asText(), Role.CONSTANT,
          s.path("tensor_constant_name").asText(), only.getKey());
      case "user_input" -> {
        JsonNode arg = s.path("arg");
        String name = arg.has("as_tensor") ? arg.get("as_tensor").path("name").asText() : null;
        yield name == null ? new Placeholder(arg.toString(), Role.OTHER, arg.toString(), "non-tensor user input")
            : new Placeholder(name, Role.USER_INPUT, name, only.getKey());
      }
      default -> new Placeholder(s.path("arg").path("name").asText(s.toString()), Role.OTHER, "", only.getKey());
    };
  }

  private static TensorMeta meta(JsonNode t) {
    List<Object> sizes = new ArrayList<>();
    for (JsonNode s : t.path("sizes")) {
      sizes.add(s.has("as_int") ? (Object) s.get("as_int").asInt()
          : s.path("as_expr").path("expr_str").asText(s.toString()));
    }
    return new TensorMeta(t.path("dtype").asInt(0), sizes);
  }

  private static String outputName(JsonNode out) {
    if (out.has("as_tensor")) {
      return out.get("as_tensor").path("name").asText();
    }
    if (out.has("as_sym_int")) {
      return out.get("as_sym_int").path("as_name").asText();
    }
    return out.fields().hasNext() ? "<" + out.fields().next().getKey() + ">" : "<none>";
  }

  /** One argument's value; see the class comment. */
  static Object value(JsonNode arg) {
    if (!arg.fields().hasNext()) {
      return null;
    }
    Map.Entry<String, JsonNode> only = arg.fields().next();
    JsonNode v = only.getValue();
    return switch (only.getKey()) {
      case "as_none" -> null;
      case "as_tensor" -> new TensorArg(v.path("name").asText());
      case "as_tensors" -> list(v, x -> new TensorArg(x.path("name").asText()));
      case "as_optional_tensors" -> list(v, ExportedProgram::value);
      case "as_optional_tensor" -> value(v);
      case "as_int" -> integer(v);
      case "as_ints" -> list(v, ExportedProgram::integer);
      case "as_float" -> v.asDouble();
      case "as_floats" -> list(v, JsonNode::asDouble);
      case "as_bool" -> v.asBoolean();
      case "as_bools" -> list(v, JsonNode::asBoolean);
      case "as_string" -> v.asText();
      case "as_strings" -> list(v, JsonNode::asText);
      case "as_sym_int" -> symInt(v);
      case "as_sym_ints" -> list(v, ExportedProgram::symInt);
      case "as_sym_float" -> v.has("as_float") ? (Object) v.get("as_float").asDouble() : new SymArg(v.path("as_name").asText());
      default -> new OtherArg(only.getKey(), v.toString());
    };
  }

  private static Object symInt(JsonNode v) {
    return v.has("as_int") ? integer(v.get("as_int")) : new SymArg(v.path("as_name").asText());
  }

  /** An Integer, or a Long for a value beyond int (a slice's end of {@code 2^63 - 1}). */
  private static Object integer(JsonNode v) {
    long x = v.asLong();
    return x == (int) x ? (Object) (int) x : (Object) x;
  }

  private static <T> List<T> list(JsonNode array, java.util.function.Function<JsonNode, T> each) {
    List<T> out = new ArrayList<>();
    for (JsonNode x : array) {
      out.add(each.apply(x));
    }
    return java.util.Collections.unmodifiableList(out);
  }
}
