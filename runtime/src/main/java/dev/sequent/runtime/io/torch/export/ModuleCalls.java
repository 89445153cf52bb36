package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.kind.TracedCall;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportLowering.Module;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * ATen ops that are one torch module's forward, in both the default export and Core ATen IR:
 * convolutions, batch norm, linear, layer norm, embedding, poolings, activations, dropout. Each is
 * read by the kind that reads the module ({@link ExportLowering#module}), from the call's
 * arguments and its parameters' shapes, exactly as a traced TorchScript call of it is; the
 * translator only says which module the op is (by the input's rank where that decides it) and
 * under which name the kind knows the call.
 */
final class ModuleCalls {
  private ModuleCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    AtenTranslator conv = (n, lw) -> withParams(n, lw, "input", "_convolution", List.of("weight", "bias"),
        (node, p) -> convModule(node, p.get(0)));
    ops.put("aten.convolution.default", conv);
    ops.put("aten.conv2d.default", (n, lw) -> withParams(n, lw, "input", "conv2d", List.of("weight", "bias"),
        (node, p) -> "Conv2d"));
    ops.put("aten.conv1d.default", (n, lw) -> withParams(n, lw, "input", "conv1d", List.of("weight", "bias"),
        (node, p) -> "Conv1d"));
    ops.put("aten.conv_transpose2d.input", (n, lw) -> withParams(n, lw, "input", "conv_transpose2d",
        List.of("weight", "bias"), (node, p) -> "ConvTranspose2d"));
    List<String> bn = List.of("weight", "bias", "running_mean", "running_var");
    ops.put("aten.batch_norm.default", (n, lw) -> {
      if (Boolean.TRUE.equals(n.arg("training", false))) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_TRAINING_MODE.format());
      }
      withParams(n, lw, "input", "batch_norm", bn, (node, p) -> batchNorm(lw.tensor(node, "input")));
    });
    ops.put("aten._native_batch_norm_legit_no_training.default",
        (n, lw) -> withParams(n, lw, "input", "batch_norm", bn, (node, p) -> batchNorm(lw.tensor(node, "input"))));
    ops.put("aten.linear.default", (n, lw) -> withParams(n, lw, "input", "linear", List.of("weight", "bias"),
        (node, p) -> "Linear"));
    ops.put("aten.layer_norm.default", (n, lw) -> withParams(n, lw, "input", "layer_norm", List.of("weight", "bias"),
        (node, p) -> "LayerNorm"));
    ops.put("aten.native_layer_norm.default", (n, lw) -> withParams(n, lw, "input", "layer_norm",
        List.of("weight", "bias"), (node, p) -> "LayerNorm"));
    ops.put("aten.embedding.default", (n, lw) -> withParams(n, lw, "indices", "embedding", List.of("weight"),
        (node, p) -> "Embedding"));
    ops.put("aten.prelu.default", (n, lw) -> withParams(n, lw, "self", "prelu", List.of("weight"),
        (node, p) -> "PReLU"));

    pool(ops, "aten.max_pool2d.default", "max_pool2d", "MaxPool2d");
    pool(ops, "aten.max_pool2d_with_indices.default", "max_pool2d", "MaxPool2d");
    pool(ops, "aten.avg_pool2d.default", "avg_pool2d", "AvgPool2d");
    pool(ops, "aten.max_pool1d.default", "max_pool1d", "MaxPool1d");
    pool(ops, "aten.avg_pool1d.default", "avg_pool1d", "AvgPool1d");
    pool(ops, "aten.adaptive_avg_pool2d.default", "adaptive_avg_pool2d", "AdaptiveAvgPool2d");
    pool(ops, "aten._adaptive_avg_pool2d.default", "adaptive_avg_pool2d", "AdaptiveAvgPool2d");
    pool(ops, "aten.adaptive_max_pool2d.default", "adaptive_max_pool2d", "AdaptiveMaxPool2d");
    pool(ops, "aten.upsample_nearest2d.vec", "upsample_nearest2d", "UpsamplingNearest2d");
    pool(ops, "aten.constant_pad_nd.default", "constant_pad_nd", "ZeroPad2d");

    activation(ops, "relu", "ReLU");
    activation(ops, "sigmoid", "Sigmoid");
    activation(ops, "tanh", "Tanh");
    activation(ops, "silu", "SiLU");
    activation(ops, "hardswish", "Hardswish");
    activation(ops, "hardsigmoid", "Hardsigmoid");
    activation(ops, "gelu", "GELU");
    activation(ops, "elu", "ELU");
    activation(ops, "selu", "SELU");
    activation(ops, "celu", "CELU");
    activation(ops, "mish", "Mish");
    activation(ops, "leaky_relu", "LeakyReLU");
    activation(ops, "softplus", "Softplus");
    activation(ops, "log_sigmoid", "LogSigmoid");
    activation(ops, "hardshrink", "Hardshrink");
    activation(ops, "softshrink", "Softshrink");
    AtenTranslator hardtanh = (n, lw) -> {
      // ReLU6 is hardtanh(0, 6): named as the module torchvision's models hold
      boolean relu6 = number(n.arg("min_val", -1.0)) == 0.0 && number(n.arg("max_val", 1.0)) == 6.0;
      parameterless(n, lw, "self", "hardtanh", relu6 ? "ReLU6" : "Hardtanh");
    };
    for (String op : List.of("aten.hardtanh.default", "aten.hardtanh_.default")) {
      ops.put(op, hardtanh);
    }
    for (String op : List.of("aten.softmax.int", "aten._softmax.default")) {
      ops.put(op, (n, lw) -> parameterless(n, lw, "self", "softmax", "Softmax"));
    }
    for (String op : List.of("aten.log_softmax.int", "aten._log_softmax.default")) {
      ops.put(op, (n, lw) -> parameterless(n, lw, "self", "log_softmax", "LogSoftmax"));
    }
    // dropout_ is nn.Dropout(inplace=True); feature_dropout is Dropout2d's: all identities in eval
    AtenTranslator dropout = (n, lw) -> {
      if (Boolean.TRUE.equals(n.arg("train", false))) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_TRAINING_MODE.format());
      }
      // the in-place forms name their input self
      parameterless(n, lw, n.args().containsKey("self") ? "self" : "input", "dropout", "Dropout");
    };
    for (String op : List.of("aten.dropout.default", "aten.dropout_.default", "aten.feature_dropout.default",
        "aten.feature_dropout_.default")) {
      ops.put(op, dropout);
    }
  }

  /** {@code relu} and {@code relu_} (the in-place form a module with {@code inplace=True} exports). */
  private static void activation(Map<String, AtenTranslator> ops, String op, String module) {
    AtenTranslator t = (n, lw) -> parameterless(n, lw, "self", op, module);
    ops.put("aten." + op + ".default", t);
    ops.put("aten." + op + "_.default", t);
  }

  private static void pool(Map<String, AtenTranslator> ops, String op, String call, String module) {
    ops.put(op, (n, lw) -> parameterless(n, lw, "self", call, module));
  }

  private static void parameterless(AtenNode n, ExportLowering lw, String input, String call, String module) {
    Tensor in = lw.tensor(n, input);
    lw.emit(n, lw.parameterless(module, new AtenCall(call, n), Map.of()), List.of(in));
  }

  /**
   * A call of a module with parameters: the tensors in {@code paramArgs} (absent or None for an
   * optional one) are the module's.
   */
  private static void withParams(AtenNode n, ExportLowering lw, String input, String call, List<String> paramArgs,
      BiFunction<AtenNode, List<Param>, String> moduleOf) {
    Tensor in = lw.tensor(n, input);
    List<Param> params = new ArrayList<>();
    for (String arg : paramArgs) {
      Optional<Param> p = lw.param(n, arg);
      p.ifPresent(params::add);
    }
    if (params.isEmpty()) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format(paramArgs.get(0), "None"));
    }
    TracedCall traced = new AtenCall(call, n);
    Module module = lw.module(moduleOf.apply(n, params), traced, params, Map.of());
    lw.emit(n, module.layer(), List.of(in), module);
  }

  /** {@code convolution}'s module: by its weight's rank and whether it is transposed. */
  private static String convModule(AtenNode n, Param weight) {
    boolean transposed = Boolean.TRUE.equals(n.arg("transposed", false));
    return switch (weight.shape().length) {
      case 3 -> transposed ? "ConvTranspose1d" : "Conv1d";
      case 4 -> transposed ? "ConvTranspose2d" : "Conv2d";
      default -> "Conv" + (weight.shape().length - 2) + "d";
    };
  }

  /** BatchNorm1d for (N, C) and (N, C, L), BatchNorm2d for (N, C, H, W). */
  private static String batchNorm(Tensor in) {
    return switch (in.rank()) {
      case 2, 3 -> "BatchNorm1d";
      case 4 -> "BatchNorm2d";
      default -> "BatchNorm3d";
    };
  }

  private static double number(Object v) {
    return v instanceof Number x ? x.doubleValue() : Double.NaN;
  }
}
