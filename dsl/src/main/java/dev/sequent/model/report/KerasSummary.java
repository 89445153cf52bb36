package dev.sequent.model.report;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's {@code model.summary()} table: layer (type), output shape, param # (and, for
 * functional models, what each layer is connected to), then the totals with their float32 sizes.
 * Keras counts BatchNorm moving statistics as non-trainable parameters.
 */
public final class KerasSummary {
  private static final int NAME = 36;
  private static final int SHAPE = 27;
  private static final int PARAMS = 15;
  private static final int CONNECTED = 26;

  private KerasSummary() {}

  /** One row of the table. */
  public record Row(String layer, String type, String outputShape, long params, String connectedTo) {}

  public static List<Row> rows(InferredModel model) {
    List<Row> rows = new ArrayList<>();
    boolean functional = model.spec().style() == ModelSpec.Style.MODULE;
    if (functional) {
      for (ModelSpec.Input in : model.spec().inputs()) {
        rows.add(new Row(inputLayerName(in.name()), "InputLayer", in.shape().toKerasString(), 0, "-"));
      }
    }
    // Keras lists a layer once however often it is called: its row shows the first call's output
    // and connects to the inputs of every call, in call order; a later call's output is [k][0].
    KerasGraphRefs graph = new KerasGraphRefs(model, "input_layer");
    for (InferredModel.Layer l : model.nodes()) {
      if (l.node().sharesWeights()) {
        continue;
      }
      List<String> connected = new ArrayList<>();
      for (InferredModel.Layer call : graph.calls.get(l.name())) {
        call.node().inputs().forEach(in -> {
          KerasGraphRefs.Ref ref = graph.ref(in);
          connected.add(ref.layer() + "[" + ref.node() + "][0]");
        });
      }
      rows.add(new Row(l.name(), LayerKinds.of(l.spec()).kerasClass(l.spec()), l.outputShape().toKerasString(),
          ParameterNames.count(l, Framework.KERAS, false), String.join(", ", connected)));
    }
    return rows;
  }

  /** The single input of a model is Keras' default {@code input_layer}; several keep their names. */
  private static String inputLayerName(String input) {
    return input.equals(ModelSpec.INPUT) ? "input_layer" : input;
  }

  public static String render(InferredModel model) {
    boolean functional = model.spec().style() == ModelSpec.Style.MODULE;
    int[] widths = functional ? new int[] {NAME, SHAPE, PARAMS, CONNECTED} : new int[] {NAME, SHAPE, PARAMS};
    StringBuilder sb = new StringBuilder("Model: \"").append(model.spec().name()).append("\"\n");
    sb.append(rule('┏', '━', '┳', '┓', widths));
    List<String> header = new ArrayList<>(List.of("Layer (type)", "Output Shape", "Param #"));
    if (functional) {
      header.add("Connected to");
    }
    sb.append(line('┃', header, widths));
    sb.append(rule('┡', '━', '╇', '┩', widths));
    List<Row> rows = rows(model);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      List<String> cells = new ArrayList<>(List.of(r.layer() + " (" + r.type() + ")", r.outputShape(),
          String.format(Locale.ROOT, "%,d", r.params())));
      if (functional) {
        cells.add(r.connectedTo());
      }
      sb.append(line('│', cells, widths));
      sb.append(i + 1 < rows.size() ? rule('├', '─', '┼', '┤', widths) : rule('└', '─', '┴', '┘', widths));
    }
    long total = ParameterNames.count(model, Framework.KERAS, false);
    long trainable = ParameterNames.count(model, Framework.KERAS, true);
    sb.append(" Total params: ").append(count(total)).append('\n');
    sb.append(" Trainable params: ").append(count(trainable)).append('\n');
    sb.append(" Non-trainable params: ").append(count(total - trainable)).append('\n');
    return sb.toString();
  }

  private static String count(long params) {
    return String.format(Locale.ROOT, "%,d (%s)", params, readableSize(params * 4));
  }

  /** keras.src.utils.summary_utils.readable_memory_size. */
  static String readableSize(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    for (String unit : units) {
      if (bytes / 1024 < 1) {
        return String.format(Locale.ROOT, "%.2f %s", bytes, unit);
      }
      bytes /= 1024;
    }
    return String.format(Locale.ROOT, "%.2f %s", bytes, units[units.length - 1]);
  }

  private static String rule(char left, char fill, char cross, char right, int[] widths) {
    StringBuilder sb = new StringBuilder().append(left);
    for (int i = 0; i < widths.length; i++) {
      sb.append(String.valueOf(fill).repeat(widths[i] + 2)).append(i + 1 < widths.length ? cross : right);
    }
    return sb.append('\n').toString();
  }

  private static String line(char edge, List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder().append(edge);
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      if (cell.length() > widths[i]) {
        cell = cell.substring(0, widths[i] - 1) + "…";
      }
      // Param # is right-aligned, as Keras prints it.
      String padded = i == 2 ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length());
      sb.append(' ').append(padded).append(' ').append(edge);
    }
    return sb.append('\n').toString();
  }
}
