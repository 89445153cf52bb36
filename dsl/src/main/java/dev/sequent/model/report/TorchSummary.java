package dev.sequent.model.report;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * torchinfo 1.8's {@code summary(model, input_size=(1, ...), col_names=("output_size",
 * "num_params", "mult_adds"))}: one row per module, as the equivalent PyTorch model would list
 * them (a fused Keras activation is its own module; a residual add is code, not a module), then
 * torchinfo's totals and size estimates. PyTorch counts parameters only: BatchNorm running
 * statistics are buffers.
 */
public final class TorchSummary {
  private static final int NAME = 41;
  private static final int COLUMN = 26;
  private static final int RULE = 115;

  private TorchSummary() {}

  /** One module row. */
  public record Row(String type, int index, Shape outputShape, long params, long multAdds) {}

  /** torchinfo's totals, bytes as it computes them for batch 1 float32. */
  public record Totals(long params, long trainable, long multAdds, long inputBytes, long forwardBackwardBytes,
      long paramBytes) {
    public long totalBytes() {
      return inputBytes + forwardBackwardBytes + paramBytes;
    }
  }

  public static List<Row> rows(InferredModel model) {
    List<Row> rows = new ArrayList<>();
    for (InferredModel.Layer l : model.nodes()) {
      LayerKind<LayerSpec> kind = LayerKinds.of(l.spec());
      if (!kind.isTorchModule()) {
        continue;
      }
      long params = ParameterNames.count(l, Framework.TORCH, true);
      rows.add(new Row(kind.torchClass(l.spec()), rows.size() + 1, l.outputShape(), params, l.multAdds()));
      Activation fused = kind.fusedActivation(l.spec());
      if (l.spec().framework() == Framework.KERAS && !fused.isLinear()) {
        rows.add(new Row(fused.torchName(), rows.size() + 1, l.outputShape(), 0, 0));
      }
    }
    return rows;
  }

  public static Totals totals(InferredModel model) {
    long params = 0;
    long outputBytes = 0;
    long multAdds = 0;
    for (Row r : rows(model)) {
      params += r.params();
      multAdds += r.multAdds();
      if (r.params() > 0) {
        outputBytes += r.outputShape().size() * 4 * 2; // x2 for gradients, as torchinfo counts
      }
    }
    // torchinfo adds sys.getsizeof overhead (64 bytes) of the input tensor object.
    long inputBytes = model.inputShape().size() * 4 + 64;
    return new Totals(params, params, multAdds, inputBytes, outputBytes, params * 4);
  }

  public static String render(InferredModel model) {
    String rule = "=".repeat(RULE) + "\n";
    StringBuilder sb = new StringBuilder(rule);
    sb.append(row("Layer (type:depth-idx)", "Output Shape", "Param #", "Mult-Adds")).append(rule);
    String container = model.spec().style() == ModelSpec.Style.SEQUENTIAL ? "Sequential" : model.spec().name();
    sb.append(row(container, model.outputShape().toTorchString(1), "--", "--"));
    for (Row r : rows(model)) {
      sb.append(row("├─" + r.type() + ": 1-" + r.index(), r.outputShape().toTorchString(1),
          r.params() == 0 ? "--" : String.format(Locale.ROOT, "%,d", r.params()),
          r.multAdds() == 0 ? "--" : String.format(Locale.ROOT, "%,d", r.multAdds())));
    }
    Totals t = totals(model);
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

  /** torchinfo's unit choice: millions unless the count reaches 1e9 or 1e12. */
  private static String readableCount(long n) {
    String unit = n >= 1e12 ? "T" : n >= 1e9 ? "G" : "M";
    double value = n / (n >= 1e12 ? 1e12 : n >= 1e9 ? 1e9 : 1e6);
    return "(" + unit + "): " + (value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,d", (long) value) : String.format(Locale.ROOT, "%,.2f", value));
  }

  private static String row(String name, String shape, String params, String multAdds) {
    return (pad(name, NAME) + pad(shape, COLUMN) + pad(params, COLUMN) + multAdds).stripTrailing() + "\n";
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }
}
