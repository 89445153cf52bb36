package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Arg;
import dev.sequent.runtime.io.torch.export.write.ProgramGraph.Tensor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link AtenLowering} writes one layer with: the layer's inputs as program values in the
 * layout it asks for, its state_dict tensors as placeholders, and the graph to add calls to.
 *
 * <p>Layouts. The program takes and gives the PyTorch twin's tensors: for a channels-last model
 * (a Keras one), every image ({@code (H, W, C)} per sample, rank 3) is channels-first
 * {@code (C, H, W)} in the program ({@link Layout#TORCH}). A layer whose ATen op is channels-first
 * (a convolution, a pool, a batch norm) reads its inputs so; a layer defined on the model's own
 * axes (a Dense on the last axis, a Reshape, a Permute, a Flatten in Keras' H,W,C order) reads them
 * in {@link Layout#MODEL}, and the permute between the two is written once per tensor, when first
 * asked for. For a channels-first model, and for tensors that are not images, the two are the same.
 */
public final class LoweringContext {
  /** Where a tensor's axes are: the PyTorch twin's (channels-first images) or the model's own. */
  public enum Layout { TORCH, MODEL }

  /** A layer's output as a lowering computed it. */
  public record Lowered(Tensor tensor, Layout layout) {
    public static Lowered torch(Tensor t) {
      return new Lowered(t, Layout.TORCH);
    }

    public static Lowered model(Tensor t) {
      return new Lowered(t, Layout.MODEL);
    }
  }

  /**
   * Where a layer is: its model, its shapes, and whether the model's images are transposed in the
   * program (the model is channels-last).
   */
  public record Site(InferredModel model, InferredModel.Layer layer, boolean transposed) {
    /** Input {@code i}'s sample shape in the model's layout. */
    public Shape inputShape(int i) {
      return layer.inputShapes().get(i);
    }

    /** Whether a tensor of this model-layout sample shape is an image the program transposes. */
    public boolean isTransposedImage(Shape shape) {
      return transposed && shape.rank() == 3;
    }

    /**
     * Why a layer of {@code format} cannot be written in a model of this layout: a channels-first
     * layer in a channels-last model (or the other way) would need its own transposes.
     */
    public Optional<String> formatRefused(DataFormat format) {
      if (format == null || (format == DataFormat.CHANNELS_LAST) == transposed) {
        return Optional.empty();
      }
      return Optional.of("its data format " + format + " differs from the model's; Sequent writes models whose "
          + "images are all in one layout");
    }
  }

  private final Site site;
  private final ProgramGraph graph;
  private final List<Map<Layout, Tensor>> inputs;
  private final Function<String, Optional<Tensor>> params;
  private final String module;

  LoweringContext(Site site, ProgramGraph graph, List<Map<Layout, Tensor>> inputs,
      Function<String, Optional<Tensor>> params, String module) {
    this.site = site;
    this.graph = graph;
    this.inputs = inputs;
    this.params = params;
    this.module = module;
  }

  public Site site() {
    return site;
  }

  public InferredModel.Layer layer() {
    return site.layer();
  }

  public int inputCount() {
    return inputs.size();
  }

  /** Input {@code i}'s sample shape in the model's layout. */
  public Shape inputShape(int i) {
    return site.inputShape(i);
  }

  /** The layer's output sample shape in the model's layout. */
  public Shape outputShape() {
    return site.layer().outputShape();
  }

  /** Input {@code i} in {@code layout}, permuted once if it was computed in the other. */
  public Tensor input(int i, Layout layout) {
    return in(inputs.get(i), inputShape(i), layout);
  }

  /** Every input in {@code layout}. */
  public List<Tensor> inputs(Layout layout) {
    return java.util.stream.IntStream.range(0, inputs.size()).mapToObj(i -> input(i, layout)).toList();
  }

  /** The layout input 0 was computed in (so that an elementwise op on it adds no permute). */
  public Layout firstInputLayout() {
    return inputs.get(0).containsKey(Layout.TORCH) ? Layout.TORCH : Layout.MODEL;
  }

  /**
   * {@code values} (one tensor, by the layouts it has) in {@code layout}. A missing layout is made
   * by permuting a transposed image and cached, so that a second reader reuses it.
   */
  Tensor in(Map<Layout, Tensor> values, Shape modelShape, Layout layout) {
    Tensor have = values.get(layout);
    if (have != null) {
      return have;
    }
    Tensor other = values.values().iterator().next();
    Tensor moved = site.isTransposedImage(modelShape)
        ? permute(other, layout == Layout.TORCH ? new int[] {0, 3, 1, 2} : new int[] {0, 2, 3, 1})
        : other;
    values.put(layout, moved);
    return moved;
  }

  /**
   * A value the layer computed (of its output's shape) in the model's layout: permuted when it is
   * a transposed image computed channels-first.
   */
  public Tensor toModel(Lowered value) {
    return toLayout(value, Layout.MODEL);
  }

  /** As {@link #toModel}, to either layout. */
  public Tensor toLayout(Lowered value, Layout layout) {
    if (value.layout() == layout || !site.isTransposedImage(outputShape())) {
      return value.tensor();
    }
    return permute(value.tensor(), layout == Layout.TORCH ? new int[] {0, 3, 1, 2} : new int[] {0, 2, 3, 1});
  }

  /** The layer's state_dict tensor of PyTorch name {@code torchName} ({@code weight}). */
  public Tensor param(String torchName) {
    return optionalParam(torchName).orElseThrow(() -> new IllegalStateException(
        "layer " + site.layer().name() + " has no PyTorch tensor " + torchName));
  }

  public Optional<Tensor> optionalParam(String torchName) {
    return params.apply(torchName);
  }

  /** A call returning one contiguous float tensor of per-sample {@code sizes}. */
  public Tensor call(String op, int[] sizes, Arg... args) {
    return graph.call(op, module, sizes, args);
  }

  /** {@code aten.permute} of a batched tensor by {@code dims} (the batch axis 0 stays first): a view. */
  public Tensor permute(Tensor t, int[] dims) {
    int[] sizes = new int[dims.length - 1];
    long[] strides = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      strides[i] = t.strides()[dims[i]];
      if (i > 0) {
        sizes[i - 1] = t.sizes()[dims[i] - 1];
      }
    }
    return graph.call("aten.permute.default", module, sizes, strides, t.dtype(), Arg.tensor("self", t),
        Arg.ints("dims", dims));
  }

  /** The per-sample sizes of a model-layout shape in {@code layout}. */
  public int[] sizes(Shape modelShape, Layout layout) {
    int[] d = modelShape.toArray();
    if (layout == Layout.TORCH && site.isTransposedImage(modelShape)) {
      return new int[] {d[2], d[0], d[1]};
    }
    return d.clone();
  }

  /** {@code values} by layout, for the writer. */
  static Map<Layout, Tensor> only(Layout layout, Tensor t) {
    Map<Layout, Tensor> m = new EnumMap<>(Layout.class);
    m.put(layout, t);
    return m;
  }
}
