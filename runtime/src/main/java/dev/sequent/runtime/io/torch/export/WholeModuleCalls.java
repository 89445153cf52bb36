package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.LayerSpec;
import dev.sequent.model.layers.MultiHeadAttentionKind;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.model.layers.RecurrentKind;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportLowering.Module;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorArg;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Module calls read as the module rather than op by op: the nodes an exported program records for
 * one call of such a module (its {@code nn_module_stack} metadata names the call) are lowered
 * together onto the module's layer, read by the module's kind from its parameters and the
 * recorded shapes. This is for modules whose forward Sequent's per-sample layers cannot follow op
 * by op: {@code nn.MultiheadAttention} computes time-major and folds the batch into the heads
 * ({@code F.multi_head_attention_forward}), in the default export and after {@code
 * run_decompositions()} alike; Core ATen IR unrolls {@code nn.LSTM}/{@code GRU}/{@code RNN} into
 * time-major per-step products. Exactness is checked, not assumed: the call must read one tensor
 * (self-attention) and the module's packed parameters, give one tensor of the input's sizes, be
 * batch-first (its first step transposes the input's batch and time axes), unmasked and not causal;
 * anything else falls back to the ops one by one, where the generic translators say what they lack.
 */
final class WholeModuleCalls {
  private WholeModuleCalls() {}

  /** How one module class is read from one call's nodes; false where its ops are read one by one instead. */
  @FunctionalInterface
  private interface ModuleReader {
    boolean lower(String path, List<AtenNode> call, ExportLowering lw);
  }

  private static final Map<String, ModuleReader> READERS = Map.of(
      MultiHeadAttentionKind.TORCH_MODULE, WholeModuleCalls::multiheadAttention,
      RecurrentKind.TORCH_PACKAGE + "LSTM", (p, c, lw) -> recurrent("LSTM", p, c, lw),
      RecurrentKind.TORCH_PACKAGE + "GRU", (p, c, lw) -> recurrent("GRU", p, c, lw),
      RecurrentKind.TORCH_PACKAGE + "RNN", (p, c, lw) -> recurrent("RNN", p, c, lw));

  /** One entry of a node's {@code nn_module_stack}: {@code key,path,class}. */
  private record Frame(String key, String path, String className) {}

  /** The calls of modules read whole, by their first node: runs of consecutive nodes within one call. */
  static Map<AtenNode, List<AtenNode>> groups(List<AtenNode> nodes) {
    Map<AtenNode, List<AtenNode>> groups = new LinkedHashMap<>();
    Frame current = null;
    List<AtenNode> run = null;
    for (AtenNode n : nodes) {
      Frame f = frame(n);
      if (f != null && f.equals(current)) {
        run.add(n);
        continue;
      }
      current = f;
      run = null;
      if (f != null) {
        run = new ArrayList<>();
        run.add(n);
        groups.put(n, run);
      }
    }
    return groups;
  }

  /** "the call of layers.0.self_attn (torch.nn.modules.activation.MultiheadAttention)". */
  static String describe(AtenNode first) {
    Frame f = frame(first);
    return f == null ? first.name() : "the call of " + f.path() + " (" + f.className() + ")";
  }

  /** Lowers the call as its module; false where it is left to the ops one by one (a recurrent layer's fused op). */
  static boolean lower(List<AtenNode> call, ExportLowering lw) {
    Frame f = frame(call.get(0));
    return READERS.get(f.className()).lower(f.path(), call, lw);
  }

  /** The outermost frame of a module read whole, or null. */
  private static Frame frame(AtenNode n) {
    if (n.moduleStack() == null || n.moduleStack().isEmpty()) {
      return null;
    }
    for (String entry : n.moduleStack().split(";")) {
      int first = entry.indexOf(',');
      int last = entry.lastIndexOf(',');
      if (first < 0 || last <= first) {
        continue;
      }
      String className = entry.substring(last + 1);
      if (READERS.containsKey(className)) {
        return new Frame(entry.substring(0, first), entry.substring(first + 1, last), className);
      }
    }
    return null;
  }

  /** What a call reads from outside it (tensors and parameters) and gives to nodes outside it. */
  private record Boundary(List<Tensor> inputs, List<String> inputNames, List<Param> params, List<String> outputs) {}

  private static Boundary boundary(List<AtenNode> call, ExportLowering lw) {
    Set<String> inside = new HashSet<>();
    Set<AtenNode> members = new HashSet<>(call);
    call.forEach(n -> inside.addAll(n.outputs()));
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    Map<String, Param> params = new LinkedHashMap<>();
    for (AtenNode n : call) {
      for (Object arg : n.args().values()) {
        List<?> args = arg instanceof List<?> l ? l : List.of(arg == null ? List.of() : arg);
        for (Object a : args) {
          if (!(a instanceof TensorArg t) || inside.contains(t.name())) {
            continue;
          }
          Value v = lw.value(t);
          if (v instanceof Value.Size) {
            continue; // sizes only feed views, which the module's layer does not need
          }
          if (v instanceof Tensor x) {
            inputs.put(t.name(), x);
          } else if (v instanceof Param p) {
            params.put(p.name(), p);
          } else {
            throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(describe(call.get(0)),
                "reads " + ExportLowering.describe(v)));
          }
        }
      }
    }
    Set<String> outputs = new LinkedHashSet<>();
    for (AtenNode n : call) {
      for (String o : n.outputs()) {
        if (lw.isProgramOutput(o) || lw.users(o).stream().anyMatch(u -> !members.contains(u))) {
          outputs.add(o);
        }
      }
    }
    return new Boundary(List.copyOf(inputs.values()), List.copyOf(inputs.keySet()), List.copyOf(params.values()),
        List.copyOf(outputs));
  }

  /**
   * {@code nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)} called as self-attention,
   * {@code attn(x, x, x, need_weights=False)} (as nn.TransformerEncoderLayer calls it): embed_dim
   * from {@code in_proj_weight [3E, E]}, num_heads from the per-head view {@code (N, heads, L, E /
   * heads)} the call records.
   */
  private static boolean multiheadAttention(String path, List<AtenNode> call, ExportLowering lw) {
    String what = describe(call.get(0));
    Boundary b = boundary(call, lw);
    if (b.inputs().size() != 1 || b.outputs().size() != 1) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "reads " + b.inputs().size()
          + " tensors and gives " + b.outputs().size() + " (Sequent reads self-attention, attn(x, x, x), "
          + "giving its output only, whole)"));
    }
    Tensor x = b.inputs().get(0);
    String out = b.outputs().get(0);
    if (x.rank() != 3 || !lw.meta(out).sizes().equals(x.sizes())) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "maps " + x.sizes() + " to "
          + lw.meta(out).sizes() + ", not a (batch, steps, features) sequence to one of its sizes"));
    }
    int steps = x.dim(1);
    int e = x.dim(2);
    if (!transposesBatchAndTime(call, b.inputNames().get(0))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "does not start by swapping "
          + "the batch and time axes of its input, as a batch_first=True module does"));
    }
    for (AtenNode n : call) {
      boolean masked = n.op().startsWith("aten.scaled_dot_product_attention")
          && (n.arg("attn_mask", null) != null || Boolean.TRUE.equals(n.arg("is_causal", false)));
      if (masked || n.op().startsWith("aten.arange") || n.op().startsWith("aten.tril")
          || n.op().startsWith("aten.triu") || n.op().startsWith("aten.masked_fill")) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "masks the attention ("
            + n.name() + ", " + n.op() + "), which Sequent does not read whole"));
      }
    }
    Integer heads = null;
    for (AtenNode n : call) {
      for (String o : n.outputs()) {
        ExportedProgram.TensorMeta m = lw.program().tensors().get(o);
        if (m != null && m.rank() == 4 && m.sizes().get(0).equals(x.sizes().get(0))
            && m.sizes().get(1) instanceof Integer h && m.sizes().get(2) instanceof Integer l && l == steps
            && m.sizes().get(3) instanceof Integer d && h * d == e) {
          heads = h;
          break;
        }
      }
      if (heads != null) {
        break;
      }
    }
    if (heads == null) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "records no per-head view "
          + "(batch, heads, steps, features / heads) to read num_heads from"));
    }
    Map<String, Object> attributes = Map.of("embed_dim", e, "num_heads", heads, "batch_first", true);
    Module m = lw.module("MultiheadAttention", new AtenCall("multi_head_attention_forward", Map.of()), b.params(),
        attributes, path);
    Tensor result = lw.emit(call.get(0), m.layer(), List.of(x), m);
    lw.bind(out, new Tensor(result.node(), lw.meta(out).sizes(), false));
    return true;
  }

  /**
   * {@code nn.LSTM}, {@code nn.GRU}, {@code nn.RNN} with {@code batch_first=True} as Core ATen IR
   * unrolls them (per-step products, gates split and combined): the module's attributes from its
   * parameters' names and shapes ({@code weight_ih_l<k>[_reverse]}, {@code bias_ih_l0}), read by the
   * recurrent kind as the fused {@code aten.lstm} call is ({@link RecurrentCalls}), and the sequence
   * its only output; {@code out[:, -1]} after it is the layer's last step, as there. A call that
   * keeps the fused op is left to {@link RecurrentCalls}.
   */
  private static boolean recurrent(String module, String path, List<AtenNode> call, ExportLowering lw) {
    if (call.stream().anyMatch(n -> n.op().startsWith("aten." + module.toLowerCase(java.util.Locale.ROOT) + ".")
        || n.op().startsWith("aten.rnn_"))) {
      return false;
    }
    String what = describe(call.get(0));
    Boundary b = boundary(call, lw);
    if (b.inputs().size() != 1 || b.outputs().size() != 1) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "reads " + b.inputs().size()
          + " tensors and gives " + b.outputs().size() + " (Sequent reads a recurrent layer from zeros, giving its "
          + "output sequence only, whole)"));
    }
    Tensor x = b.inputs().get(0);
    String out = b.outputs().get(0);
    List<Object> outSizes = lw.meta(out).sizes();
    if (x.rank() != 3 || outSizes.size() != 3 || !outSizes.get(0).equals(x.sizes().get(0))
        || !outSizes.get(1).equals(x.sizes().get(1))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "maps " + x.sizes() + " to "
          + outSizes + ", not a (batch, steps, features) sequence to its output sequence"));
    }
    if (!transposesBatchAndTime(call, b.inputNames().get(0))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MODULE_CALL_FORM.format(what, "does not start by swapping "
          + "the batch and time axes of its input, as a batch_first=True module does"));
    }
    Set<String> locals = new HashSet<>();
    for (Param p : b.params()) {
      locals.add(p.name().substring(path.isEmpty() ? 0 : path.length() + 1));
    }
    int layers = 0;
    while (locals.contains("weight_ih_l" + layers)) {
      layers++;
    }
    String op = module.toLowerCase(java.util.Locale.ROOT);
    if (module.equals("RNN")) {
      op = call.stream().anyMatch(n -> n.op().startsWith("aten.relu")) ? "rnn_relu" : "rnn_tanh";
    }
    Map<String, Object> args = Map.of("num_layers", Math.max(1, layers), "has_biases", locals.contains("bias_ih_l0"),
        "bidirectional", locals.contains("weight_ih_l0_reverse"), "batch_first", true);
    Module m = lw.module(module, new AtenCall(op, args), b.params(), Map.of(), path);
    LayerSpec layer = m.layer();
    List<AtenNode> users = lw.users(out);
    AtenNode lastStep = users.size() == 1 && RecurrentCalls.isLastStep(users.get(0), lw, x) ? users.get(0) : null;
    if (lastStep != null && layer instanceof Recurrent r) {
      layer = r.withOutput(Recurrent.Output.LAST_STEP);
    }
    Tensor result = lw.emit(call.get(0), layer, List.of(x), new Module(m.path(), layer, m.locals()));
    lw.bind(out, new Tensor(result.node(), outSizes, false));
    if (lastStep != null) {
      lw.consume(lastStep);
      lw.bind(lastStep.outputs().get(0), new Tensor(result.node(), lw.meta(lastStep.outputs().get(0)).sizes(),
          false));
    }
    return true;
  }

  /** Whether the call swaps axes 0 and 1 of its input ({@code transpose(x, 1, 0)} or {@code permute(x, [1, 0, 2])}). */
  private static boolean transposesBatchAndTime(List<AtenNode> call, String input) {
    for (AtenNode n : call) {
      if (!(n.arg("self", null) instanceof TensorArg t) || !t.name().equals(input)) {
        continue;
      }
      if (n.op().equals("aten.transpose.int")) {
        Set<Object> dims = Set.of(n.arg("dim0", 0), n.arg("dim1", 1));
        return dims.equals(Set.of(0, 1)) || dims.equals(Set.of(0, -2)) || dims.equals(Set.of(1, -3))
            || dims.equals(Set.of(-3, -2));
      }
      if (n.op().equals("aten.permute.default")) {
        return List.of(1, 0, 2).equals(n.arg("dims", null)) || List.of(1, 0, -1).equals(n.arg("dims", null));
      }
    }
    return false;
  }
}
