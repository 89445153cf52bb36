package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Global pooling over the steps of a sequence: Keras {@code GlobalAveragePooling1D} /
 * {@code GlobalMaxPooling1D} ({@code keras/src/layers/pooling/}). PyTorch has no such module (its
 * models take {@code x.mean(-1)} or {@code AdaptiveAvgPool1d(1)}), so this kind reads none. Keras'
 * masked average (after {@code Embedding(mask_zero=True)}) is not applied: Sequent has no masks
 * yet. See {@link GlobalPool1D}.
 */
public final class GlobalPool1DKind extends AbstractLayerKind<GlobalPool1D> {
  public static final String KERAS_AVG = "GlobalAveragePooling1D";
  public static final String KERAS_MAX = "GlobalMaxPooling1D";
  /** Keras' {@code keepdims} default. */
  public static final boolean KEEPDIMS = false;

  /** The torch vocabulary's {@code @Mean(dim)}: {@code x.mean(dim)} in a forward. */
  public static final String TORCH_MEAN = "Mean";

  public GlobalPool1DKind() {
    super(GlobalPool1D.class, List.of(KERAS_AVG, KERAS_MAX), List.of());
  }

  @Override
  public String kerasClass(GlobalPool1D g) {
    return g.kind() == Pool2D.Kind.MAX ? KERAS_MAX : KERAS_AVG;
  }

  /** No torch.nn module computes it; summaries show the Keras class. */
  @Override
  public String torchClass(GlobalPool1D g) {
    return kerasClass(g);
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_AVG,
            v -> new GlobalPool1D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST, v.bool("keepdims"))),
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_MAX,
            v -> new GlobalPool1D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST, v.bool("keepdims"))),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_MEAN, v -> new GlobalPool1D(Framework.TORCH,
            Pool2D.Kind.AVG, meanFormat(v.integer("dim")), v.bool("keepdim"))));
  }

  /** {@code x.mean(dim)} of a {@code (batch, a, b)} sequence: dim 1 pools the steps of a channels-last one. */
  private static DataFormat meanFormat(int dim) {
    return switch (dim) {
      case 1 -> DataFormat.CHANNELS_LAST;
      case 2, -1 -> DataFormat.CHANNELS_FIRST;
      default -> throw new dev.sequent.model.ShapeException("dim", "mean pools axis 1 (the steps of a (batch, time, "
          + "features) sequence) or 2. Received: dim=" + dim);
    };
  }

  @Override
  public GlobalPool1D fromKeras(KerasLayerInput c) {
    return new GlobalPool1D(Framework.KERAS, c.className().equals(KERAS_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        c.dataFormat(), c.bool("keepdims", KEEPDIMS));
  }

  @Override
  public void writeKeras(GlobalPool1D g, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("data_format", g.dataFormat().kerasName());
    c.put("keepdims", g.keepDims());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no global pooling module: its models use AdaptiveAvgPool1d(1) or a mean "
        + "in forward, which this kind does not read");
  }

  @Override
  public Twin kerasTwin(GlobalPool1D g, TwinContext context) {
    return Twin.of(new GlobalPool1D(Framework.KERAS, g.kind(), g.dataFormat(), g.keepDims()));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new GlobalPool1D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST, false),
            Shape.of(6, 3)),
        new Example(new GlobalPool1D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST, true),
            Shape.of(5, 2)),
        new Example(new GlobalPool1D(Framework.TORCH, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST, false),
            Shape.of(6, 16)));
  }

  /**
   * Keras' {@code GlobalAveragePooling1D} averages the kept steps under a mask; {@code GlobalMaxPooling1D}
   * does not support masking (Keras drops the mask, with a warning).
   */
  @Override
  public MaskUse kerasMaskUse(GlobalPool1D g) {
    return g.kind() == Pool2D.Kind.AVG ? MaskUse.READS : MaskUse.DROPS;
  }

  @Override
  public GlobalPool1D withMaskInput(GlobalPool1D g) {
    return new GlobalPool1D(g.framework(), g.kind(), g.dataFormat(), g.keepDims(), true);
  }
}
