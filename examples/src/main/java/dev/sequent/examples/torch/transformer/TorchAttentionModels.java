package dev.sequent.examples.torch.transformer;

import dev.sequent.dsl.Input;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.torch.MultiheadAttention;

/** The fixtures/attention PyTorch cases, one module each ({@code self.mha = nn.MultiheadAttention(...)}). */
public final class TorchAttentionModels {
  private TorchAttentionModels() {}

  /** {@code torch_self}: {@code mha(x, x, x)[0]}. */
  @Module(input = {6, 8})
  public interface SelfAttention {
    @MultiheadAttention(embedDim = 8, numHeads = 2, batchFirst = true) Layer mha();
  }

  /** {@code torch_no_bias}. */
  @Module(input = {6, 8})
  public interface NoBiasAttention {
    @MultiheadAttention(embedDim = 8, numHeads = 2, bias = false, batchFirst = true) Layer mha();
  }

  /** {@code torch_causal}: {@code attn_mask=generate_square_subsequent_mask(6), is_causal=True}. */
  @Module(input = {6, 8})
  public interface CausalAttention {
    @MultiheadAttention(embedDim = 8, numHeads = 4, batchFirst = true, isCausal = true) Layer mha();
  }

  /** {@code torch_kdim}: {@code mha(q, k, v)[0]} with kdim 6, vdim 5 (q/k/v_proj_weight). */
  @Module
  public interface KdimAttention {
    @Input({5, 8}) Layer q();
    @Input({7, 6}) Layer k();
    @Input({7, 5}) Layer v();
    @MultiheadAttention(embedDim = 8, numHeads = 2, kdim = 6, vdim = 5, batchFirst = true, from = {"q", "k", "v"})
    Layer mha();
  }

  /** {@code torch_masks}: {@code mha(q, kv, kv, key_padding_mask=padding, attn_mask=mask)[0]}, float masks. */
  @Module
  public interface MaskedAttention {
    @Input({5, 8}) Layer q();
    @Input({7, 8}) Layer kv();
    @Input({7}) Layer padding();
    @Input({5, 7}) Layer mask();
    @MultiheadAttention(embedDim = 8, numHeads = 2, batchFirst = true, keyPaddingMask = true, attnMask = true,
        from = {"q", "kv", "kv", "padding", "mask"})
    Layer mha();
  }
}
