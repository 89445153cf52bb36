package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-head scaled dot-product attention over {@code (time, features)} samples: Keras
 * {@code MultiHeadAttention(num_heads, key_dim, value_dim, use_bias, output_shape)} called as
 * {@code mha(query, value, key, attention_mask=..., use_causal_mask=...)}, PyTorch
 * {@code nn.MultiheadAttention(embed_dim, num_heads, bias, batch_first, kdim, vdim)} called as
 * {@code mha(query, key, value, attn_mask=..., key_padding_mask=..., is_causal=...)[0]}.
 *
 * <p>Inputs: the tensors the layer is called on, each with its {@link Role} ({@link #inputs}, in
 * call order). Only the query is required: a missing value is the query (self-attention), a
 * missing key the value. Query {@code (Tq, Eq)}, key {@code (Tk, Ek)}, value {@code (Tk, Ev)}.
 * Output {@code (Tq, O)}: Keras' {@code output_shape}, else {@code Eq}; PyTorch's {@code embed_dim}.
 *
 * <p>Per head {@code h}: {@code softmax(q_h k_h^T / sqrt(key_dim) + mask) v_h}, the heads
 * concatenated and projected. Masks: a Keras {@code attention_mask (Tq, Tk)} keeps the positions
 * where it is non-zero (Keras casts it to bool); a PyTorch {@code attn_mask (Tq, Tk)} and
 * {@code key_padding_mask (Tk)} are float masks added to the scores (PyTorch's float form; a
 * boolean mask {@code m} is {@code torch.zeros_like(m, dtype=float).masked_fill(m, -inf)}). The
 * causal mask keeps key {@code j <= i} for query {@code i} (Keras' {@code use_causal_mask}; in
 * PyTorch {@code attn_mask = nn.Transformer.generate_square_subsequent_mask(T), is_causal=True},
 * which the layer builds itself).
 *
 * <p>Parameters, Keras ({@code [in, heads, dim]} EinsumDense kernels): {@code query/kernel
 * (Eq, H, Dk)}, {@code query/bias (H, Dk)}, {@code key/...} {@code (Ek, H, Dk)}, {@code value/...}
 * {@code (Ev, H, Dv)}, {@code attention_output/kernel (H, Dv, O)}, {@code attention_output/bias (O)};
 * PyTorch: {@code in_proj_weight (3E, E)} (or {@code q_proj_weight (E, E)}, {@code k_proj_weight
 * (E, kdim)}, {@code v_proj_weight (E, vdim)} when kdim or vdim differ from embed_dim),
 * {@code in_proj_bias (3E)}, {@code out_proj.weight (E, E)}, {@code out_proj.bias (E)}. The two
 * sets do not pair 1:1; {@link MultiHeadAttentionKind} converts between them where PyTorch has
 * the layer ({@code key_dim == value_dim}, {@code heads * key_dim == Eq == O}).
 *
 * @param keyDim Keras' {@code key_dim} per head; PyTorch's {@code embed_dim / num_heads}
 * @param valueDim Keras' {@code value_dim} per head (its {@code key_dim} when not given)
 * @param outputDim Keras' {@code output_shape} (0: the query's features); PyTorch's {@code embed_dim}
 * @param embedDim PyTorch's {@code embed_dim}, checked against the query; 0 for Keras
 * @param kdim PyTorch's {@code kdim}, checked against the key; 0 for Keras and for embed_dim
 * @param vdim PyTorch's {@code vdim}, checked against the value; 0 for Keras and for embed_dim
 * @param causal Keras' {@code use_causal_mask}, PyTorch's {@code is_causal}
 * @param inputs the role of each input, in call order
 * @param batchFirst PyTorch's {@code batch_first}; Sequent's batches are always batch-first, so it
 *     only says how the module was declared
 */
