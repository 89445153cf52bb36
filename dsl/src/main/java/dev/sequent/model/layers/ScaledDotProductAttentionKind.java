package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.WithoutKerasLayerKind;
import dev.sequent.model.kind.KerasLayerInput;
import java.util.List;
import java.util.Optional;

/**
 * {@code F.scaled_dot_product_attention} (PyTorch 2.x {@code torch/nn/functional.py}; ATen {@code
 * aten.scaled_dot_product_attention.default}, arguments {@code query, key, value, attn_mask=None,
 * dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False}), written in a forward as code, so
 * no module and no Keras class (Keras' {@code ops.dot_product_attention} is an op, not a layer).
 * The torch vocabulary's {@code @ScaledDotProductAttention(from = {"q", "k", "v"})} writes it. See
 * {@link ScaledDotProductAttention}.
 */
public final class ScaledDotProductAttentionKind extends WithoutKerasLayerKind<ScaledDotProductAttention> {
  public static final String TORCH_NAME = "ScaledDotProductAttention";
  /** PyTorch's {@code is_causal} default. */
  public static final boolean IS_CAUSAL = false;
  /** The annotation's stand-in for PyTorch's {@code scale=None} (1/sqrt(E)): not a number. */
  public static final double DEFAULT_SCALE = Double.NaN;

  public ScaledDotProductAttentionKind() {
    super(ScaledDotProductAttention.class);
  }

  @Override
  public String kerasClass(ScaledDotProductAttention layer) {
    return TORCH_NAME;
  }

  @Override
  public String torchClass(ScaledDotProductAttention layer) {
    return TORCH_NAME;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_NAME, v -> {
      int inputs = ((String[]) v.get("from")).length;
      double scale = v.number("scale");
      return new ScaledDotProductAttention(Framework.TORCH, v.bool("isCausal"),
          Double.isNaN(scale) ? Optional.empty() : Optional.of(scale), inputs == 4);
    }));
  }

  @Override
  public ScaledDotProductAttention fromKeras(KerasLayerInput c) {
    throw c.unsupported("Keras has no scaled-dot-product-attention layer (keras.ops.dot_product_attention is an op)");
  }

  @Override
  public Optional<String> kerasUnsupported(ScaledDotProductAttention layer) {
    return Optional.of("Keras has no layer for scaled dot-product attention: keras.ops.dot_product_attention is an "
        + "op called in code, which a Keras config does not hold");
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras' dot_product_attention is an op (keras.ops), not a layer");
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("F.scaled_dot_product_attention is a function called in a PyTorch forward, not a module");
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  /** Self-attention examples (the catalogue gives every input the example's shape). */
  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new ScaledDotProductAttention(Framework.TORCH, false, Optional.empty(), false),
            Shape.of(2, 5, 4)),
        new Example(new ScaledDotProductAttention(Framework.TORCH, true, Optional.of(0.3), false),
            Shape.of(4, 8)));
  }

  @Override
  public Optional<SourceForm> sourceForm(ScaledDotProductAttention a) {
    return Optional.of(SourceForm.torch(TORCH_NAME).with("isCausal", a.causal())
        .with("scale", a.scale().orElse(DEFAULT_SCALE)));
  }
}
