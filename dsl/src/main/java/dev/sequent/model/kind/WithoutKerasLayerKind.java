package dev.sequent.model.kind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import java.util.List;
import java.util.Optional;

/**
 * A kind that Keras has no layer for (code in a PyTorch forward: slicing, a held tensor, a
 * functional attention call): it reads no Keras class and no {@code torch.nn} module, and every
 * Keras question is answered by the one reason it gives ({@link #kerasUnsupported}, which it must
 * say): no config is written and there is no twin.
 */
public abstract class WithoutKerasLayerKind<L extends LayerSpec> extends AbstractLayerKind<L> {

  protected WithoutKerasLayerKind(Class<L> recordType) {
    super(recordType, List.of(), List.of());
  }

  /** Why Keras cannot hold the layer: never empty for these kinds. */
  @Override
  public abstract Optional<String> kerasUnsupported(L layer);

  /** Never called for a layer with a {@link #kerasUnsupported} reason; refuses with that reason. */
  @Override
  public final void writeKeras(L layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    throw new IllegalStateException(kerasUnsupported(layer).orElseThrow());
  }

  @Override
  public final Twin kerasTwin(L layer, TwinContext context) {
    return Twin.none(kerasUnsupported(layer).orElseThrow());
  }
}
