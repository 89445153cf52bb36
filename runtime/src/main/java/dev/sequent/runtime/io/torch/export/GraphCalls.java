package dev.sequent.runtime.io.torch.export;

import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import java.util.List;
import java.util.Map;

/**
 * Nodes that compute nothing a layer would: copies and aliases ({@code contiguous}, {@code clone},
 * {@code alias}, {@code detach}: the value itself), symbolic sizes ({@code sym_size} and the
 * arithmetic on them, which only views read, and those take sizes from the recorded shapes),
 * run-time assertions on sizes (dropped: Sequent checks shapes itself), and tensors of zeros made
 * in the graph (a recurrent layer's default initial state).
 */
final class GraphCalls {
  private GraphCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    AtenTranslator same = (n, lw) -> lw.bind(n.outputs().get(0), lw.value(n.arg(first(n), null)));
    for (String op : List.of("aten.contiguous.default", "aten.clone.default", "aten.alias.default",
        "aten.detach.default", "aten.detach_.default", "aten.lift_fresh_copy.default")) {
      ops.put(op, same);
    }
    AtenTranslator size = (n, lw) -> n.outputs().forEach(o -> lw.bind(o, new Value.Size(o)));
    for (String op : List.of("aten.sym_size.int", "aten.sym_numel.default", "_operator.mul", "_operator.add",
        "_operator.sub", "_operator.floordiv", "_operator.mod", "torch.sym_max", "torch.sym_min",
        "torch.sym_sum")) {
      ops.put(op, size);
    }
    AtenTranslator assertion = (n, lw) -> n.outputs().forEach(o ->
        lw.bind(o, new Value.Unusable(RuntimeMessage.EXPORT_SECOND_OUTPUT.format(n.op()))));
    for (String op : List.of("aten._assert_scalar.default", "aten.sym_constrain_range_for_size.default",
        "aten.sym_constrain_range.default", "aten._assert_tensor_metadata.default", "aten._assert_async.msg")) {
      ops.put(op, assertion);
    }
    AtenTranslator zeros = (n, lw) -> {
      Object fill = n.arg("fill_value", 0);
      if (!(fill instanceof Number f) || f.doubleValue() != 0.0) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_CONSTANT_TENSOR.format(n.op()));
      }
      lw.bind(n.outputs().get(0), new Value.Zeros(n.name()));
    };
    for (String op : List.of("aten.zeros.default", "aten.full.default", "aten.new_zeros.default",
        "aten.zeros_like.default")) {
      ops.put(op, zeros);
    }
  }

  /** The node's first argument (its input), by whatever name the op gives it. */
  private static String first(AtenNode n) {
    return n.args().keySet().stream().findFirst().orElseThrow(() ->
        ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_COMPUTED_TENSOR.format("self", "None")));
  }
}
