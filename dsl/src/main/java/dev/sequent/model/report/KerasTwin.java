package dev.sequent.model.report;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 *   <li>BatchNorm epsilon 1e-3; softmax axes of images moved with the channels;
 *   <li>a PyTorch option that Keras spells as a layer of its own as a short chain of layers, which
 *       each layer's kind gives ({@link Twin#chain}): explicit padding as {@code ZeroPadding2D} then
 *       a "valid" convolution, a padded {@code ConvTranspose2d} as {@code Conv2DTranspose} then
 *       {@code Cropping2D}, padded pooling as {@code ZeroPadding2D} then a "valid" pool where that
 *       is exact, a flattened channels-first image read by no Dense as {@code Permute((3, 1, 2))}
 *       then {@code Flatten}. The chain's main layer keeps the layer's name and weights; helpers
 *       are named {@code <layer>_<suffix>} (made unique) and have none; a later layer reads the
 *       chain's last output.
 * </ul>
 *
 * <p>A model has no twin (and {@link #whyNone} says why) where that would not compute the same
 * function on the transposed input: custom layers (Keras cannot rebuild them from a config
 * without their Python class); layers whose kind finds no exact Keras form (a padded max pool of
 * values that may be negative, which PyTorch pads with -inf; a strided dilated convolution;
 * tanh-GELU, softplus with beta: each link of a twin must have a Keras config,
 * {@link KerasConfig#unsupportedReason}); and, in a channels-first model, a Dense layer applied to
 * an image (it acts on the width axis, which moves), a softmax fused into a layer whose output is
 * an image (Keras' activation string has no axis), and features of a flattened image read both by
 * a Dense layer (whose input rows are reordered from C,H,W to H,W,C) and by anything else.
 */
public final class KerasTwin {
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
    DataFormat format = imageFormat(model);
    boolean transposed = format == DataFormat.CHANNELS_FIRST;
    List<Node> nodes = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    model.nodes().forEach(l -> taken.add(l.name()));
    model.spec().inputs().forEach(in -> taken.add(in.name()));
    // a layer's output in the twin is its chain's last link, which is not the layer's name when a
    // helper (Cropping2D after Conv2DTranspose) follows the main link
    Map<String, String> outputOf = new HashMap<>();
    for (InferredModel.Layer l : model.nodes()) {
      String where = "layer " + l.name() + " (" + l.spec().typeName() + "): ";
      LayerKind<LayerSpec> kind = LayerKinds.of(l.spec());
      TwinContext context = new TwinContext(model, l, transposed);
      if (model.spec().style() != ModelSpec.Style.MODULE && kind.kerasOperation(l.spec()).isPresent()) {
        return Built.none(where + "it is code in the model, which only a Functional model's config holds");
      }
      Twin twin = kind.kerasTwin(l.spec(), context);
      if (twin.whyNone().isPresent()) {
        return Built.none(where + twin.whyNone().get());
      }
      for (Twin.Link link : twin.chain()) {
        // every link must itself have a Keras config (a kind whose twin keeps an option Keras lacks says so here)
        Optional<String> keras = KerasConfig.unsupported(link.layer());
        if (keras.isPresent()) {
          return Built.none(where + keras.get());
        }
      }
      if (context.imageOut() && kind.fusedActivation(l.spec()).kind() == Activation.Kind.SOFTMAX) {
        return Built.none(where + "its softmax over the last axis of a channels-first image would run over "
            + "the channels in the channels-last Keras equivalent");
      }
      List<String> inputs = l.node().inputs().stream().map(in -> outputOf.getOrDefault(in, in)).toList();
      String previous = null;
      for (Twin.Link link : twin.chain()) {
        String name = link.main() ? l.name() : unique(l.name() + "_" + link.suffix(), taken);
        List<String> in = previous == null ? inputs : List.of(previous);
        nodes.add(new Node(name, link.layer(), in, link.main() ? l.node().sharesWeightsOf() : null));
        previous = name;
      }
      outputOf.put(l.name(), previous);
    }
    List<ModelSpec.Input> inputs = model.spec().inputs().stream()
        .map(in -> new ModelSpec.Input(in.name(), twinShape(in.shape(), format))).toList();
    List<String> outputs = model.spec().outputs().stream().map(o -> outputOf.getOrDefault(o, o)).toList();
    ModelSpec spec = ModelSpec.graph(model.spec().name(), model.spec().style(), Framework.KERAS, inputs, nodes,
        outputs);
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      throw new IllegalStateException("the Keras twin of " + model.spec().name() + " does not check: "
          + result.problems());
    }
    InferredModel twin = result.model();
    checkSameWeights(model, twin, format);
    return new Built(Optional.of(twin), Optional.empty());
  }

  /** {@code name}, or {@code name_1}, {@code name_2}, ... when a layer or input already has it. */
  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 1; taken.contains(candidate); i++) {
      candidate = name + "_" + i;
    }
    taken.add(candidate);
    return candidate;
  }

  /**
   * The twin must take exactly the weights Sequent exports for the model: same layers in the same
   * order, same Keras names (Keras 2 names, and Keras 3 paths, by which a {@code .keras} archive's
   * weights are found) and Keras shapes. A difference is a bug here, not a user error.
   */
  private static void checkSameWeights(InferredModel model, InferredModel twin, DataFormat format) {
    List<NamedParam> ours = ParameterNames.of(model, Framework.KERAS);
    List<NamedParam> theirs = ParameterNames.of(twin, Framework.KERAS);
    boolean same = ours.size() == theirs.size();
    for (int i = 0; same && i < ours.size(); i++) {
      NamedParam a = ours.get(i);
      NamedParam b = theirs.get(i);
      same = a.layer().equals(b.layer()) && a.keras2Name().equals(b.keras2Name())
          && a.keras3Name().equals(b.keras3Name())
          && a.spec().shape(Framework.KERAS).equals(b.spec().shape(Framework.KERAS));
    }
    Shape expectedOut = twinShape(model.outputShape(), format);
    if (!same || !twin.outputShape().equals(expectedOut)) {
      throw new IllegalStateException("the Keras twin of " + model.spec().name() + " does not take the weights "
          + "Sequent exports for it (or changes its output " + model.outputShape() + " to " + twin.outputShape() + ")");
    }
  }
}
