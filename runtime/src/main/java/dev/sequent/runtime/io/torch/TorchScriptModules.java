package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.TorchModule;
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
import java.util.Set;
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
 *       {@code torch.<op>(...)} call and its weights' shapes, for Linear, Conv2d, MaxPool2d,
 *       AvgPool2d, BatchNorm1d/2d, Flatten, Softmax, Dropout, LeakyReLU, ELU, GELU, Softplus (the
 *       parameterless activations need none). Anything else is left out; building an architecture
 *       from it then fails naming the missing attribute.
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
        traced(simpleName(className), i.forwardCalls(), shapes).forEach(attributes::putIfAbsent);
      }
    });
    return new TorchModule(className, attributes, children);
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static final Set<String> PARAMETERLESS = Set.of("ReLU", "Tanh", "Sigmoid", "SiLU", "SELU", "Identity");

  /**
   * The hyperparameters of a traced core layer, from the call its forward was traced to. Defaults
   * are the aten schema's, which TorchScript leaves out when printing a call.
   */
  static Map<String, Object> traced(String layer, List<OpCall> calls, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (PARAMETERLESS.contains(layer)) {
      return a;
    }
    List<OpCall> compute = calls.stream().filter(c -> !c.op().startsWith("_") || c.op().startsWith("_conv")).toList();
    if (compute.size() != 1) {
      return a; // not one recognisable call: record nothing rather than guess
    }
    OpCall c = compute.get(0);
    long[] weight = shapes.get("weight");
    switch (layer + "/" + c.op()) {
      case "Linear/linear" -> {
        if (weight != null && weight.length == 2) {
          a.put("in_features", (int) weight[1]);
          a.put("out_features", (int) weight[0]);
        }
      }
      case "Conv2d/_convolution", "Conv2d/conv2d", "Conv2d/_convolution_mode" -> {
        boolean mode = c.op().equals("_convolution_mode");
        boolean convolution = c.op().equals("_convolution");
        if (weight == null || weight.length != 4 || (convolution && !Boolean.FALSE.equals(c.arg(6, "transposed", null)))) {
          return a;
        }
        Object groups = c.arg(convolution ? 8 : 6, "groups", 1);
        if (!(groups instanceof Integer g)) {
          return a;
        }
        a.put("in_channels", (int) weight[1] * g);
        a.put("out_channels", (int) weight[0]);
        a.put("kernel_size", List.of((int) weight[2], (int) weight[3]));
        a.put("stride", pair(c.arg(3, "stride", 1)));
        a.put("padding", mode ? c.arg(4, "padding", "valid") : pair(c.arg(4, "padding", 0)));
        a.put("dilation", pair(c.arg(5, "dilation", 1)));
        a.put("groups", g);
        a.put("padding_mode", "zeros"); // other modes trace to an explicit pad call before this one
      }
      case "MaxPool2d/max_pool2d" -> {
        Object kernel = pair(c.arg(1, "kernel_size", null));
        a.put("kernel_size", kernel);
        a.put("stride", strideOr(c.arg(2, "stride", List.of()), kernel));
        a.put("padding", pair(c.arg(3, "padding", 0)));
        a.put("dilation", pair(c.arg(4, "dilation", 1)));
        a.put("ceil_mode", c.arg(5, "ceil_mode", false));
      }
      case "AvgPool2d/avg_pool2d" -> {
        Object kernel = pair(c.arg(1, "kernel_size", null));
        a.put("kernel_size", kernel);
        a.put("stride", strideOr(c.arg(2, "stride", List.of()), kernel));
        a.put("padding", pair(c.arg(3, "padding", 0)));
        a.put("ceil_mode", c.arg(4, "ceil_mode", false));
        a.put("count_include_pad", c.arg(5, "count_include_pad", true));
        a.put("divisor_override", c.arg(6, "divisor_override", null));
      }
      case "BatchNorm1d/batch_norm", "BatchNorm2d/batch_norm" -> {
        long[] stats = shapes.getOrDefault("running_mean", weight);
        if (stats == null || stats.length != 1) {
          return a;
        }
        a.put("num_features", (int) stats[0]);
        a.put("momentum", c.arg(6, "momentum", null));
        a.put("eps", c.arg(7, "eps", null));
        a.put("affine", shapes.containsKey("weight"));
        a.put("track_running_stats", shapes.containsKey("running_mean"));
      }
      case "Flatten/flatten" -> {
        a.put("start_dim", c.arg(1, "start_dim", 0));
        a.put("end_dim", c.arg(2, "end_dim", -1));
      }
      case "Softmax/softmax" -> a.put("dim", c.arg(1, "dim", null));
      case "Dropout/dropout" -> a.put("p", c.arg(1, "p", null));
      case "LeakyReLU/leaky_relu" -> a.put("negative_slope", c.arg(1, "negative_slope", 0.01));
      case "ELU/elu" -> a.put("alpha", c.arg(1, "alpha", 1.0));
      case "GELU/gelu" -> a.put("approximate", c.arg(1, "approximate", "none"));
      case "Softplus/softplus" -> {
        a.put("beta", c.arg(1, "beta", 1.0));
        a.put("threshold", c.arg(2, "threshold", 20.0));
      }
      default -> { }
    }
    a.values().removeIf(v -> v instanceof Expr || (v instanceof List<?> l && l.stream().anyMatch(x -> !(x instanceof Number))));
    return a;
  }

  /** An int or a list of ints as PyTorch's module attributes hold them: a 2-list stays, an int doubles. */
  private static Object pair(Object v) {
    if (v instanceof Integer i) {
      return List.of(i, i);
    }
    if (v instanceof List<?> list && list.size() == 1) {
      return List.of(list.get(0), list.get(0));
    }
    return v;
  }

  /** aten pooling's empty stride means "the kernel size". */
  private static Object strideOr(Object stride, Object kernel) {
    return stride instanceof List<?> l && l.isEmpty() ? kernel : pair(stride);
  }
}
