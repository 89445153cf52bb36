package dev.sequent.model.report;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras 3's {@code model.summary()} (keras/src/utils/summary_utils.py {@code print_summary}) as it
 * prints to a terminal of a given width: layer (type), output shape, param # and, unless the model
 * is "sequential-like", what each layer is connected to; then the totals with their float32 sizes.
 * Keras counts BatchNorm moving statistics as non-trainable parameters.
 *
 * <p>A nested Sequential or Functional model (a {@link ModuleTree} container of the model read
 * from a Keras file) is one row, as Keras prints it without {@code expand_nested}: its class, the
 * parameters of everything inside, and its calls' inputs; a layer called several times is one row
 * connected to the inputs of every call, a later call's output being {@code layer[k][0]}.
 *
 * <p>The table's line length is {@code min(88, columns - 4)} for a sequential-like model and
 * {@code min(108, columns - 4)} otherwise, split at Keras' relative positions, and drawn by
 * {@link RichTable} as rich draws it, long cells wrapped onto more lines.
 */
public final class KerasSummary {
  /** A terminal wide enough that Keras uses its own line lengths (88 and 108). */
  public static final int WIDE_TERMINAL = 200;
  private static final int SEQUENTIAL_LINE = 88;
  private static final int GRAPH_LINE = 108;
  private static final double[] SEQUENTIAL_POSITIONS = {0.45, 0.80, 1.0};
  private static final double[] GRAPH_POSITIONS = {0.3, 0.56, 0.74, 1.0};

  private KerasSummary() {}

  /** One row of the table. */
  public record Row(String layer, String type, String outputShape, long params, String connectedTo) {}

  /** One top-level Keras layer (an input layer, a layer, a nested model) and its calls. */
  private record TopLayer(String name, String type, List<Call> calls, long params) {}

  /** One call: its input tensors' Keras references and the tensor it produces. */
  private record Call(List<String> inputs, String output) {}

  public static List<Row> rows(InferredModel model) {
    return rows(model, ModuleTree.FLAT);
  }

  /** The table's rows, nested models (containers of {@code tree}) as one row each. */
  public static List<Row> rows(InferredModel model, ModuleTree tree) {
    Graph g = new Graph(model, tree);
    List<Row> rows = new ArrayList<>();
    for (TopLayer t : g.layers.values()) {
      List<String> connected = new ArrayList<>();
      for (Call c : t.calls()) {
        c.inputs().forEach(in -> connected.add(g.ref(in)));
      }
      String shape = t.calls().isEmpty() || t.calls().get(0).output() == null ? ""
          : g.shape(t.calls().get(0).output());
      rows.add(new Row(t.name(), t.type(), shape, t.params(), connected.isEmpty() ? "-" : String.join(", ", connected)));
    }
    return rows;
  }

  public static String render(InferredModel model) {
    return render(model, ModuleTree.FLAT, WIDE_TERMINAL);
  }

  public static String render(InferredModel model, int columns) {
    return render(model, ModuleTree.FLAT, columns);
  }

  /**
   * The text Keras prints in a terminal {@code columns} wide ({@code shutil.get_terminal_size()};
   * Python assumes 80 where the output is no terminal).
   */
  public static String render(InferredModel model, ModuleTree tree, int columns) {
    Graph g = new Graph(model, tree);
    boolean sequentialLike = g.sequentialLike();
    int lineLength = Math.min(sequentialLike ? SEQUENTIAL_LINE : GRAPH_LINE, columns - 4);
    double[] positions = sequentialLike ? SEQUENTIAL_POSITIONS : GRAPH_POSITIONS;
    int[] widths = new int[positions.length];
    int current = 0;
    for (int i = 0; i < positions.length; i++) {
      widths[i] = (int) (positions[i] * lineLength) - current;
      if (widths[i] < 4) {
        throw new IllegalArgumentException("a terminal of " + columns
            + " columns is too narrow for Keras' summary (Keras: \"Insufficient console width to print summary.\")");
      }
      current += widths[i];
    }
    List<String> header = new ArrayList<>(List.of("Layer (type)", "Output Shape", "Param #"));
    boolean[] right = sequentialLike ? new boolean[] {false, false, true} : new boolean[] {false, false, true, false};
    if (!sequentialLike) {
      header.add("Connected to");
    }
    RichTable table = new RichTable(header, right, widths, lineLength);
    for (Row r : rows(model, tree)) {
      List<String> cells = new ArrayList<>(List.of(r.layer() + " (" + r.type() + ")", r.outputShape(),
          String.format(Locale.ROOT, "%,d", r.params())));
      if (!sequentialLike) {
        cells.add(r.connectedTo());
      }
      table.addRow(cells);
    }
    StringBuilder sb = new StringBuilder("Model: \"").append(model.spec().name()).append("\"\n");
    sb.append(table.render());
    long total = ParameterNames.count(model, Framework.KERAS, false);
    long trainable = ParameterNames.count(model, Framework.KERAS, true);
    long trainableBytes = ParameterNames.kerasBytes(model, true);
    long frozenBytes = ParameterNames.kerasBytes(model, false);
    sb.append(" Total params: ").append(count(total, trainableBytes + frozenBytes)).append('\n');
    sb.append(" Trainable params: ").append(count(trainable, trainableBytes)).append('\n');
    sb.append(" Non-trainable params: ").append(count(total - trainable, frozenBytes)).append('\n');
    return sb.toString();
  }

