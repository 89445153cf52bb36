package dev.sequent.runtime.io.torch;

import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.PickledModule;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.TensorRef;
import dev.sequent.runtime.io.torch.TorchScriptCode.ClassInfo;
import dev.sequent.runtime.io.torch.TorchScriptCode.Expr;
import dev.sequent.runtime.io.torch.TorchScriptCode.OpCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A TorchScript module (the {@code data.pkl} of a {@code torch.jit.save} archive) as tensors named
 * the way its state_dict names them, plus a {@link TorchModule} tree with the hyperparameters of
 * the core layers, so that an {@code nn.Sequential} can be rebuilt:
 *
 * <ul>
 *   <li>Class names lose TorchScript's {@code __torch__.} prefix and {@code ___torch_mangle_N}
 *       segments: {@code __torch__.torch.nn.modules.conv.___torch_mangle_4.Conv2d} is
 *       {@code torch.nn.modules.conv.Conv2d}. User classes keep the prefix ({@code __torch__.MyNet}).
 *   <li>Tensors: {@code __parameters__} then {@code __buffers__} in declared order, then children,
 *       as {@code state_dict()} lists them.
 *   <li>Hyperparameters: a scripted module's {@code Final} constants (the layer's
 *       {@code __constants__}); a traced module has none, so they are recovered from its single
 *       {@code torch.<op>(...)} call and its weights' shapes by the layer's kind
 *       ({@link LayerKind#tracedAttributes}; parameterless activations need none). Anything else
 *       is left out; building an architecture from it then fails naming the missing attribute.
 * </ul>
 */
final class TorchScriptModules {
  private static final Pattern MANGLE = Pattern.compile("\\.___torch_mangle_\\d+");

  private final TorchScriptCode code;
  private final BiFunction<String, TensorRef, NamedTensor> tensor;

  /** @param tensor reads a tensor given its state_dict name */
  TorchScriptModules(TorchScriptCode code, BiFunction<String, TensorRef, NamedTensor> tensor) {
    this.code = code;
    this.tensor = tensor;
  }

  /** The simple-named class: {@code torch.nn.modules.conv.Conv2d} for the mangled TorchScript name. */
  static String className(String qualified) {
    String plain = MANGLE.matcher(qualified).replaceAll("");
    return plain.startsWith(RestrictedUnpickler.TORCHSCRIPT_PREFIX + "torch.")
        ? plain.substring(RestrictedUnpickler.TORCHSCRIPT_PREFIX.length()) : plain;
  }

  TorchModule tree(PickledModule m, String path, Map<String, NamedTensor> tensors) {
    Optional<ClassInfo> info = code.classInfo(m.className);
    List<String> tensorNames = new ArrayList<>();
    if (info.isPresent() && info.get().parameters() != null) {
      tensorNames.addAll(info.get().parameters());
      tensorNames.addAll(info.get().buffers() == null ? List.of() : info.get().buffers());
    } else {
      m.state.forEach((k, v) -> {
        if (v instanceof TensorRef) {
          tensorNames.add(String.valueOf(k));
        }
      });
    }
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (String name : tensorNames) {
      if (m.state.get(name) instanceof TensorRef ref) { // an absent bias is None
        tensors.put(path + name, tensor.apply(path + name, ref));
        shapes.put(name, ref.size());
      }
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    Map<String, TorchModule> children = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : m.state.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() instanceof PickledModule child) {
        children.put(key, tree(child, path + key + ".", tensors));
      } else if (!(e.getValue() instanceof TensorRef) && !key.startsWith("_") && !key.equals("training")) {
        attributes.put(key, PickledValues.plain(e.getValue()));
      }
    }
    String className = className(m.className);
    info.ifPresent(i -> {
      attributes.putAll(i.constants());
      if (i.constants().isEmpty()) {
        traced(className, i.forwardCalls(), shapes).forEach(attributes::putIfAbsent);
      }
    });
    return new TorchModule(className, attributes, children);
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * The hyperparameters of a traced core layer, from the call its forward was traced to, by the
   * kind that reads its class. Defaults are the aten schema's, which TorchScript leaves out when
   * printing a call.
   */
  static Map<String, Object> traced(String className, List<OpCall> calls, Map<String, long[]> shapes) {
    Optional<LayerKind<?>> kind = LayerKinds.forTorchModule(className);
    String layer = simpleName(className);
    if (kind.isEmpty() || kind.get().parameterless(layer)) {
      return Map.of();
    }
    // torch.size(x, d) reads the input's shape (a None output size traces to it): not the layer's call.
    List<OpCall> compute = calls.stream().filter(c -> !c.op().startsWith("_") || c.op().startsWith("_conv"))
        .filter(c -> !c.op().equals("size")).toList();
    if (compute.size() != 1) {
      return Map.of(); // not one recognisable call: record nothing rather than guess
    }
    Map<String, Object> a = new LinkedHashMap<>(kind.get().tracedAttributes(layer, compute.get(0), shapes));
    // A null in a list is a None the kind put there on purpose (adaptive pooling's output size).
    a.values().removeIf(v -> v instanceof Expr
        || (v instanceof List<?> l && l.stream().anyMatch(x -> x != null && !(x instanceof Number))));
    return a;
  }
}
