package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.ScaledDotProductAttention;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code aten.scaled_dot_product_attention} (what {@code F.scaled_dot_product_attention} and
 * {@code nn.MultiheadAttention}'s forward call): a {@link ScaledDotProductAttention} of the query,
 * key and value the network computes, with {@code is_causal} and {@code scale}, and a float {@code
 * attn_mask} the network computes as a fourth input. Dropout (a {@code dropout_p} other than 0),
 * {@code enable_gqa} and a mask that is a parameter, constant or boolean tensor are refused.
 */
final class AttentionCalls {
  private AttentionCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    ops.put("aten.scaled_dot_product_attention.default", AttentionCalls::attention);
  }

  private static void attention(AtenNode n, ExportLowering lw) {
    List<Tensor> inputs = new ArrayList<>();
    for (String arg : List.of("query", "key", "value")) {
      Tensor t = lw.tensor(n, arg);
      lw.keepsBatch(t, n);
      inputs.add(t);
    }
    Object dropout = n.arg("dropout_p", 0.0);
    if (!(dropout instanceof Number p) || p.doubleValue() != 0.0) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_ARGUMENT.format("dropout_p", dropout));
    }
    if (Boolean.TRUE.equals(n.arg("enable_gqa", false))) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_ARGUMENT.format("enable_gqa", true));
    }
    if (n.arg("attn_mask", null) != null) {
      Value mask = lw.value(n.arg("attn_mask", null));
      if (!(mask instanceof Tensor m) || m.integer()
          || !ScalarTypes.isFloating(lw.meta(((ExportedProgram.TensorArg) n.arg("attn_mask", null)).name()).dtype())) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_ARGUMENT.format("attn_mask",
            ExportLowering.describe(mask)));
      }
      lw.keepsBatch(m, n);
      inputs.add(m);
    }
    Object scale = n.arg("scale", null);
    if (scale != null && !(scale instanceof Number)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_ARGUMENT.format("scale", scale));
    }
    try {
      lw.emit(n, new ScaledDotProductAttention(Framework.TORCH, Boolean.TRUE.equals(n.arg("is_causal", false)),
          scale == null ? Optional.empty() : Optional.of(((Number) scale).doubleValue()), inputs.size() == 4), inputs);
    } catch (ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
  }
}
