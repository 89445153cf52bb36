package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.WithoutKerasLayerKind;
import dev.sequent.model.kind.KerasLayerInput;
import java.util.List;
import java.util.Optional;

/**
 * Indexing in a PyTorch forward: {@code x[:, a:b:s]} / {@code narrow} / a piece of {@code chunk} or
 * {@code split} ({@code @Slice}), and {@code x[:, i]} / {@code select} / a piece of {@code unbind}
 * ({@code @Select}). Code, not a module; Keras writes slicing as a {@code tf.__operators__.getitem}
 * op (tf_keras) or {@code keras.ops} code, not as a layer of its own, so no Keras class either. See
 * {@link Slice}.
 */
public final class SliceKind extends WithoutKerasLayerKind<Slice> {
  public static final String TORCH_SLICE = "Slice";
  public static final String TORCH_SELECT = "Select";
  /** Python's slice defaults: from the start, to the end, every position. */
  public static final int START = 0;
  public static final int END = Integer.MAX_VALUE;
  public static final int STEP = 1;

  public SliceKind() {
    super(Slice.class);
  }

  @Override
  public String kerasClass(Slice layer) {
    return layer.typeName();
  }

  @Override
  public String torchClass(Slice layer) {
    return layer.typeName();
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_SLICE, v -> Slice.range(Framework.TORCH,
            v.integer("dim"), v.integer("start"), v.integer("end"), v.integer("step"))),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_SELECT,
            v -> Slice.index(Framework.TORCH, v.integer("dim"), v.integer("index"))));
  }

  @Override
  public Slice fromKeras(KerasLayerInput c) {
    throw c.unsupported("Keras has no slicing layer");
  }

  @Override
  public Optional<String> kerasUnsupported(Slice layer) {
    return Optional.of("Keras has no slicing layer (a Keras model slices in code: keras.ops or tf_keras' "
        + "getitem op), which a Keras config Sequent writes does not hold");
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras slices tensors in code (keras.ops), not with a layer");
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("indexing (x[:, a:b], narrow, chunk, split, select, unbind) is code in a PyTorch forward, "
        + "not a module");
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(Slice.range(Framework.TORCH, -1, 2, 7, 2), Shape.of(3, 8)),
        new Example(Slice.range(Framework.TORCH, 1, -3, END, 1), Shape.of(5, 4, 4)),
        new Example(Slice.index(Framework.TORCH, 1, -1), Shape.of(5, 6)));
  }

  @Override
  public Optional<SourceForm> sourceForm(Slice s) {
    if (s.select()) {
      return Optional.of(SourceForm.torch(TORCH_SELECT).with("dim", s.dim()).with("index", s.start()));
    }
    return Optional.of(SourceForm.torch(TORCH_SLICE).with("dim", s.dim()).with("start", s.start())
        .with("end", s.end()).with("step", s.step()));
  }
}