  /**
   * The model as Keras sees it at the top: input layers (a Functional model's), layers and nested
   * models, each with its calls, in the order Keras lists them (the first call's order).
   */
  private static final class Graph {
    final InferredModel model;
    final boolean functional;
    final Map<String, TopLayer> layers = new LinkedHashMap<>();
    /** Tensor name to its Keras reference {@code layer[node][0]}. */
    final Map<String, String> refs = new LinkedHashMap<>();
    final Map<String, String> inputLayers = new LinkedHashMap<>();

    Graph(InferredModel model, ModuleTree tree) {
      this.model = model;
      this.functional = model.spec().style() == ModelSpec.Style.MODULE;
      for (ModelSpec.Input in : model.spec().inputs()) {
        String name = in.name().equals(ModelSpec.INPUT) ? tree.inputLayer().orElse("input_layer") : in.name();
        inputLayers.put(in.name(), name);
        refs.put(in.name(), name + "[0][0]");
        if (functional) {
          layers.put(name, new TopLayer(name, "InputLayer", new ArrayList<>(List.of(new Call(List.of(), in.name()))), 0));
        }
      }
      Set<String> seenCalls = new LinkedHashSet<>();
      for (InferredModel.Layer l : model.nodes()) {
        ModuleTree.Container c = outermost(tree, l.name());
        if (c == null) {
          String owner = l.node().sharesWeights() ? l.node().sharesWeightsOf() : l.name();
          TopLayer t = layers.computeIfAbsent(owner, k -> new TopLayer(owner,
              simpleClass(LayerKinds.of(l.spec()).kerasClass(l.spec())), new ArrayList<>(),
              ParameterNames.count(l, Framework.KERAS, false)));
          refs.put(l.name(), owner + "[" + t.calls().size() + "][0]");
          t.calls().add(new Call(l.node().inputs(), l.name()));
        } else if (seenCalls.add(c.path())) {
          String owner = c.path().replaceFirst("#\\d+$", "");
          TopLayer t = layers.computeIfAbsent(owner, k -> new TopLayer(owner, c.className(), new ArrayList<>(),
              paramsInside(model, c)));
          refs.put(c.output(), owner + "[" + t.calls().size() + "][0]");
          t.calls().add(new Call(inputsOf(model, c), c.output()));
        }
      }
      if (functional) {
        inKerasOrder();
      }
    }

    /**
     * Reorders the layers as a Keras Functional model lists them ({@code keras/src/ops/function.py}
     * {@code map_graph}): by depth, the longest path from the layer's calls to an output, deepest
     * first; within a depth by the order a depth-first walk from the outputs first meets them
     * ({@code _build_map}: each output in turn, each call's inputs in order). A file's own layer list
     * is already in this order; a Java model's declaration order need not be (keras.applications'
     * ResNet declares a block's shortcut convolution first, Keras lists it after the main branch's
     * first convolution).
     */
    private void inKerasOrder() {
      Map<String, Call> producer = new LinkedHashMap<>();
      Map<Call, TopLayer> operationOf = new java.util.IdentityHashMap<>();
      for (TopLayer t : layers.values()) {
        for (Call c : t.calls()) {
          producer.put(c.output(), c);
          operationOf.put(c, t);
        }
      }
      Map<TopLayer, Integer> firstSeen = new java.util.IdentityHashMap<>();
      List<Call> fromInputs = new ArrayList<>();
      Set<Call> finished = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (String out : model.spec().outputs()) {
        walk(out, producer, operationOf, firstSeen, finished, fromInputs);
      }
      Map<Call, Integer> callDepth = new java.util.IdentityHashMap<>();
      Map<TopLayer, Integer> depth = new java.util.IdentityHashMap<>();
      for (int i = fromInputs.size() - 1; i >= 0; i--) {
        Call c = fromInputs.get(i);
        TopLayer op = operationOf.get(c);
        int d = Math.max(callDepth.getOrDefault(c, 0), depth.getOrDefault(op, 0));
        depth.put(op, d);
        callDepth.put(c, d);
        for (String in : c.inputs()) {
          Call parent = producer.get(in);
          if (parent != null && finished.contains(parent)) {
            callDepth.merge(parent, d + 1, Math::max);
          }
        }
      }
      // An input no output reads: depth 0, before everything met in the walk.
      for (TopLayer t : layers.values()) {
        depth.putIfAbsent(t, 0);
        firstSeen.putIfAbsent(t, -1);
      }
      List<TopLayer> ordered = new ArrayList<>(layers.values());
      ordered.sort(java.util.Comparator.<TopLayer>comparingInt(t -> -depth.get(t)).thenComparingInt(firstSeen::get));
      layers.clear();
      ordered.forEach(t -> layers.put(t.name(), t));
    }

