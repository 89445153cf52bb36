package dev.sequent.model.report;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The Keras model that the Keras weights Sequent writes for a model belong to: its Keras
 * equivalent in Keras' own conventions, channels-last and with Keras' default BatchNorm epsilon.
 *
 * <p>Sequent exports weights to Keras files ({@code getWeights()}, {@code saveWeights("x.h5")})
 * for this twin, not for a literal transcription of the model: convolution kernels in HWIO, the
 * rows of a Dense layer after a flattened image in H,W,C order (PyTorch flattens C,H,W), and
 * BatchNorm variances with the model's epsilon folded in for epsilon 1e-3. A file that carries an
 * architecture next to those weights must therefore describe the twin:
 *
 * <ul>
 *   <li>every image layer channels-last, and the input, when it is a channels-first image
 *       {@code (C,H,W)}, as {@code (H,W,C)}; image outputs are then channels-last too;
 *   <li>PyTorch layers as their Keras classes ({@code Conv2d} → {@code Conv2D}, {@code padding=p}
 *       for an odd kernel at stride 1 → {@code "same"}, {@code BatchNorm2d} →
 *       {@code BatchNormalization} on the channel axis, momentum in Keras' sense);
 *   <li>BatchNorm epsilon 1e-3; softmax axes of images moved with the channels.
 * </ul>
 *
 * <p>A model has no twin (and {@link #whyNone} says why) where that would not compute the same
 * function on the transposed input: custom layers (Keras cannot rebuild them from a config
 * without their Python class); layers {@link KerasConfig#unsupportedReason} already names (explicit
 * asymmetric padding, {@code ceil_mode}, tanh-GELU, softplus with beta); and, in a channels-first
 * model, a Dense layer applied to an image (it acts on the width axis, which moves), a softmax
 * fused into a layer whose output is an image (Keras' activation string has no axis), and
 * features of a flattened image that reach anything but Dense layers (through activations and
 * dropout) or are the model output: only a Dense layer's input rows are reordered from C,H,W to
 * H,W,C.
 */
public final class KerasTwin {
  /** Keras' default BatchNormalization epsilon, for which exported variances are adjusted. */
  public static final double KERAS_BATCHNORM_EPSILON = 1e-3;

  private KerasTwin() {}

  /** Why {@code model} has no Keras twin, or empty when it has one. */
  public static Optional<String> whyNone(InferredModel model) {
    return build(model).whyNone();
  }

  /**
   * The twin of {@code model}: a model in the Keras vocabulary, channels-last, with the same layer
   * names and the same weighted layers and weights in the same order (Keras names and shapes).
   *
   * @throws UnsupportedOperationException with {@link #whyNone} when there is none
   */
  public static InferredModel of(InferredModel model) {
    Built built = build(model);
    return built.twin().orElseThrow(() -> new UnsupportedOperationException(
        "no Keras equivalent of " + model.spec().name() + ": " + built.whyNone().orElseThrow()));
  }

  /** The data format of the model's images: its image layers', else its vocabulary's default. */
  public static DataFormat imageFormat(InferredModel model) {
    for (InferredModel.Layer l : model.nodes()) {
      if (l.spec().dataFormat() != null) {
        return l.spec().dataFormat();
      }
    }
    return model.spec().framework() == Framework.KERAS ? DataFormat.CHANNELS_LAST : DataFormat.CHANNELS_FIRST;
  }

  /** A sample shape as the twin has it: a channels-first image {@code (C,H,W)} becomes {@code (H,W,C)}. */
  public static Shape twinShape(Shape shape, DataFormat format) {
    if (format != DataFormat.CHANNELS_FIRST || shape.rank() != 3) {
      return shape;
    }
    return Shape.of(shape.dim(1), shape.dim(2), shape.dim(0));
  }

  private record Built(Optional<InferredModel> twin, Optional<String> whyNone) {
    static Built none(String why) {
      return new Built(Optional.empty(), Optional.of(why));
    }
  }

  private static Built build(InferredModel model) {
    Optional<String> keras = KerasConfig.unsupportedReason(model);
    if (keras.isPresent()) {
      return Built.none(keras.get());
    }
    DataFormat format = imageFormat(model);
    boolean transposed = format == DataFormat.CHANNELS_FIRST;
    List<Node> nodes = new ArrayList<>();
    for (InferredModel.Layer l : model.nodes()) {
      String where = "layer " + l.name() + " (" + l.spec().typeName() + "): ";
      if (l.spec() instanceof CustomLayer) {
        return Built.none(where + "a custom layer; Keras rebuilds it from a config only with its Python class "
            + "registered, which the file cannot carry");
      }
      boolean imageIn = transposed && l.inputShapes().stream().anyMatch(s -> s.rank() == 3);
      boolean imageOut = transposed && l.outputShape().rank() == 3;
      if (imageIn && l.spec() instanceof Dense) {
        return Built.none(where + "applied to a channels-first image it acts on the width axis; in the "
            + "channels-last Keras equivalent that axis is the channels");
      }
      if (imageOut && !(l.spec() instanceof ActivationLayer) && l.spec().activation().kind() == Activation.Kind.SOFTMAX) {
        return Built.none(where + "its softmax over the last axis of a channels-first image would run over "
            + "the channels in the channels-last Keras equivalent");
      }
      if (transposed && l.spec() instanceof Flatten && l.inputShapes().get(0).rank() == 3) {
        Optional<String> why = flattenedFeaturesOnlyReachDense(model, l);
        if (why.isPresent()) {
          return Built.none(where + why.get());
        }
      }
      nodes.add(new Node(l.name(), kerasLayer(l, transposed), l.node().inputs()));
    }
    ModelSpec spec = new ModelSpec(model.spec().name(), model.spec().style(), Framework.KERAS,
        twinShape(model.inputShape(), format), nodes, model.spec().output());
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      throw new IllegalStateException("the Keras twin of " + model.spec().name() + " does not check: "
          + result.problems());
    }
    InferredModel twin = result.model();
    checkSameWeights(model, twin, format);
    return new Built(Optional.of(twin), Optional.empty());
  }

  /**
   * Features of a flattened channels-first image are in C,H,W order, in the twin in H,W,C order;
   * only a Dense layer reading them (through activations and dropout) gets its rows reordered.
   */
  private static Optional<String> flattenedFeaturesOnlyReachDense(InferredModel model, InferredModel.Layer flatten) {
    Deque<String> pending = new ArrayDeque<>(List.of(flatten.name()));
    while (!pending.isEmpty()) {
      String at = pending.pop();
      if (at.equals(model.spec().output())) {
        return Optional.of("the model outputs the flattened channels-first image, in C,H,W order; the "
            + "channels-last Keras equivalent would output it in H,W,C order");
      }
      for (InferredModel.Layer reader : model.nodes()) {
        if (!reader.node().inputs().contains(at)) {
          continue;
        }
        if (reader.spec() instanceof Dense) {
          continue;
        }
        if (reader.spec() instanceof Dropout || reader.spec() instanceof ActivationLayer) {
          pending.push(reader.name());
          continue;
        }
        return Optional.of("the flattened channels-first image (features in C,H,W order) reaches layer "
            + reader.name() + " (" + reader.spec().typeName() + "); only a Dense layer's input rows are "
            + "reordered for the channels-last Keras equivalent (H,W,C)");
      }
    }
    return Optional.empty();
  }

  private static LayerSpec kerasLayer(InferredModel.Layer l, boolean transposed) {
    LayerSpec spec = l.spec();
    Framework k = Framework.KERAS;
    DataFormat last = DataFormat.CHANNELS_LAST;
    if (spec instanceof Dense d) {
      return new Dense(k, d.units(), d.declaredIn(), d.useBias(), d.activation());
    }
    if (spec instanceof Conv2D c) {
      // KerasConfig.unsupportedReason let through only valid, same, or p = d(k-1)/2 at stride 1.
      Padding padding = c.padding().mode() == Padding.Mode.EXPLICIT ? Padding.SAME : c.padding();
      return new Conv2D(k, c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), padding,
          c.dilationH(), c.dilationW(), c.useBias(), c.activation(), last, c.declaredIn());
    }
    if (spec instanceof Pool2D p) {
      return new Pool2D(k, p.kind(), p.poolH(), p.poolW(), p.strideH(), p.strideW(), p.padding(), false, false, last);
    }
    if (spec instanceof GlobalPool2D g) {
      return new GlobalPool2D(k, g.kind(), last);
    }
    if (spec instanceof Flatten f) {
      return new Flatten(k, f.dataFormat() == null && l.inputShapes().get(0).rank() != 3 ? null : last);
    }
    if (spec instanceof BatchNorm b) {
      int rank = l.inputShapes().get(0).rank();
      int axis = b.featureAxis() < 0 ? rank + b.featureAxis() : b.featureAxis();
      double momentum = b.framework() == Framework.TORCH ? 1 - b.momentum() : b.momentum();
      return new BatchNorm(k, "BatchNormalization", KERAS_BATCHNORM_EPSILON, momentum,
          transposed && rank == 3 ? twinAxis(axis) : axis, b.center(), b.scale(), List.of(), b.declaredFeatures());
    }
    if (spec instanceof Dropout d) {
      return new Dropout(k, d.rate());
    }
    if (spec instanceof ActivationLayer a) {
      Activation act = a.activation();
      if (act.kind() == Activation.Kind.SOFTMAX && transposed && l.inputShapes().get(0).rank() == 3) {
        int full = act.axis() < 0 ? 4 + act.axis() : act.axis();
        act = Activation.softmax(twinAxis(full - 1) + 1);
      }
      return new ActivationLayer(k, KerasClasses.of(spec), act);
    }
    if (spec instanceof Add a) {
      return new Add(k, a.arity());
    }
    throw new IllegalStateException("no Keras twin for layer " + l.name() + " (" + spec.typeName() + ")");
  }

  /** Where sample axis {@code axis} of a {@code (C,H,W)} image is in {@code (H,W,C)}. */
  private static int twinAxis(int axis) {
    return axis == 0 ? 2 : axis - 1;
  }

  /**
   * The twin must take exactly the weights Sequent exports for the model: same layers in the same
   * order, same Keras names and Keras shapes. A difference is a bug here, not a user error.
   */
  private static void checkSameWeights(InferredModel model, InferredModel twin, DataFormat format) {
    List<NamedParam> ours = ParameterNames.of(model);
    List<NamedParam> theirs = ParameterNames.of(twin);
    boolean same = ours.size() == theirs.size();
    for (int i = 0; same && i < ours.size(); i++) {
      NamedParam a = ours.get(i);
      NamedParam b = theirs.get(i);
      same = a.layer().equals(b.layer()) && a.keras2Name().equals(b.keras2Name())
          && a.spec().shape(Framework.KERAS).equals(b.spec().shape(Framework.KERAS));
    }
    Shape expectedOut = twinShape(model.outputShape(), format);
    if (!same || !twin.outputShape().equals(expectedOut)) {
      throw new IllegalStateException("the Keras twin of " + model.spec().name() + " does not take the weights "
          + "Sequent exports for it (or changes its output " + model.outputShape() + " to " + twin.outputShape() + ")");
    }
  }
}
