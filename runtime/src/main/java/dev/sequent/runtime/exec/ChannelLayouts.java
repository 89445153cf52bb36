package dev.sequent.runtime.exec;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which layers of a channels-first model's plain-Java pass run on channels-last values, and where
 * a value changes layout between them. A layer with a channels-last form
 * ({@link BoundLayer#channelsLast}; its op offers one where its planes are small) runs it, and
 * its output is kept channels last; a layer that follows its inputs ({@link BoundLayer#followsInputs})
 * runs its channels-last form when every value it reads is kept that way. A value read in the other
 * layout than it is kept in is converted for that read; a model output kept channels last is
 * converted back. A value with one channel or one position per plane is the same array in either
 * layout (as is a value without planes) and is never converted.
 *
 * <p>Why: over a 7x7 or 14x14 plane, kernels with vectors along a plane's positions compute up to
 * 64 positions for 49 and pay each plane's edges, while channels last a 1x1 convolution is one
 * matrix product over every position, a depthwise convolution takes vectors along the channels,
 * every lane an output, and another convolution over planes of up to 8x8 is a product per kernel
 * tap over the positions whose tap reads the input. MobileNetV2's blocks after 28x28 ran at
 * 1.5-2.5x ONNX Runtime's time on one thread in the channels-first forms (docs/benchmarks.md,
 * "Twelfth round"); ResNet-18's 3x3 layers over 7x7 planes took 21 % less time channels last at
 * batch 8 ("Thirteenth round").
 *
 * <p>The ND4J pass never uses these forms: its layers stay in the model's own layout.
 *
 * @param channelsLast the layers (model order) that run their channels-last form
 * @param inputs per layer, per input, the conversion of that input before the layer reads it, or
 *     null where it is read as it is kept
 * @param outputs per model output, the conversion back to channels first, or null
 */
public record ChannelLayouts(BitSet channelsLast, List<List<Conversion>> inputs, List<Conversion> outputs) {

  /** {@code -Dsequent.plan.channelsLast.off=true}: every layer in its channels-first form (for A/B measurements and tests). */
  public static final String OFF_PROPERTY = "sequent.plan.channelsLast.off";

  /**
   * The most positions of a plane ({@code h * w}) at which ops offer their channels-last forms:
   * 14x14. Measured on MobileNetV2 in its passes (interleaved, 2 threads, the sum of its layers'
   * thread time at batch 8): 93.8 ms with the forms up to 8x8, 87.1 up to 14x14, where the
   * depthwise layers over 14x14 took 0.67-1.0 ms against 0.79-1.37 and the 1x1 projections
   * 0.77-1.8 against 0.88-2.0; at batch 1 the two were within the noise (7.06 against 7.17 ms).
   * At 28x28 a plane is 49 whole vectors, which the channels-first kernels waste nothing of.
   */
  public static final int MAX_PLANE = 196;

  /**
   * Whether a layer over {@code h x w} planes (input and output) offers a channels-last form; never
   * with {@link #OFF_PROPERTY} set, which binds every layer as before the channels-last forms.
   */
  public static boolean smallPlane(int h, int w) {
    return (long) h * w <= MAX_PLANE && !Boolean.getBoolean(OFF_PROPERTY);
  }

  public ChannelLayouts {
    channelsLast = (BitSet) channelsLast.clone();
    inputs = inputs.stream().map(l -> java.util.Collections.unmodifiableList(new ArrayList<>(l))).toList();
    outputs = java.util.Collections.unmodifiableList(new ArrayList<>(outputs));
  }

  /**
   * A value's change of layout: {@code toLast} from {@code (n, c, h, w)} to {@code (n, h, w, c)},
   * else back.
   */
  public record Conversion(boolean toLast, int channels, int height, int width) {
    /** A new array (from {@link PassArrays}) with {@code n} samples of {@code x} in the other layout. */
    public float[] apply(float[] x, int n) {
      int plane = height * width;
      float[] y = PassArrays.take(n * channels * plane);
      for (int s = 0; s < n; s++) {
        int base = s * channels * plane;
        if (toLast) {
          for (int c = 0; c < channels; c++) {
            for (int p = 0, from = base + c * plane; p < plane; p++) {
              y[base + p * channels + c] = x[from + p];
            }
          }
        } else {
          for (int p = 0; p < plane; p++) {
            for (int c = 0, from = base + p * channels; c < channels; c++) {
              y[base + c * plane + p] = x[from + c];
            }
          }
        }
      }
      return y;
    }
  }

  /** Every layer in its own layout. */
  public static ChannelLayouts none(InferredModel model) {
    List<List<Conversion>> inputs = new ArrayList<>();
    for (InferredModel.Layer layer : model.nodes()) {
      inputs.add(java.util.Collections.nCopies(layer.node().inputs().size(), null));
    }
    return new ChannelLayouts(new BitSet(), inputs,
        java.util.Collections.nCopies(model.spec().outputs().size(), null));
  }

  /** The layouts of {@code ops} (bound to {@code model}'s layers, in model order), as described above. */
  public static ChannelLayouts of(InferredModel model, List<BoundLayer> ops) {
    if (Boolean.getBoolean(OFF_PROPERTY) || ops.stream().noneMatch(o -> o.channelsLast() != null && !o.followsInputs())) {
      return none(model);
    }
    List<InferredModel.Layer> nodes = model.nodes();
    Map<String, Shape> shapes = new HashMap<>();
    // model inputs are channels first as given: never kept last
    Map<String, Boolean> keptLast = new HashMap<>();
    BitSet last = new BitSet();
    for (int i = 0; i < nodes.size(); i++) {
      InferredModel.Layer layer = nodes.get(i);
      BoundLayer op = ops.get(i);
      boolean runsLast;
      if (op.channelsLast() == null) {
        runsLast = false;
      } else if (op.followsInputs()) {
        runsLast = !layer.node().inputs().isEmpty()
            && layer.node().inputs().stream().allMatch(v -> keptLast.getOrDefault(v, false));
      } else {
        runsLast = true;
      }
      if (runsLast) {
        last.set(i);
      }
      keptLast.put(layer.name(), runsLast);
      shapes.put(layer.name(), layer.outputShape());
    }
    List<List<Conversion>> inputs = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      InferredModel.Layer layer = nodes.get(i);
      List<Conversion> conversions = new ArrayList<>();
      List<String> read = layer.node().inputs();
      for (int k = 0; k < read.size(); k++) {
        boolean kept = keptLast.getOrDefault(read.get(k), false);
        conversions.add(kept == last.get(i) ? null : conversion(last.get(i), layer.inputShapes().get(k)));
      }
      inputs.add(conversions);
    }
    List<Conversion> outputs = new ArrayList<>();
    for (String out : model.spec().outputs()) {
      outputs.add(keptLast.getOrDefault(out, false) ? conversion(false, shapes.get(out)) : null);
    }
    return new ChannelLayouts(last, inputs, outputs);
  }

  /** The conversion of a channels-first value of {@code shape} (no batch), or null where both layouts are one array. */
  private static Conversion conversion(boolean toLast, Shape shape) {
    if (shape.rank() != 3) {
      return null; // no planes: a global pooling's (n, c)
    }
    int c = shape.dim(0);
    int h = shape.dim(1);
    int w = shape.dim(2);
    return c == 1 || h * w == 1 ? null : new Conversion(toLast, c, h, w);
  }

  /** Whether any layer runs channels last. */
  public boolean any() {
    return !channelsLast.isEmpty();
  }
}
