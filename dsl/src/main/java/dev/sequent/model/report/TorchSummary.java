package dev.sequent.model.report;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * torchinfo 1.8's {@code summary(model, input_size=(1, ...), col_names=("output_size",
 * "num_params", "mult_adds"))}: one row per module, as the equivalent PyTorch model would list
 * them (a fused Keras activation is its own module; a residual add is code, not a module), then
 * torchinfo's totals and size estimates. PyTorch counts parameters only: BatchNorm running
 * statistics are buffers.
 */
public final class TorchSummary {
  private static final int NAME = 40;
  private static final int COLUMN = 25;
  /** torchinfo's default {@code depth=3}: deeper rows are counted in the totals but not listed. */
  public static final int MAX_DEPTH = 3;

  private TorchSummary() {}

  /**
   * One module row. {@code depth} is 1 for top-level modules; a container's {@code params} and
   * {@code multAdds} are those of everything inside it.
   */
  public record Row(String type, int depth, int index, Shape outputShape, long params, long multAdds,
      boolean container) {
    /** A top-level leaf row (the flat models' form). */
    public Row(String type, int index, Shape outputShape, long params, long multAdds) {
      this(type, 1, index, outputShape, params, multAdds, false);
    }
  }

  /** torchinfo's totals, bytes as it computes them for batch 1 float32. */
  public record Totals(long params, long trainable, long multAdds, long inputBytes, long forwardBackwardBytes,
      long paramBytes) {
    public long totalBytes() {
      return inputBytes + forwardBackwardBytes + paramBytes;
    }
  }

  /** The rows of a model without blocks. */
  public static List<Row> rows(InferredModel model) {
    return rows(model, ModuleTree.FLAT);
  }

  /**
   * Every module row in the order torchinfo lists them (a container before its first child, as its
   * forward pre-hook fires first), at every depth, each depth numbered on its own from 1.
   */
  public static List<Row> rows(InferredModel model, ModuleTree tree) {
    List<Row> rows = new ArrayList<>();
    Map<Integer, Integer> indices = new HashMap<>();
    Set<String> opened = new HashSet<>();
    for (InferredModel.Layer l : model.nodes()) {
      LayerKind<LayerSpec> kind = LayerKinds.of(l.spec());
      if (!kind.isTorchModule() || tree.isFunctional(l.name())) {
        continue;
      }
      List<ModuleTree.Container> enclosing = tree.enclosing(l.name());
      for (int d = 0; d < enclosing.size(); d++) {
        ModuleTree.Container c = enclosing.get(d);
        if (opened.add(c.path())) {
          rows.add(container(model, tree, c, d + 1, next(indices, d + 1)));
        }
      }
      int depth = enclosing.size() + 1;
      long params = ParameterNames.count(l, Framework.TORCH, true);
      rows.add(new Row(kind.torchClass(l.spec()), depth, next(indices, depth), l.outputShape(), params,
          l.multAdds(), false));
      Activation fused = kind.fusedActivation(l.spec());
      if (l.spec().framework() == Framework.KERAS && !fused.isLinear()) {
        rows.add(new Row(fused.torchName(), depth, next(indices, depth), l.outputShape(), 0, 0, false));
      }
    }
    return rows;
  }

  private static int next(Map<Integer, Integer> indices, int depth) {
    return indices.merge(depth, 1, Integer::sum);
  }

