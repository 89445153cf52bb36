package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.LayerSpec;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportLowering.Module;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code _native_multi_head_attention}: {@code nn.MultiheadAttention}'s fused inference kernel (its
 * fast path, and the attention of {@code _transformer_encoder_layer_fwd}, which the TorchScript
 * reader expands into it), lowered onto a {@code MultiheadAttention} module named by its {@code
 * in_proj_weight}'s path (the {@code out_proj} Linear's tensors are the module's {@code
 * out_proj.weight} and {@code out_proj.bias}). Self-attention without a mask only: the query is
 * also key and value.
 */
final class NativeAttentionCalls {
  private static final String MODULE = "MultiheadAttention";

  private NativeAttentionCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    ops.put("aten._native_multi_head_attention.default", NativeAttentionCalls::nativeAttention);
  }

  private static void nativeAttention(AtenNode n, ExportLowering lw) {
    Tensor q = lw.tensor(n, "query");
    if (!lw.tensor(n, "key").node().equals(q.node()) || !lw.tensor(n, "value").node().equals(q.node())) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_NOT_SELF.format());
    }
    if (n.arg("mask", null) != null) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_ATTENTION_MASK.format());
    }
    Param qkv = lw.param(n, "qkv_weight").orElseThrow(() ->
        ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format("qkv_weight", "None")));
    Param proj = lw.param(n, "proj_weight").orElseThrow(() ->
        ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format("proj_weight", "None")));
    Optional<Param> qkvBias = lw.param(n, "qkv_bias");
    Optional<Param> projBias = lw.param(n, "proj_bias");
    String path = ExportLowering.modulePath(qkv.name());
    Map<String, Param> locals = new LinkedHashMap<>();
    locals.put("in_proj_weight", qkv);
    qkvBias.ifPresent(b -> locals.put("in_proj_bias", b));
    locals.put("out_proj.weight", proj);
    projBias.ifPresent(b -> locals.put("out_proj.bias", b));
    Set<String> used = new LinkedHashSet<>();
    for (Map.Entry<String, Param> e : locals.entrySet()) {
      if (!e.getValue().name().equals(path + "." + e.getKey())) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_PARAMS_OF_SEVERAL_MODULES.format(
            locals.values().stream().map(Param::name).toList()));
      }
      used.add(e.getValue().name());
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("embed_dim", n.arg("embed_dim", null));
    attributes.put("num_heads", n.arg("num_head", null));
    attributes.put("batch_first", true); // the batch is axis 0 of every lowered tensor
    String className = lw.torchModule(MODULE);
    LayerKind<?> kind = LayerKinds.forTorchModule(className).orElseThrow();
    LayerSpec layer;
    try {
      layer = kind.fromTorch(new TorchModuleInput(path, className, attributes, used::contains));
    } catch (UnsupportedLayerException | ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
    lw.emit(n, layer, List.of(q), new Module(path, layer, Set.copyOf(locals.keySet())));
  }
}