public record MultiHeadAttention(Framework framework, int heads, int keyDim, int valueDim, boolean useBias,
    int outputDim, int embedDim, int kdim, int vdim, boolean causal, List<Role> inputs, boolean batchFirst)
    implements LayerSpec {

  /** What one input of the call is. */
  public enum Role {
    QUERY, KEY, VALUE,
    /** Keras {@code attention_mask} (non-zero keeps) or PyTorch {@code attn_mask} (added), {@code (Tq, Tk)}. */
    ATTENTION_MASK,
    /** PyTorch {@code key_padding_mask}, {@code (Tk)}, added to every query's scores. */
    KEY_PADDING_MASK
  }

  public MultiHeadAttention {
    boolean keras = framework == Framework.KERAS;
    inputs = List.copyOf(inputs);
    LayerSpec.positive(keras ? "numHeads" : "numHeads", heads, "the number of heads");
    if (inputs.isEmpty() || inputs.get(0) != Role.QUERY) {
      throw new ShapeException("from", "the first input of an attention layer is its query. Received: " + inputs);
    }
    Set<Role> seen = EnumSet.noneOf(Role.class);
    for (Role r : inputs) {
      if (!seen.add(r)) {
        throw new ShapeException("from", "an attention layer takes one " + r + " input. Received: " + inputs);
      }
    }
    if (keras && seen.contains(Role.KEY_PADDING_MASK)) {
      throw new ShapeException("from", "key_padding_mask is PyTorch's; Keras' MultiHeadAttention takes an "
          + "attention_mask. Received: " + inputs);
    }
    if (keras) {
      LayerSpec.positive("keyDim", keyDim, "the size of each head of query and key");
      LayerSpec.positive("valueDim", valueDim, "the size of each head of value");
      if (outputDim < 0) {
        throw new ShapeException("outputShape", "output_shape must be positive. Received: outputShape=" + outputDim);
      }
    } else {
      LayerSpec.positive("embedDim", embedDim, "embed_dim");
      if (embedDim % heads != 0) {
        throw new ShapeException("numHeads", "embed_dim must be divisible by num_heads (each head takes "
            + "embed_dim / num_heads features). Received: embedDim=" + embedDim + ", numHeads=" + heads);
      }
      if (kdim < 0 || vdim < 0) {
        throw new ShapeException(kdim < 0 ? "kdim" : "vdim", "kdim and vdim must be positive (0: embed_dim). "
            + "Received: kdim=" + kdim + ", vdim=" + vdim);
      }
      keyDim = embedDim / heads;
      valueDim = embedDim / heads;
      outputDim = embedDim;
      kdim = kdim == embedDim ? 0 : kdim;
      vdim = vdim == embedDim ? 0 : vdim;
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? MultiHeadAttentionKind.KERAS_CLASS : MultiHeadAttentionKind.TORCH_CLASS;
  }

  @Override
  public int arity() {
    return inputs.size();
  }

  /** The index of the input of role {@code r}, or -1. */
  public int indexOf(Role r) {
    return inputs.indexOf(r);
  }

  /** The input the keys are computed from: the key, else the value, else the query. */
  public int keyInput() {
    int k = indexOf(Role.KEY);
    return k >= 0 ? k : valueInput();
  }

  /** The input the values are computed from: the value, else the key, else the query. */
  public int valueInput() {
    int v = indexOf(Role.VALUE);
    if (v >= 0) {
      return v;
    }
    int k = indexOf(Role.KEY);
    return k >= 0 ? k : 0;
  }

  /** Whether PyTorch keeps the projections packed in one {@code in_proj_weight} (kdim and vdim are embed_dim). */
  public boolean packed(List<Shape> in) {
    int e = in.get(0).last();
    return in.get(keyInput()).last() == e && in.get(valueInput()).last() == e;
  }

  /** The output features: {@link #outputDim}, or the query's. */
  public int outputFeatures(Shape query) {
    return outputDim > 0 ? outputDim : query.last();
  }

  @Override
  public Shape outputShape(List<Shape> in) {
    check(in);
    return Shape.of(in.get(0).dim(0), outputFeatures(in.get(0)));
  }

  /** Checks the inputs' shapes against each other and the declared dimensions. */
  public void check(List<Shape> in) {
    if (in.size() != inputs.size()) {
      throw new ShapeException("from", typeName() + " is wired to " + in.size() + " inputs, expected " + inputs.size()
          + " " + inputs);
    }
    for (int i = 0; i < in.size(); i++) {
      Role r = inputs.get(i);
      int rank = r == Role.KEY_PADDING_MASK ? 1 : 2;
      if (in.get(i).rank() != rank) {
        throw new ShapeException(role(r) + " is " + in.get(i) + "; " + typeName() + " takes "
            + (rank == 1 ? "(key time) masks" : r.name().endsWith("MASK") ? "(query time, key time) masks"
                : "(time, features) samples"));
      }
    }
    Shape q = in.get(0);
    Shape k = in.get(keyInput());
    Shape v = in.get(valueInput());
    if (k.dim(0) != v.dim(0)) {
      throw new ShapeException("key has " + k.dim(0) + " steps but value has " + v.dim(0)
          + "; each key step scores the value of the same step");
    }
    if (framework == Framework.TORCH) {
      if (q.last() != embedDim) {
        throw new ShapeException("embedDim", "query has " + q.last() + " features, expected embed_dim " + embedDim);
      }
      int ek = kdim > 0 ? kdim : embedDim;
      if (k.last() != ek) {
        throw new ShapeException(kdim > 0 ? "kdim" : "embedDim", "key has " + k.last() + " features but the query "
            + "has " + q.last() + ": expected kdim " + ek + (kdim > 0 ? "" : " (embed_dim, as no kdim is given)"));
      }
      int ev = vdim > 0 ? vdim : embedDim;
      if (v.last() != ev) {
        throw new ShapeException(vdim > 0 ? "vdim" : "embedDim", "value has " + v.last() + " features but the "
            + "query has " + q.last() + ": expected vdim " + ev + (vdim > 0 ? "" : " (embed_dim, as no vdim is given)"));
      }
    }
    int m = indexOf(Role.ATTENTION_MASK);
    if (m >= 0 && !in.get(m).equals(Shape.of(q.dim(0), k.dim(0)))) {
      throw new ShapeException(role(Role.ATTENTION_MASK) + " is " + in.get(m) + ", expected (query time, key time) "
          + Shape.of(q.dim(0), k.dim(0)));
    }
    int p = indexOf(Role.KEY_PADDING_MASK);
    if (p >= 0 && in.get(p).dim(0) != k.dim(0)) {
      throw new ShapeException("key_padding_mask is " + in.get(p) + ", expected (key time) " + Shape.of(k.dim(0)));
    }
    if (causal && framework == Framework.TORCH && q.dim(0) != k.dim(0)) {
      throw new ShapeException("isCausal", "a causal mask is square: query has " + q.dim(0) + " steps, key "
          + k.dim(0));
    }
  }

  private String role(Role r) {
    return switch (r) {
      case ATTENTION_MASK -> framework == Framework.KERAS ? "attention_mask" : "attn_mask";
      case KEY_PADDING_MASK -> "key_padding_mask";
      default -> r.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return params(inputs, framework);
  }

  /** Whether the PyTorch module computes the layer exactly (one head size, heads * size = Eq = O). */
  public boolean hasTorchForm(List<Shape> in) {
    int eq = in.get(0).last();
    return keyDim == valueDim && heads * keyDim == eq && outputFeatures(in.get(0)) == eq;
  }

  /** The layer's tensors as {@code f}'s layer holds them, in its order (see the class doc). */
  public List<ParamSpec> params(List<Shape> in, Framework f) {
    check(in);
    int eq = in.get(0).last();
    int ek = in.get(keyInput()).last();
    int ev = in.get(valueInput()).last();
    List<ParamSpec> out = new ArrayList<>();
    if (f == Framework.TORCH && hasTorchForm(in)) {
      int e = eq;
      if (packed(in)) {
        out.add(ParamSpec.own("in_proj_weight", Shape.of(3 * e, e), true));
      } else {
        out.add(ParamSpec.own("q_proj_weight", Shape.of(e, e), true));
        out.add(ParamSpec.own("k_proj_weight", Shape.of(e, ek), true));
        out.add(ParamSpec.own("v_proj_weight", Shape.of(e, ev), true));
      }
      if (useBias) {
        out.add(ParamSpec.own("in_proj_bias", Shape.of(3 * e), true));
      }
      out.add(ParamSpec.own("out_proj.weight", Shape.of(e, e), true));
      if (useBias) {
        out.add(ParamSpec.own("out_proj.bias", Shape.of(e), true));
      }
      return out;
    }
    // Keras' form (also a Keras layer's only form where PyTorch has none: the conversion is refused).
    int o = outputFeatures(in.get(0));
    String[] names = MultiHeadAttentionKind.KERAS_SUBLAYERS;
    int[][] kernels = {{eq, heads, keyDim}, {ek, heads, keyDim}, {ev, heads, valueDim}, {heads, valueDim, o}};
    int[][] biases = {{heads, keyDim}, {heads, keyDim}, {heads, valueDim}, {o}};
    for (int i = 0; i < 4; i++) {
      out.add(ParamSpec.own(names[i] + "/kernel", Shape.of(kernels[i]), true));
      if (useBias) {
        out.add(ParamSpec.own(names[i] + "/bias", Shape.of(biases[i]), true));
      }
    }
    return out;
  }

  /**
   * The projections' and the attention's multiply-adds for one sample: the four projections once
   * per step, the scores and the weighted sum once per head and (query, key) pair.
   */
  @Override
  public long multAdds(List<Shape> in, Shape output) {
    check(in);
    long tq = in.get(0).dim(0);
    long tk = in.get(keyInput()).dim(0);
    long hk = (long) heads * keyDim;
    long hv = (long) heads * valueDim;
    return tq * in.get(0).last() * hk + tk * in.get(keyInput()).last() * hk + tk * in.get(valueInput()).last() * hv
        + tq * hv * output.last() + heads * tq * tk * (keyDim + valueDim);
  }
}
