package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The element-wise merges, one kind for the family ({@link ElementwiseMerge} with a
 * {@link MergeOperator}): Keras {@code Add}, {@code Subtract}, {@code Multiply}, {@code Average},
 * {@code Maximum}, {@code Minimum} (Keras 3.15 {@code keras/src/layers/merging/}; their
 * {@code get_config} holds only the base keys in both dialects). In PyTorch these are code in a
 * {@code forward} ({@code a + b}, {@code scale * x}), not modules, so no module is read and
 * torchinfo lists no row for them.
 *
 * <p>DSL: {@code @Add(from = ...)} (either vocabulary, read by the processor with the wiring
 * annotations), Keras {@code @Multiply}, {@code @Subtract}, {@code @Average}, {@code @Maximum},
 * {@code @Minimum}, PyTorch {@code @Mul} and {@code @Sub} (as {@code torch.mul}/{@code torch.sub}),
 * each with {@code from}, the layers it merges.
 *
 * <p>Twin: the same operator. Broadcasting aligns trailing axes, which a channels-first image's
 * transpose moves, so a twin is refused where a transposed image meets an input of another rank.
 */
public final class ElementwiseMergeKind extends AbstractLayerKind<ElementwiseMerge> {
  private static final String KERAS = "dev.sequent.dsl.keras.";
  private static final String TORCH = "dev.sequent.dsl.torch.";

  public ElementwiseMergeKind() {
    super(ElementwiseMerge.class, Arrays.stream(MergeOperator.values()).map(MergeOperator::kerasClass).toList(),
        List.of());
  }

  @Override
  public String kerasClass(ElementwiseMerge layer) {
    return layer.operator().kerasClass();
  }

  @Override
  public String torchClass(ElementwiseMerge layer) {
    return layer.typeName();
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    List<AnnotationBuilder> builders = new ArrayList<>();
    for (MergeOperator o : List.of(MergeOperator.MULTIPLY, MergeOperator.SUBTRACT, MergeOperator.AVERAGE,
        MergeOperator.MAXIMUM, MergeOperator.MINIMUM)) {
      builders.add(new AnnotationBuilder(KERAS + o.kerasClass(), v -> build(Framework.KERAS, o, v)));
    }
    for (MergeOperator o : List.of(MergeOperator.MULTIPLY, MergeOperator.SUBTRACT)) {
      builders.add(new AnnotationBuilder(TORCH + o.torchName(), v -> build(Framework.TORCH, o, v)));
    }
    return builders;
  }

  private static ElementwiseMerge build(Framework framework, MergeOperator operator, AnnotationValues v) {
    return new ElementwiseMerge(framework, operator, ((String[]) v.get("from")).length);
  }

  @Override
  public ElementwiseMerge fromKeras(KerasLayerInput c) {
    return new ElementwiseMerge(Framework.KERAS, MergeOperator.ofKerasClass(c.className()), c.inputCount());
  }

  @Override
  public void writeKeras(ElementwiseMerge layer, InferredModel.Layer inferred, KerasDialect dialect,
      ObjectNode config) {
    // The merges have no arguments of their own.
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("an element-wise merge is code in a PyTorch forward (a + b, a * b), not a module");
  }

  @Override
  public Twin kerasTwin(ElementwiseMerge m, TwinContext context) {
    List<Shape> in = context.layer().inputShapes();
    if (context.imageIn() && in.stream().anyMatch(s -> s.rank() != 3)) {
      return Twin.none(m.typeName() + " broadcasts a channels-first image " + in
          + " against an input of another rank; broadcasting aligns the last axes, which the channels-last twin moves");
    }
    return Twin.of(new ElementwiseMerge(Framework.KERAS, m.operator(), m.arity()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(ElementwiseMerge.add(Framework.KERAS, 2), Shape.of(4)),
        new Example(ElementwiseMerge.add(Framework.TORCH, 3), Shape.of(2, 3, 3)),
        new Example(new ElementwiseMerge(Framework.KERAS, MergeOperator.SUBTRACT, 2), Shape.of(3, 2)),
        new Example(new ElementwiseMerge(Framework.KERAS, MergeOperator.MULTIPLY, 2), Shape.of(4, 4, 3)),
        new Example(new ElementwiseMerge(Framework.TORCH, MergeOperator.MULTIPLY, 2), Shape.of(3, 4, 4)),
        new Example(new ElementwiseMerge(Framework.KERAS, MergeOperator.AVERAGE, 3), Shape.of(5)),
        new Example(new ElementwiseMerge(Framework.KERAS, MergeOperator.MAXIMUM, 2), Shape.of(2, 2)),
        new Example(new ElementwiseMerge(Framework.KERAS, MergeOperator.MINIMUM, 2), Shape.of(2, 2)));
  }

  /** Keras merges the masks of its inputs ({@code compute_mask}), which Sequent does not follow. */
  @Override
  public MaskUse kerasMaskUse(ElementwiseMerge layer) {
    return MaskUse.REFUSES;
  }
  /** {@code @Add} is the common annotation of both vocabularies; the others are the vocabulary's. */
  @Override
  public Optional<SourceForm> sourceForm(ElementwiseMerge m) {
    if (m.operator() == MergeOperator.ADD) {
      return Optional.of(new SourceForm("dev.sequent.dsl.Add", java.util.Map.of()));
    }
    return Optional.of(m.framework() == Framework.KERAS ? SourceForm.keras(m.operator().kerasClass())
        : SourceForm.torch(m.operator().torchName()));
  }
}
