package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ShapeException;
import dev.sequent.model.layers.Slice;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Indexing along one sample axis, each a {@link Slice} layer: {@code slice} ({@code x[:, a:b:s]}),
 * {@code select} ({@code x[:, i]}; a recurrent layer's {@code out[:, -1]} is lowered with the layer
 * by {@link RecurrentCalls} first), {@code narrow}, and the ops with several outputs, {@code split},
 * {@code split_with_sizes}, {@code chunk} and {@code unbind}, whose every used piece becomes a Slice
 * of its own, cut where the recorded sizes of the pieces before it end. A slice that keeps the
 * whole axis is the tensor itself; a slice of the batch axis that does not is refused.
 */
final class SliceCalls {
  private SliceCalls() {}

  static void register(Map<String, AtenTranslator> ops) {
    ops.put("aten.slice.Tensor", SliceCalls::slice);
    ops.put("aten.select.int", SliceCalls::select);
    ops.put("aten.narrow.default", SliceCalls::narrow);
    for (String op : List.of("aten.split.Tensor", "aten.split_with_sizes.default", "aten.chunk.default",
        "aten.unsafe_split.Tensor", "aten.unsafe_split_with_sizes.default", "aten.unsafe_chunk.default",
        "aten.tensor_split.sections", "aten.split_copy.Tensor", "aten.split_with_sizes_copy.default")) {
      ops.put(op, (n, lw) -> pieces(n, lw, false));
    }
    for (String op : List.of("aten.unbind.int", "aten.unbind_copy.int")) {
      ops.put(op, (n, lw) -> pieces(n, lw, true));
    }
  }

  private static void slice(AtenNode n, ExportLowering lw) {
    Tensor in = lw.tensor(n, "self");
    if (lw.meta(n.outputs().get(0)).sizes().equals(in.sizes())) {
      lw.bind(n.outputs().get(0), in);
      return;
    }
    int dim = dim(n, lw, in);
    int start = bound(n, "start", 0);
    int end = bound(n, "end", Integer.MAX_VALUE);
    int step = bound(n, "step", 1);
    lw.emit(n, layer(() -> Slice.range(Framework.TORCH, dim, start, end, step)), List.of(in));
  }

  private static void select(AtenNode n, ExportLowering lw) {
    Tensor in = lw.tensor(n, "self");
    int dim = dim(n, lw, in);
    int index = bound(n, "index", 0);
    lw.emit(n, layer(() -> Slice.index(Framework.TORCH, dim, index)), List.of(in));
  }

  private static void narrow(AtenNode n, ExportLowering lw) {
    Tensor in = lw.tensor(n, "self");
    int dim = dim(n, lw, in);
    int length = in.dim(dim);
    int start = bound(n, "start", 0);
    int from = start < 0 ? start + length : start;
    int end = from + bound(n, "length", length);
    lw.emit(n, layer(() -> Slice.range(Framework.TORCH, dim, from, end, 1)), List.of(in));
  }

  /**
   * Each used output of a split (or unbind: one position each, the axis dropped) as a Slice of the
   * input, its position along the axis where the pieces before it end: the recorded output sizes
   * say where the op cut, whatever its arguments (sizes, a count, sections).
   */
  private static void pieces(AtenNode n, ExportLowering lw, boolean drop) {
    Tensor in = lw.tensor(n, "self");
    int dim = dim(n, lw, in);
    int at = 0;
    for (int i = 0; i < n.outputs().size(); i++) {
      String out = n.outputs().get(i);
      List<Object> sizes = lw.meta(out).sizes();
      int length;
      if (drop) {
        length = 1;
      } else if (sizes.size() == in.rank() && sizes.get(dim) instanceof Integer d) {
        length = d;
      } else {
        throw ExportLowering.refuse(RuntimeMessage.EXPORT_PIECE_SHAPE.format(out, sizes, in.sizes()));
      }
      int start = at;
      at += length;
      if (!lw.used(out)) {
        continue;
      }
      LayerSpec piece = drop ? layer(() -> Slice.index(Framework.TORCH, dim, start))
          : layer(() -> Slice.range(Framework.TORCH, dim, start, start + length, 1));
      lw.emitOutput(n, i, piece, List.of(in));
    }
  }

  /** The op's {@code dim}, non-negative; the batch axis is refused. */
  private static int dim(AtenNode n, ExportLowering lw, Tensor in) {
    Object d = n.arg("dim", 0);
    if (!(d instanceof Integer dim)) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_SLICE_BOUND.format("dim", d));
    }
    int axis = dim < 0 ? dim + in.rank() : dim;
    if (axis == 0) {
      throw ExportLowering.refuse(RuntimeMessage.EXPORT_SLICES_BATCH.format(n.op(), in.sizes()));
    }
    return axis;
  }

  /** A bound: an int, a long beyond int clamped (a slice "to the end" is {@code 2^63 - 1}), None the fallback. */
  private static int bound(AtenNode n, String name, int fallback) {
    Object v = n.arg(name, null);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Long l) {
      return l > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    }
    throw ExportLowering.refuse(RuntimeMessage.EXPORT_SLICE_BOUND.format(name,
        v instanceof ExportedProgram.SymArg s ? "the symbolic size " + s.name() : String.valueOf(v)));
  }

  private static LayerSpec layer(java.util.function.Supplier<LayerSpec> make) {
    try {
      return make.get();
    } catch (ShapeException e) {
      throw ExportLowering.refuse(e.getMessage());
    }
  }
}
