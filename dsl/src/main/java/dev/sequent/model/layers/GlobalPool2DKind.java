package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Global pooling over height and width: Keras {@code GlobalAveragePooling2D} /
 * {@code GlobalMaxPooling2D}, and PyTorch's {@code AdaptiveAvgPool2d(1)} / {@code AdaptiveMaxPool2d(1)}
 * (output size 1 only: that is global pooling keeping height and width as 1, what torchvision's
 * ResNet uses before its {@code torch.flatten}). See {@link GlobalPool2D}.
 */
public final class GlobalPool2DKind extends AbstractLayerKind<GlobalPool2D> {
  public static final String KERAS_AVG = "GlobalAveragePooling2D";
  public static final String KERAS_MAX = "GlobalMaxPooling2D";
  public static final String TORCH_AVG = "AdaptiveAvgPool2d";
  public static final String TORCH_MAX = "AdaptiveMaxPool2d";

  public GlobalPool2DKind() {
    super(GlobalPool2D.class, List.of(KERAS_AVG, KERAS_MAX), List.of());
  }

  @Override
  public String kerasClass(GlobalPool2D g) {
    return g.kind() == Pool2D.Kind.MAX ? KERAS_MAX : KERAS_AVG;
  }

  /** Keras' global pooling without keepdims has no torch.nn module; summaries show the Keras class. */
  @Override
  public String torchClass(GlobalPool2D g) {
    return g.typeName();
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_AVG,
            v -> new GlobalPool2D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST)),
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_MAX,
            v -> new GlobalPool2D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_AVG, v -> torch(v, Pool2D.Kind.AVG)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_MAX, v -> torch(v, Pool2D.Kind.MAX)));
  }

  private static GlobalPool2D torch(AnnotationValues v, Pool2D.Kind kind) {
    int[] size = v.pair("value");
    if (size[0] != 1 || size[1] != 1) {
      throw new ShapeException("value", "only output_size 1 (global pooling) is supported. Received: output_size="
          + java.util.Arrays.toString(v.ints("value")));
    }
    return new GlobalPool2D(Framework.TORCH, kind, DataFormat.CHANNELS_FIRST, true);
  }

  @Override
  public GlobalPool2D fromKeras(KerasLayerInput c) {
    return new GlobalPool2D(Framework.KERAS, c.className().equals(KERAS_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        c.dataFormat(), c.bool("keepdims", false));
  }

  @Override
  public void writeKeras(GlobalPool2D g, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("data_format", g.dataFormat().kerasName());
    c.put("keepdims", g.keepDims());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("@AdaptiveAvgPool2d(1) declares it in Java, but reading nn.AdaptiveAvgPool2d from a pickled "
        + "or traced PyTorch model is not implemented yet");
  }

  @Override
  public Twin kerasTwin(GlobalPool2D g, TwinContext context) {
    return Twin.of(new GlobalPool2D(Framework.KERAS, g.kind(), DataFormat.CHANNELS_LAST, g.keepDims()));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new GlobalPool2D(Framework.KERAS, Pool2D.Kind.AVG, DataFormat.CHANNELS_LAST), Shape.of(4, 4, 3)),
        new Example(new GlobalPool2D(Framework.KERAS, Pool2D.Kind.MAX, DataFormat.CHANNELS_LAST), Shape.of(4, 5, 2)),
        new Example(new GlobalPool2D(Framework.TORCH, Pool2D.Kind.AVG, DataFormat.CHANNELS_FIRST, true), Shape.of(3, 4, 5)));
  }
}
