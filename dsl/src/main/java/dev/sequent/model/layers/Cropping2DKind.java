package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Cropping: Keras {@code Cropping2D} (Keras 3.15 {@code keras/src/layers/reshaping/cropping2d.py}:
 * {@code cropping} an int, {@code (sym_h, sym_w)} or {@code ((top, bottom), (left, right))},
 * default {@code ((0, 0), (0, 0))}; {@code get_config} writes the nested form and
 * {@code data_format}, as tf_keras does). PyTorch has no cropping module. See {@link Cropping2D}.
 *
 * <p>Twin: the same crop, channels-last.
 */
public final class Cropping2DKind extends AbstractLayerKind<Cropping2D> {
  public static final String KERAS_CLASS = "Cropping2D";
  /** The name suffix of a Cropping2D that another layer's Keras twin puts after it ({@code up_crop}). */
  public static final String TWIN_SUFFIX = "crop";
  /** Keras' {@code Cropping2D(cropping=((0, 0), (0, 0)))} default. */
  public static final int KERAS_CROPPING = 0;

  public Cropping2DKind() {
    super(Cropping2D.class, List.of(KERAS_CLASS), List.of());
  }

  /** No torch.nn module crops; summaries show the Keras class. */
  @Override
  public String torchClass(Cropping2D c) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> {
      int[] s = ZeroPad2DKind.kerasSides("cropping", v.ints("cropping"));
      return new Cropping2D(Framework.KERAS, s[0], s[1], s[2], s[3], DataFormat.CHANNELS_LAST);
    }));
  }

  @Override
  public Cropping2D fromKeras(KerasLayerInput c) {
    int[] s = ZeroPad2DKind.kerasSides(c, "cropping");
    return new Cropping2D(Framework.KERAS, s[0], s[1], s[2], s[3], c.dataFormat());
  }

  @Override
  public void writeKeras(Cropping2D k, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("cropping", ZeroPad2DKind.kerasNested(k.top(), k.bottom(), k.left(), k.right()));
    c.put("data_format", k.dataFormat().kerasName());
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no cropping module: its models slice the tensor in forward "
        + "(x[:, :, top:h - bottom, left:w - right]), which is code, not a module this kind could read");
  }

  @Override
  public Twin kerasTwin(Cropping2D k, TwinContext context) {
    return Twin.of(new Cropping2D(Framework.KERAS, k.top(), k.bottom(), k.left(), k.right(), DataFormat.CHANNELS_LAST));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Cropping2D(Framework.KERAS, 1, 0, 2, 1, DataFormat.CHANNELS_LAST), Shape.of(6, 7, 3)),
        new Example(new Cropping2D(Framework.KERAS, 1, 1, 0, 2, DataFormat.CHANNELS_FIRST), Shape.of(2, 5, 6)));
  }
  /** The shortest of Keras' three forms that gives the four sides. */
  @Override
  public Optional<SourceForm> sourceForm(Cropping2D c) {
    boolean all = c.top() == c.bottom() && c.bottom() == c.left() && c.left() == c.right();
    return Optional.of(SourceForm.keras(KERAS_CLASS).with("cropping", all ? new int[] {c.top()}
        : c.top() == c.bottom() && c.left() == c.right() ? new int[] {c.top(), c.left()}
        : new int[] {c.top(), c.bottom(), c.left(), c.right()}));
  }
}