  private static Row container(InferredModel model, ModuleTree tree, ModuleTree.Container c, int depth, int index) {
    long params = 0;
    long multAdds = 0;
    for (InferredModel.Layer l : model.nodes()) {
      if (c.contains(l.name()) && LayerKinds.of(l.spec()).isTorchModule() && !tree.isFunctional(l.name())) {
        params += l.params().stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::count).sum();
        multAdds += l.multAdds();
      }
    }
    return new Row(c.className(), depth, index, model.layer(c.output()).outputShape(), params, multAdds, true);
  }

  public static Totals totals(InferredModel model) {
    return totals(model, ModuleTree.FLAT);
  }

  /** Over leaf modules only, listed or not, as torchinfo's ModelStatistics sums them. */
  public static Totals totals(InferredModel model, ModuleTree tree) {
    long params = 0;
    long outputBytes = 0;
    long multAdds = 0;
    for (Row r : rows(model, tree)) {
      if (r.container()) {
        continue;
      }
      params += r.params();
      multAdds += r.multAdds();
      if (r.params() > 0) {
        outputBytes += r.outputShape().size() * 4 * 2; // x2 for gradients, as torchinfo counts
      }
    }
    // torchinfo sizes the input as sys.getsizeof of its storage: the elements (float32, or the
    // int64 ids an embedding reads) plus 64 bytes of Python object.
    boolean ids = model.nodes().stream().anyMatch(l -> l.spec().readsIntegerIds()
        && l.node().inputs().contains(ModelSpec.INPUT));
    long inputBytes = model.inputShape().size() * (ids ? 8 : 4) + 64;
    return new Totals(params, params, multAdds, inputBytes, outputBytes, params * 4);
  }

  public static String render(InferredModel model) {
    return render(model, ModuleTree.FLAT);
  }

  /** The table with torchinfo's tree of nested modules, to its default depth of 3. */
  public static String render(InferredModel model, ModuleTree tree) {
    List<Row> rows = rows(model, tree);
    String root = model.spec().style() == ModelSpec.Style.SEQUENTIAL ? "Sequential" : model.spec().name();
    // torchinfo's set_layer_name_width: widen past 40 to a multiple of 5 when a title needs it.
    int longest = root.length() + 1;
    for (Row r : rows) {
      longest = Math.max(longest, title(r).length() + r.depth() * 5 + 1);
    }
    int width = longest >= NAME ? (longest + 4) / 5 * 5 : NAME;
    String rule = "=".repeat(width + 3 * COLUMN) + "\n";
    StringBuilder sb = new StringBuilder(rule);
    sb.append(row(width, "Layer (type:depth-idx)", "Output Shape", "Param #", "Mult-Adds")).append(rule);
    sb.append(row(width, root, model.outputShape().toTorchString(1), "--", "--"));
    for (Row r : rows) {
      if (r.depth() > MAX_DEPTH) {
        continue;
      }
      // A container shows its contents' counts only where its children are not listed (torchinfo's
      // reached_max_depth); above that its own parameters, which a block has none of.
      boolean summed = !r.container() || r.depth() == MAX_DEPTH;
      sb.append(row(width, start(r.depth()) + title(r), r.outputShape().toTorchString(1),
          !summed || r.params() == 0 ? "--" : String.format(Locale.ROOT, "%,d", r.params()),
          !summed || r.multAdds() == 0 ? "--" : String.format(Locale.ROOT, "%,d", r.multAdds())));
    }
    Totals t = totals(model, tree);
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, "Total params: %,d%n", t.params()));
    sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", t.trainable()));
    sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", t.params() - t.trainable()));
    sb.append("Total mult-adds ").append(readableCount(t.multAdds())).append('\n');
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, "Input size (MB): %.2f%n", t.inputBytes() / 1e6));
    sb.append(String.format(Locale.ROOT, "Forward/backward pass size (MB): %.2f%n", t.forwardBackwardBytes() / 1e6));
    sb.append(String.format(Locale.ROOT, "Params size (MB): %.2f%n", t.paramBytes() / 1e6));
    sb.append(String.format(Locale.ROOT, "Estimated Total Size (MB): %.2f%n", t.totalBytes() / 1e6));
    return sb.append(rule).toString();
  }

  private static String title(Row r) {
    return r.type() + ": " + r.depth() + "-" + r.index();
  }

  /** torchinfo's FormattingOptions.get_start_str. */
  private static String start(int depth) {
    return depth == 1 ? "├─" : "│    ".repeat(depth - 1) + "└─";
  }

  /**
   * torchinfo's unit choice: millions unless the count reaches 1e9 or 1e12. torchinfo 1.8 writes
   * the unit as {@code f" ({units_used})"} of a {@code Units(str, Enum)} member; from Python 3.11
   * on, formatting such a member gives its name, so every supported Python prints
   * {@code (Units.MEGABYTES)} where torchinfo meant "(M)" (Python 3.10 and earlier, past their end
   * of life, printed the "M"). Sequent prints what torchinfo prints.
   */
  private static String readableCount(long n) {
    String unit = n >= 1e12 ? "Units.TERABYTES" : n >= 1e9 ? "Units.GIGABYTES" : "Units.MEGABYTES";
    double value = n / (n >= 1e12 ? 1e12 : n >= 1e9 ? 1e9 : 1e6);
    return "(" + unit + "): " + (value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,d", (long) value) : String.format(Locale.ROOT, "%,.2f", value));
  }

  /** torchinfo's format_row: the name padded to the name width, each column to its width, plus a space. */
  private static String row(int width, String name, String shape, String params, String multAdds) {
    return (pad(name, width) + pad(shape, COLUMN) + pad(params, COLUMN) + multAdds).stripTrailing() + "\n";
  }

  private static String pad(String s, int width) {
    return (s.length() >= width ? s : s + " ".repeat(width - s.length())) + " ";
  }
}
