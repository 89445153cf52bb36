package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;

/**
 * Element-wise sums: Keras {@code Add} ({@code keras/src/layers/merging/add.py}); in PyTorch the
 * {@code a + b} of a {@code forward}, code rather than a module, so no PyTorch module is read and
 * summaries list no row for it. Its DSL annotation {@code @Add(from = ...)} is wiring, read by the
 * processor with the other wiring annotations ({@link dev.sequent.model.catalog.AnnotationCatalog#add}).
 */
public final class AddKind extends AbstractLayerKind<Add> {
  public static final String CLASS = "Add";

  public AddKind() {
    super(Add.class, List.of(CLASS), List.of());
  }

  @Override
  public String torchClass(Add layer) {
    return CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  @Override
  public Add fromKeras(KerasLayerInput c) {
    return new Add(Framework.KERAS, c.inputCount());
  }

  @Override
  public void writeKeras(Add layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    // Add has no arguments of its own.
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("a residual sum is code in a PyTorch forward (a + b), not a module");
  }

  @Override
  public Twin kerasTwin(Add a, TwinContext context) {
    return Twin.of(new Add(Framework.KERAS, a.arity()));
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Add(Framework.KERAS, 2), Shape.of(4)),
        new Example(new Add(Framework.TORCH, 3), Shape.of(2, 3, 3)));
  }
}
