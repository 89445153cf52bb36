package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PyTorch {@code nn.Unflatten(dim, unflattened_size)} ({@code torch/nn/modules/flatten.py}:
 * {@code __constants__ = ["dim", "unflattened_size"]}, pickled as an int and a tuple; a traced module
 * keeps the call {@code torch.unflatten(input, 1, [2, 3, 4])}). Keras has no class of its own for
 * it: a Keras config (and the twin) has a {@code Reshape} to the whole output shape. See {@link Unflatten}.
 *
 * <p>Twin: refused where a channels-first image comes out (the twin would need a Reshape and then a
 * Permute to channels-last) or goes in; otherwise {@code Reshape(output shape)}.
 */
public final class UnflattenKind extends AbstractLayerKind<Unflatten> {
  public static final String TORCH_CLASS = "Unflatten";
  public static final String TORCH_MODULE = "torch.nn.modules.flatten." + TORCH_CLASS;

  public UnflattenKind() {
    super(Unflatten.class, List.of(), List.of(TORCH_MODULE));
  }

  @Override
  public String kerasClass(Unflatten layer) {
    return ReshapeKind.KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_CLASS,
        v -> new Unflatten(Framework.TORCH, v.integer("dim"), Arrays.stream(v.ints("sizes")).boxed().toList())));
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras has no Unflatten; a Keras Reshape is read as Reshape");
  }

  @Override
  public Unflatten fromKeras(KerasLayerInput config) {
    throw config.unsupported("Keras has no Unflatten layer");
  }

  /** A Keras config has it as {@code Reshape} to the whole output shape: the same values in the same order. */
  @Override
  public void writeKeras(Unflatten layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    inferred.outputShape().dims().forEach(config.putArray("target_shape")::add);
  }

  @Override
  public Unflatten fromTorch(TorchModuleInput m) {
    try {
      return new Unflatten(Framework.TORCH, m.integer("dim"),
          Arrays.stream(m.ints("unflattened_size")).boxed().toList());
    } catch (ShapeException e) {
      throw m.unsupported(e.getMessage());
    }
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (c.op().equals("unflatten")) {
      a.put("dim", c.arg(1, "dim", null));
      a.put("unflattened_size", c.arg(2, "sizes", null));
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Unflatten layer, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("dim", layer.dim());
    a.put("unflattened_size", layer.sizes());
    return a;
  }

  @Override
  public Twin kerasTwin(Unflatten layer, TwinContext context) {
    if (context.imageIn() || context.imageOut()) {
      return Twin.none("Unflatten into or of a channels-first image keeps the values' memory order, which the "
          + "channels-last twin's image does not have (it would need a Reshape and a Permute)");
    }
    return Twin.of(new Reshape(Framework.KERAS, context.layer().outputShape().dims()));
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Unflatten(Framework.TORCH, 1, List.of(2, 3, 4)), Shape.of(24)),
        new Example(new Unflatten(Framework.TORCH, -1, List.of(-1, 2)), Shape.of(3, 6)));
  }
}
