package dev.sequent.runtime.io.torch.export;

import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportLowering.Module;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Linear as Core ATen IR writes it: {@code addmm(bias, x, t(weight))} ({@code permute(weight, [1,
 * 0])} or {@code t(weight)}), or {@code mm(x, t(weight))} without a bias. The transposed weight is a
 * {@link Value.Transposed} made by the shape ops; the layer is read by the Linear module's kind, as
 * {@code aten.linear} is. A product of two computed tensors is refused.
 */
final class MatmulCalls {
  private MatmulCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    ops.put("aten.addmm.default", (n, lw) -> {
      for (String scale : List.of("beta", "alpha")) {
        Object v = n.arg(scale, 1);
        if (!(v instanceof Number x) || x.doubleValue() != 1.0) {
          throw ExportLowering.refuse(RuntimeMessage.EXPORT_SCALED_OPERAND.format(scale + "=" + v));
        }
      }
      linear(n, lw, "mat1", "mat2", lw.param(n, "self").orElse(null));
    });
    ops.put("aten.mm.default", (n, lw) -> linear(n, lw, "self", "mat2", null));
  }

  private static void linear(AtenNode n, ExportLowering lw, String input, String weightArg, Param bias) {
    // a Linear over a sequence: addmm of the sequence folded into rows, the layer runs on the sequence
    Value.Folded folded = lw.value(n.arg(input, null)) instanceof Value.Folded f ? f : null;
    Tensor in = folded != null ? folded.tensor() : lw.tensor(n, input);
    if (!(lw.value(n.arg(weightArg, null)) instanceof Value.Transposed w)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MATMUL_OPERAND.format(weightArg,
          ExportLowering.describe(lw.value(n.arg(weightArg, null)))));
    }
    if (bias != null && bias.shape().length != 1) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MATMUL_OPERAND.format("self", "a bias of shape "
          + java.util.Arrays.toString(bias.shape())));
    }
    List<Param> params = new ArrayList<>(List.of(w.param()));
    if (bias != null) {
      params.add(bias);
    }
    Module module = lw.module("Linear", new AtenCall("linear", Map.of()), params, Map.of());
    Tensor out = lw.emit(n, module.layer(), List.of(in), module);
    if (folded != null) {
      List<Object> sizes = new ArrayList<>(in.sizes());
      sizes.set(sizes.size() - 1, out.sizes().get(out.rank() - 1));
      lw.bind(n.outputs().get(0), new Value.Folded(new Tensor(out.node(), sizes, false), out.sizes()));
    }
  }
}