    private static void walk(String tensor, Map<String, Call> producer, Map<Call, TopLayer> operationOf,
        Map<TopLayer, Integer> firstSeen, Set<Call> finished, List<Call> fromInputs) {
      Call c = producer.get(tensor);
      if (c == null || finished.contains(c)) {
        return;
      }
      firstSeen.putIfAbsent(operationOf.get(c), firstSeen.size());
      for (String in : c.inputs()) {
        walk(in, producer, operationOf, firstSeen, finished, fromInputs);
      }
      finished.add(c);
      fromInputs.add(c);
    }

    private static ModuleTree.Container outermost(ModuleTree tree, String name) {
      List<ModuleTree.Container> enclosing = tree.enclosing(name);
      return enclosing.isEmpty() ? null : enclosing.get(0);
    }

    private static long paramsInside(InferredModel model, ModuleTree.Container c) {
      long n = 0;
      for (InferredModel.Layer l : model.nodes()) {
        if (c.contains(l.name()) && !l.node().sharesWeights()) {
          n += ParameterNames.count(l, Framework.KERAS, false);
        }
      }
      return n;
    }

    /** The tensors a nested model's call reads: read inside, made outside, in first-read order. */
    private static List<String> inputsOf(InferredModel model, ModuleTree.Container c) {
      Set<String> inside = new LinkedHashSet<>();
      Set<String> in = new LinkedHashSet<>();
      for (InferredModel.Layer l : model.nodes()) {
        if (c.contains(l.name())) {
          for (String t : l.node().inputs()) {
            if (!inside.contains(t)) {
              in.add(t);
            }
          }
          inside.add(l.name());
        }
      }
      return new ArrayList<>(in);
    }

    String ref(String tensor) {
      String r = refs.get(tensor);
      if (r == null) {
        throw new IllegalStateException("no Keras layer produces " + tensor + " in " + model.spec().name());
      }
      return r;
    }

    String shape(String tensor) {
      return inputLayers.containsKey(tensor) ? model.spec().inputs().stream()
          .filter(i -> i.name().equals(tensor)).findFirst().orElseThrow().shape().toKerasString()
          : model.layer(tensor).outputShape().toKerasString();
    }

    /**
     * Keras' test: a Sequential model always; a Functional one when its graph is a chain (one
     * input, every call on one tensor, no layer called twice, no tensor read twice).
     */
    boolean sequentialLike() {
      if (!functional) {
        return true;
      }
      if (model.spec().inputs().size() != 1) {
        return false;
      }
      Set<String> read = new LinkedHashSet<>();
      for (TopLayer t : layers.values()) {
        if (t.calls().size() > 1) {
          return false;
        }
        for (Call c : t.calls()) {
          if (c.inputs().size() > 1) {
            return false;
          }
          for (String in : c.inputs()) {
            if (!read.add(in)) {
              return false;
            }
          }
        }
      }
      return true;
    }
  }

  /**
   * The class as Keras prints it: a Keras 3 operation node's class is qualified by its module in
   * the registry ({@code keras.src.ops.numpy.Add}, so that the Add layer does not claim it); Keras
   * prints {@code Add}.
   */
  private static String simpleClass(String kerasClass) {
    return kerasClass.substring(kerasClass.lastIndexOf('.') + 1);
  }

  private static String count(long params, long bytes) {
    return String.format(Locale.ROOT, "%,d (%s)", params, readableSize(bytes));
  }

  /** keras.src.utils.summary_utils.readable_memory_size. */
  static String readableSize(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    for (String unit : units) {
      if (bytes / 1024 < 1) {
        return twoDecimals(bytes) + " " + unit;
      }
      bytes /= 1024;
    }
    return twoDecimals(bytes) + " " + units[units.length - 1];
  }

  /**
   * Python's {@code f"{x:.2f}"}: the double's exact binary value rounded half to even, so 2.125
   * (544 float32 parameters, 2176 bytes) is "2.12" where Java's {@code %.2f} rounds half up.
   */
  static String twoDecimals(double x) {
    return new java.math.BigDecimal(x).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
