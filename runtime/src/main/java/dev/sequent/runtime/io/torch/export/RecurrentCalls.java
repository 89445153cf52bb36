package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.LayerSpec;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportLowering.Module;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN} as the default export keeps them: one {@code
 * aten.lstm.input} (gru, rnn_tanh, rnn_relu) call with the module's flat weights and an initial
 * state of zeros, read by the recurrent kind. Its {@code output} is the layer's sequence; when the
 * only use of it is {@code select(output, 1, -1)} (the classifier's {@code out[:, -1]}) the layer
 * returns its last step instead and the select is lowered with it. {@code h_n} and {@code c_n}, a
 * given initial state, and {@code batch_first=False} (whose axis 0 is time, not the batch) are
 * refused. Core ATen IR unrolls the recurrence into per-step matrix products: that call is read
 * as the module by {@link WholeModuleCalls}.
 */
final class RecurrentCalls {
  private RecurrentCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    ops.put("aten.lstm.input", (n, lw) -> recurrent(n, lw, "LSTM", "lstm"));
    ops.put("aten.gru.input", (n, lw) -> recurrent(n, lw, "GRU", "gru"));
    ops.put("aten.rnn_tanh.input", (n, lw) -> recurrent(n, lw, "RNN", "rnn_tanh"));
    ops.put("aten.rnn_relu.input", (n, lw) -> recurrent(n, lw, "RNN", "rnn_relu"));
  }

  private static void recurrent(AtenNode n, ExportLowering lw, String module, String call) {
    Tensor in = lw.tensor(n, "input");
    if (n.arg("hx", null) instanceof List<?> hx) {
      for (Object h : hx) {
        if (!(lw.value(h) instanceof Value.Zeros)) {
          throw ExportLowering.refuse(RuntimeMessage.EXPORT_RECURRENT_STATE.format(ExportLowering.describe(lw.value(h))));
        }
      }
    } else if (n.arg("hx", null) != null && !(lw.value(n.arg("hx", null)) instanceof Value.Zeros)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_RECURRENT_STATE.format(
          ExportLowering.describe(lw.value(n.arg("hx", null)))));
    }
    if (!Boolean.TRUE.equals(n.arg("batch_first", false))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_RECURRENT_TIME_MAJOR.format());
    }
    if (Boolean.TRUE.equals(n.arg("train", false))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_TRAINING_MODE.format());
    }
    List<Param> params = new ArrayList<>();
    if (n.arg("params", null) instanceof List<?> list) {
      for (Object p : list) {
        if (!(lw.value(p) instanceof Param param)) {
          throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format("params",
              ExportLowering.describe(lw.value(p))));
        }
        params.add(param);
      }
    }
    if (params.isEmpty()) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format("params", "None"));
    }
    Module m = lw.module(module, new AtenCall(call, n), params, Map.of());
    LayerSpec layer = m.layer();
    String output = n.outputs().get(0);
    List<AtenNode> users = lw.users(output);
    AtenNode lastStep = users.size() == 1 && isLastStep(users.get(0), lw, in) ? users.get(0) : null;
    if (lastStep != null && layer instanceof Recurrent r) {
      layer = r.withOutput(Recurrent.Output.LAST_STEP);
    }
    Tensor out = lw.emit(n, layer, List.of(in), new Module(m.path(), layer, m.locals()));
    for (int i = 1; i < n.outputs().size(); i++) {
      lw.bind(n.outputs().get(i), new Value.Unusable(RuntimeMessage.EXPORT_RECURRENT_FINAL_STATE.format(module)));
    }
    if (lastStep != null) {
      lw.consume(lastStep);
      lw.bind(lastStep.outputs().get(0), new Tensor(out.node(), lw.meta(lastStep.outputs().get(0)).sizes(), false));
    }
  }

  /** {@code select(output, 1, -1)} or {@code select(output, 1, steps - 1)}: the time axis' last position. */
  static boolean isLastStep(AtenNode user, ExportLowering lw, Tensor in) {
    if (!user.op().equals("aten.select.int") || !(user.arg("dim", null) instanceof Integer dim)
        || !(user.arg("index", null) instanceof Integer index)) {
      return false;
    }
    int steps = in.sizes().get(1) instanceof Integer s ? s : -1;
    return (dim == 1 || dim == -2) && (index == -1 || (steps > 0 && index == steps - 1));
  }
}
