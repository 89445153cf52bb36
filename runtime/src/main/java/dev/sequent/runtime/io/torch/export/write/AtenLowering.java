package dev.sequent.runtime.io.torch.export.write;

import dev.sequent.model.LayerSpec;
import java.util.Optional;

/**
 * What one layer kind lowers to in a {@code torch.export} program: the ATen calls of the layer's
 * PyTorch twin, in the twin's channels-first layout, reading the twin's state_dict tensors. One
 * lowering per kind, beside the kind's op in spirit ({@code exec/ops/<Layer>Op}), listed once in
 * {@link AtenLowerings}; the writer ({@link ExportProgramWriter}) knows no layer.
 *
 * @param <L> the layer record
 */
public interface AtenLowering<L extends LayerSpec> {
  /** The record this lowering is for. */
  Class<L> recordType();

  /**
   * Why this layer, where it is in its model, has no ATen form (an option the lowering does not
   * write), or empty when {@link #lower} will write it. Asked for every layer before anything is
   * written, so that a refusal names every layer at fault at once.
   */
  default Optional<String> refused(L layer, LoweringContext.Site site) {
    return Optional.empty();
  }

  /** Whether the layer reads its input as int64 ids (an Embedding): a model input it reads is then int64. */
  default boolean readsIndices() {
    return false;
  }

  /** Writes the layer's calls and returns its output, in the layout it computed it in. */
  LoweringContext.Lowered lower(L layer, LoweringContext context);
}
