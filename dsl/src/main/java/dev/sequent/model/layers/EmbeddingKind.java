package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Embeddings: Keras {@code Embedding} ({@code keras/src/layers/core/embedding.py}), PyTorch
 * {@code nn.Embedding} ({@code torch/nn/modules/sparse.py}). See {@link Embedding}.
 *
 * <p>Refused when read: PyTorch {@code max_norm} (the lookup renormalises the rows it reads, in
 * place, which changes the weights as a side effect of inference), {@code sparse} is harmless
 * (gradients only) and ignored; Keras {@code lora_rank} and quantized embeddings.
 */
public final class EmbeddingKind extends AbstractLayerKind<Embedding> {
  public static final String KERAS_CLASS = "Embedding";
  public static final String TORCH_CLASS = "Embedding";
  public static final String TORCH_MODULE = "torch.nn.modules.sparse.Embedding";
  /** Keras' {@code embeddings_initializer="uniform"}: {@code RandomUniform(-0.05, 0.05)}. */
  public static final double KERAS_UNIFORM_BOUND = 0.05;
  /** Keras' {@code mask_zero} default. */
  public static final boolean KERAS_MASK_ZERO = false;

  public EmbeddingKind() {
    super(Embedding.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Embedding", v -> new Embedding(Framework.KERAS,
            v.integer("inputDim"), v.integer("outputDim"), Embedding.NO_PADDING_IDX, v.bool("maskZero"))),
        new AnnotationBuilder("dev.sequent.dsl.torch.Embedding", v -> new Embedding(Framework.TORCH,
            v.integer("numEmbeddings"), v.integer("embeddingDim"), v.integer("paddingIdx"), false)));
  }

  @Override
  public Embedding fromKeras(KerasLayerInput c) {
    if (c.integer("lora_rank", 0) != 0) {
      throw c.unsupported("LoRA embeddings (lora_rank=" + c.get("lora_rank") + ") are not supported");
    }
    if (c.get("quantization_config") != null) {
      throw c.unsupported("quantized embeddings are not supported");
    }
    return new Embedding(Framework.KERAS, c.integer("input_dim"), c.integer("output_dim"), Embedding.NO_PADDING_IDX,
        c.bool("mask_zero", KERAS_MASK_ZERO));
  }

  @Override
  public void writeKeras(Embedding e, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("input_dim", e.inputDim());
    c.put("output_dim", e.outputDim());
    ObjectNode init = KerasJson.initializer("RandomUniform");
    ObjectNode config = (ObjectNode) init.get("config");
    config.put("minval", -KERAS_UNIFORM_BOUND);
    config.put("maxval", KERAS_UNIFORM_BOUND);
    config.putNull("seed");
    c.set("embeddings_initializer", init);
    c.putNull("embeddings_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("embeddings_constraint");
    c.put("mask_zero", e.maskZero());
    if (dialect == KerasDialect.TF_KERAS) {
      c.putNull("input_length");
    } else {
      c.putNull("quantization_config");
    }
  }

  @Override
  public Embedding fromTorch(TorchModuleInput m) {
    if (m.get("max_norm") != null) {
      throw m.unsupported("max_norm=" + m.get("max_norm") + " is not supported: PyTorch renormalises the rows "
          + "it looks up in place, so inference would change the weights");
    }
    Object padding = m.get("padding_idx");
    return new Embedding(Framework.TORCH, m.integer("num_embeddings"), m.integer("embedding_dim"),
        padding instanceof Number n ? n.intValue() : Embedding.NO_PADDING_IDX, false);
  }

  /** {@code torch.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)}; padding_idx -1 is None. */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    long[] weight = shapes.get("weight");
    if (!c.op().equals("embedding") || weight == null || weight.length != 2) {
      return Map.of();
    }
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("num_embeddings", (int) weight[0]);
    a.put("embedding_dim", (int) weight[1]);
    Object padding = c.arg(2, "padding_idx", -1);
    a.put("padding_idx", padding instanceof Number n && n.intValue() >= 0 ? n.intValue() : null);
    a.put("max_norm", null);
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Embedding e, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("num_embeddings", e.inputDim());
    a.put("embedding_dim", e.outputDim());
    a.put("padding_idx", e.paddingIdx() == Embedding.NO_PADDING_IDX ? null : e.paddingIdx());
    a.put("max_norm", null);
    a.put("norm_type", 2.0);
    a.put("scale_grad_by_freq", false);
    a.put("sparse", false);
    return a;
  }

  /** The same lookup; a PyTorch padding row does not change the forward pass, so the twin drops it. */
  @Override
  public Twin kerasTwin(Embedding e, TwinContext context) {
    return Twin.of(new Embedding(Framework.KERAS, e.inputDim(), e.outputDim(), Embedding.NO_PADDING_IDX,
        e.maskZero()));
  }

  /** Keras: {@code U(-0.05, 0.05)}; PyTorch: {@code N(0, 1)} with the padding row zero. */
  @Override
  public float[] initialValue(Embedding e, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int n = (int) p.count();
    if (framework == Framework.KERAS) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) ((random.nextDouble() * 2 - 1) * KERAS_UNIFORM_BOUND);
      }
      return v;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    if (e.paddingIdx() != Embedding.NO_PADDING_IDX) {
      java.util.Arrays.fill(v, e.paddingIdx() * e.outputDim(), (e.paddingIdx() + 1) * e.outputDim(), 0f);
    }
    return v;
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Embedding(Framework.KERAS, 20, 4, Embedding.NO_PADDING_IDX, false), Shape.of(7)),
        new Example(new Embedding(Framework.KERAS, 9, 3, Embedding.NO_PADDING_IDX, true), Shape.of(5)),
        new Example(new Embedding(Framework.TORCH, 20, 4, 0, false), Shape.of(7)),
        new Example(new Embedding(Framework.TORCH, 12, 6, Embedding.NO_PADDING_IDX, false), Shape.of(3)));
  }

  /** {@code mask_zero=True}: id 0 masks its step for the layers after it that read masks. */
  @Override
  public Optional<LayerSpec> kerasMaskMade(Embedding e) {
    return e.maskZero() ? Optional.of(StepMask.ofIds(Framework.KERAS)) : Optional.empty();
  }
  @Override
  public Optional<SourceForm> sourceForm(Embedding e) {
    return Optional.of(e.framework() == Framework.KERAS
        ? SourceForm.keras("Embedding").with("inputDim", e.inputDim()).with("outputDim", e.outputDim())
            .with("maskZero", e.maskZero())
        : SourceForm.torch("Embedding").with("numEmbeddings", e.inputDim()).with("embeddingDim", e.outputDim())
            .with("paddingIdx", e.paddingIdx()));
  }
}
