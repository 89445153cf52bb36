package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.GlobalPool1D;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Permute;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.model.layers.Reshape;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ops that move values without computing: views and reshapes (by the recorded output shape, so a
 * {@code view(x, [s0, 512])} after a pooling is a Flatten whatever the symbols), flatten, squeeze and
 * unsqueeze, permute and transpose (of a computed tensor: a Permute; of a 2-D parameter: the
 * transposed weight {@code addmm} reads), a mean over an image's spatial axes (global average
 * pooling; over a sequence's steps or features, the 1-D global pooling). Slicing is {@link
 * SliceCalls}. The batch axis must stay axis 0.
 */
final class ShapeCalls {
  private ShapeCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    for (String op : List.of("aten.view.default", "aten.reshape.default", "aten._unsafe_view.default",
        "aten.flatten.using_ints", "aten.squeeze.dim", "aten.squeeze.dims", "aten.squeeze.default",
        "aten.unsqueeze.default", "aten.unflatten.int")) {
      ops.put(op, ShapeCalls::reshape);
    }
    ops.put("aten.permute.default", (n, lw) -> {
      Value in = lw.value(n.arg("self", null));
      List<Integer> dims = ints(n.arg("dims", null), "dims");
      permute(n, lw, in, dims);
    });
    ops.put("aten.transpose.int", (n, lw) -> {
      Value in = lw.value(n.arg("self", null));
      int rank = in instanceof Tensor t ? t.rank() : in instanceof Param p ? p.shape().length : 2;
      List<Integer> dims = new ArrayList<>();
      for (int i = 0; i < rank; i++) {
        dims.add(i);
      }
      int a = axis((Integer) n.arg("dim0", 0), rank);
      int b = axis((Integer) n.arg("dim1", 1), rank);
      dims.set(a, b);
      dims.set(b, a);
      permute(n, lw, in, dims);
    });
    ops.put("aten.t.default", (n, lw) -> permute(n, lw, lw.value(n.arg("self", null)), List.of(1, 0)));
    ops.put("aten.numpy_T.default", (n, lw) -> permute(n, lw, lw.value(n.arg("self", null)), List.of(1, 0)));
    ops.put("aten.mean.dim", ShapeCalls::mean);
  }

  private static void reshape(AtenNode n, ExportLowering lw) {
    List<Object> outSizes = lw.meta(n.outputs().get(0)).sizes();
    if (lw.value(n.arg("self", null)) instanceof Value.Folded f) {
      // a view back to the tensor's own sizes unfolds it; any other view of a folded tensor is refused
      if (outSizes.equals(f.tensor().sizes())) {
        lw.bind(n.outputs().get(0), f.tensor());
        return;
      }
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_BATCH_AXIS_MOVED.format(f.sizes(), outSizes));
    }
    Tensor in = lw.tensor(n, "self");
    if (folds(in, outSizes)) {
      lw.bind(n.outputs().get(0), new Value.Folded(in, outSizes));
      return;
    }
    lw.keepsBatch(in, n);
    Tensor out = new Tensor(in.node(), lw.meta(n.outputs().get(0)).sizes(), in.integer());
    Shape from = ExportLowering.sample(in);
    Shape to = ExportLowering.sample(out);
    if (from.equals(to)) {
      lw.bind(n.outputs().get(0), in);
    } else if (to.rank() == 1 && from.rank() > 1) {
      lw.emit(n, lw.parameterless("Flatten", new AtenCall("flatten", Map.of("start_dim", 1, "end_dim", -1)),
          Map.of()), List.of(in));
    } else {
      try {
        lw.emit(n, new Reshape(Framework.TORCH, to.dims()), List.of(in));
      } catch (ShapeException e) {
        throw ExportLowering.refuse(e.getMessage());
      }
    }
  }

  /**
   * Whether {@code out} is {@code in} with its batch axis and the sample axes after it, up to the
   * last ones, folded into one ({@code (N, L, C)} viewed as {@code (N * L, C)}): the trailing sizes
   * equal, the first a symbol (a dynamic batch times the folded sizes) or, with a static batch, the
   * product.
   */
  private static boolean folds(Tensor in, List<Object> out) {
    int keep = out.size() - 1;
    int folded = in.rank() - keep;
    if (keep < 1 || folded < 2 || !out.subList(1, out.size()).equals(in.sizes().subList(folded, in.rank()))) {
      return false;
    }
    long product = 1;
    for (int i = 1; i < folded; i++) {
      if (!(in.sizes().get(i) instanceof Integer d)) {
        return false;
      }
      product *= d;
    }
    if (product == 1) {
      return false; // only axes of size 1 go: the batch stays where it is (a squeeze)
    }
    Object batch = in.sizes().get(0);
    Object first = out.get(0);
    if (batch instanceof Integer b) {
      return first instanceof Integer f && f == b * product;
    }
    return !(first instanceof Integer) && String.valueOf(first).contains(String.valueOf(batch));
  }

  private static void permute(AtenNode n, ExportLowering lw, Value in, List<Integer> dims) {
    if (in instanceof Param p) {
      if (p.shape().length != 2 || !dims.equals(List.of(1, 0))) {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_PARAM_REARRANGED.format(p.name()));
      }
      lw.bind(n.outputs().get(0), new Value.Transposed(p));
      return;
    }
    if (!(in instanceof Tensor t)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_NOT_A_COMPUTED_TENSOR.format("self",
          ExportLowering.describe(in)));
    }
    List<Integer> normal = new ArrayList<>();
    for (int d : dims) {
      normal.add(axis(d, t.rank()));
    }
    if (normal.isEmpty() || normal.get(0) != 0) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_BATCH_AXIS_MOVED.format(t.sizes(),
          lw.meta(n.outputs().get(0)).sizes()));
    }
    List<Integer> sampleDims = normal.subList(1, normal.size());
    boolean identity = true;
    for (int i = 0; i < sampleDims.size(); i++) {
      identity &= sampleDims.get(i) == i + 1;
    }
    if (identity) {
      lw.bind(n.outputs().get(0), t);
      return;
    }
    try {
      lw.emit(n, new Permute(Framework.TORCH, sampleDims), List.of(t));
    } catch (ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
  }

  /** {@code mean(x, [2, 3])} of an image (either order, negative or not): global average pooling. */
  private static void mean(AtenNode n, ExportLowering lw) {
    Tensor in = lw.tensor(n, "self");
    Set<Integer> axes = new HashSet<>();
    for (int d : ints(n.arg("dim", null), "dim")) {
      axes.add(axis(d, in.rank()));
    }
    boolean keep = Boolean.TRUE.equals(n.arg("keepdim", false));
    if (in.rank() == 3 && axes.size() == 1 && n.arg("dtype", null) == null && !keep) {
      // x.mean(2) of (N, a, b) is a channels-first 1-D global pooling; x.mean(1) the same after swapping
      // the axes (a channels-last pooling would be a second data format in a channels-first model)
      Tensor pooled = in;
      if (axes.contains(1)) {
        Tensor swapped = lw.emit(n, new Permute(Framework.TORCH, List.of(2, 1)), List.of(in));
        pooled = new Tensor(swapped.node(), List.of(in.sizes().get(0), in.sizes().get(2), in.sizes().get(1)),
            in.integer());
      }
      lw.emit(n, new GlobalPool1D(Framework.TORCH, Pool2D.Kind.AVG, DataFormat.CHANNELS_FIRST, false),
          List.of(pooled));
      return;
    }
    if (in.rank() != 4 || !axes.equals(Set.of(2, 3)) || n.arg("dtype", null) != null) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_MEAN_AXES.format(axes, in.sizes()));
    }
    if (keep) {
      lw.emit(n, lw.parameterless("AdaptiveAvgPool2d", new AtenCall("adaptive_avg_pool2d",
          Map.of("output_size", List.of(1, 1))), Map.of()), List.of(in));
    } else {
      lw.emit(n, new GlobalPool2D(Framework.TORCH, Pool2D.Kind.AVG, DataFormat.CHANNELS_FIRST, false), List.of(in));
    }
  }

  private static int axis(int d, int rank) {
    return d < 0 ? d + rank : d;
  }

  private static List<Integer> ints(Object v, String name) {
    if (v instanceof List<?> l && l.stream().allMatch(Integer.class::isInstance)) {
      return l.stream().map(Integer.class::cast).toList();
    }
    if (v instanceof Integer i) {
      return List.of(i);
    }
    throw ExportLowering.refuse(name + " is " + v + ", expected a list of ints");
  }
}
