package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.Concatenate;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.MergeOperator;
import dev.sequent.model.layers.Arithmetic;
import dev.sequent.model.layers.Rescaling;
import dev.sequent.model.layers.TensorOperand;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Elementwise arithmetic: {@code add}, {@code sub}, {@code mul} of two computed tensors (NumPy
 * broadcasting, as {@link ElementwiseMerge} does on samples) and {@code cat}; with a number for
 * one operand ({@code x + 3}, {@code x / 6}, {@code 1 - x}, {@code -x}: what Core ATen IR
 * decomposes hardswish and friends into) a {@link Rescaling} {@code x * scale + offset}; {@code
 * clamp(x, lo, hi)} a Hardtanh (a ReLU for {@code clamp(x, 0)}). With a parameter, buffer or lifted
 * constant of a module for one operand ({@code x * self.scale}), a {@link TensorOperand}.
 */
final class MergeCalls {
  private MergeCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    for (String op : List.of("add", "add_")) {
      ops.put("aten." + op + ".Tensor", (n, lw) -> elementwise(n, lw, MergeOperator.ADD));
    }
    for (String op : List.of("sub", "sub_")) {
      ops.put("aten." + op + ".Tensor", (n, lw) -> elementwise(n, lw, MergeOperator.SUBTRACT));
    }
    for (String op : List.of("mul", "mul_")) {
      ops.put("aten." + op + ".Tensor", (n, lw) -> elementwise(n, lw, MergeOperator.MULTIPLY));
    }
    for (String op : List.of("div", "div_")) {
      ops.put("aten." + op + ".Tensor", (n, lw) -> {
        if (heldOperand(n, lw, Arithmetic.Operator.DIVIDE)) {
          return;
        }
        scalar(n, lw, 1.0 / number(n, "other"), 0.0);
      });
      ops.put("aten." + op + ".Scalar", (n, lw) -> scalar(n, lw, 1.0 / number(n, "other"), 0.0));
    }
    ops.put("aten.add.Scalar", (n, lw) -> scalar(n, lw, 1.0, number(n, "other") * alpha(n)));
    ops.put("aten.sub.Scalar", (n, lw) -> scalar(n, lw, 1.0, -number(n, "other") * alpha(n)));
    ops.put("aten.mul.Scalar", (n, lw) -> scalar(n, lw, number(n, "other"), 0.0));
    ops.put("aten.rsub.Scalar", (n, lw) -> scalar(n, lw, -alpha(n), number(n, "other")));
    ops.put("aten.neg.default", (n, lw) -> scalar(n, lw, -1.0, 0.0));
    for (String op : List.of("aten.clamp.default", "aten.clamp_.default")) {
      ops.put(op, MergeCalls::clamp);
    }
    ops.put("aten.clamp_min.default", MergeCalls::clamp);
    ops.put("aten.cat.default", MergeCalls::cat);
    ops.put("aten.concat.default", MergeCalls::cat);
  }

  private static void elementwise(AtenNode n, ExportLowering lw, MergeOperator operator) {
    if (n.arg("other", null) instanceof Number c) {
      // x + c and x * c arrive as add.Tensor/mul.Tensor with a number operand
      double v = c.doubleValue();
      switch (operator) {
        case ADD -> scalar(n, lw, 1.0, v * alpha(n));
        case SUBTRACT -> scalar(n, lw, 1.0, -v * alpha(n));
        default -> scalar(n, lw, v, 0.0);
      }
      return;
    }
    if (alpha(n) != 1.0) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_SCALED_OPERAND.format("alpha=" + n.arg("alpha", 1)));
    }
    Arithmetic.Operator arithmetic = switch (operator) {
      case ADD -> Arithmetic.Operator.ADD;
      case SUBTRACT -> Arithmetic.Operator.SUBTRACT;
      default -> Arithmetic.Operator.MULTIPLY;
    };
    if (heldOperand(n, lw, arithmetic)) {
      return;
    }
    Tensor a = lw.tensor(n, "self");
    Tensor b = lw.tensor(n, "other");
    lw.keepsBatch(a, n);
    lw.keepsBatch(b, n);
    lw.emit(n, new ElementwiseMerge(Framework.TORCH, operator, 2), List.of(a, b));
  }

  /**
   * {@code x op t} or {@code t op x}, {@code t} a parameter, buffer or lifted constant of a module
   * (a tensor of the archive under its state_dict name): a {@link TensorOperand} named by the
   * module's path, holding {@code t} under its own name there. False when neither operand is one.
   */
  private static boolean heldOperand(AtenNode n, ExportLowering lw, Arithmetic.Operator operator) {
    Value self = lw.value(n.arg("self", null));
    Value other = n.arg("other", null) instanceof ExportedProgram.TensorArg ? lw.value(n.arg("other", null)) : null;
    boolean first = self instanceof Value.Param;
    Value.Param held = first ? (Value.Param) self : other instanceof Value.Param p ? p : null;
    if (held == null) {
      return false;
    }
    Tensor x = lw.tensor(n, first ? "other" : "self");
    lw.keepsBatch(x, n);
    String path = ExportLowering.modulePath(held.name());
    if (path.isEmpty()) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_TOP_LEVEL_TENSOR.format(held.name()));
    }
    String local = held.name().substring(path.length() + 1);
    List<Integer> shape = new ArrayList<>();
    for (long d : held.shape()) {
      shape.add((int) d);
    }
    boolean trainable = lw.isParameter(held.name());
    try {
      TensorOperand layer = new TensorOperand(Framework.TORCH, operator, local, shape, trainable, first);
      if (lw.pathTakenByAnotherLayer(path, layer)) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_HELD_TENSOR_PATH_TAKEN.format(held.name(), path));
      }
      lw.emit(n, layer, List.of(x), new ExportLowering.Module(path, layer, java.util.Set.of(local)));
    } catch (ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
    return true;
  }

  /** {@code self * scale + offset}. */
  private static void scalar(AtenNode n, ExportLowering lw, double scale, double offset) {
    Tensor in = lw.tensor(n, "self");
    if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_SCALED_OPERAND.format("scale " + scale + ", offset "
          + offset));
    }
    lw.emit(n, new Rescaling(Framework.TORCH, List.of(scale), List.of(offset)), List.of(in));
  }

  /**
   * {@code clamp(x, min, max)} is {@code Hardtanh(min, max)} (a bound left out is infinite: Core ATen
   * IR writes hardswish's ReLU6 as {@code clamp(clamp(x, 0), None, 6)}), {@code clamp(x, 0)} a ReLU.
   */
  private static void clamp(AtenNode n, ExportLowering lw) {
    Tensor in = lw.tensor(n, "self");
    Object min = n.arg("min", null);
    Object max = n.arg("max", null);
    if ((min != null && !(min instanceof Number)) || (max != null && !(max instanceof Number))
        || (min == null && max == null)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_CLAMP.format(min, max));
    }
    double lo = min == null ? Double.NEGATIVE_INFINITY : ((Number) min).doubleValue();
    double hi = max == null ? Double.POSITIVE_INFINITY : ((Number) max).doubleValue();
    if (lo == 0.0 && hi == Double.POSITIVE_INFINITY) {
      lw.emit(n, lw.parameterless("ReLU", new AtenCall("relu", Map.of()), Map.of()), List.of(in));
      return;
    }
    boolean relu6 = lo == 0.0 && hi == 6.0;
    lw.emit(n, lw.parameterless(relu6 ? "ReLU6" : "Hardtanh", new AtenCall("hardtanh",
        Map.of("min_val", lo, "max_val", hi)), Map.of()), List.of(in));
  }

  private static double number(AtenNode n, String arg) {
    Object v = n.arg(arg, null);
    if (v instanceof Number x) {
      return x.doubleValue();
    }
    throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_NUMBER.format(arg,
        v instanceof ExportedProgram.TensorArg t ? "the tensor " + t.name() : String.valueOf(v)));
  }

  private static double alpha(AtenNode n) {
    Object alpha = n.arg("alpha", 1);
    if (!(alpha instanceof Number a)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_SCALED_OPERAND.format("alpha=" + alpha));
    }
    return a.doubleValue();
  }

  private static void cat(AtenNode n, ExportLowering lw) {
    if (!(n.arg("tensors", null) instanceof List<?> list)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_COMPUTED_TENSOR.format("tensors", "not a list"));
    }
    List<Tensor> inputs = new ArrayList<>();
    for (Object o : list) {
      if (!(lw.value(o) instanceof Tensor t)) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_COMPUTED_TENSOR.format("tensors",
            ExportLowering.describe(lw.value(o))));
      }
      lw.keepsBatch(t, n);
      inputs.add(t);
    }
    Object dim = n.arg("dim", 0);
    if (!(dim instanceof Integer d)) {
      throw ExportLowering.refuse("dim is " + dim);
    }
    try {
      lw.emit(n, new Concatenate(Framework.TORCH, d, inputs.size()), inputs);
    } catch (ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
  }
}
