package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Layer normalisation: Keras {@code LayerNormalization}
 * ({@code keras/src/layers/normalization/layer_normalization.py}), PyTorch {@code nn.LayerNorm}
 * ({@code torch/nn/modules/normalization.py}). See {@link LayerNorm}.
 */
public final class LayerNormKind extends AbstractLayerKind<LayerNorm> {
  public static final String KERAS_CLASS = "LayerNormalization";
  public static final String TORCH_CLASS = "LayerNorm";
  public static final String TORCH_MODULE = "torch.nn.modules.normalization.LayerNorm";
  /** Keras' {@code LayerNormalization(epsilon=1e-3)}. */
  public static final double KERAS_EPSILON = 1e-3;
  /** PyTorch's {@code LayerNorm(eps=1e-5)}. */
  public static final double TORCH_EPSILON = 1e-5;

  public LayerNormKind() {
    super(LayerNorm.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> new LayerNorm(Framework.KERAS,
            kerasAxes(v.ints("axis")), v.number("epsilon"), v.bool("center"), v.bool("scale"), List.of())),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_CLASS, v -> {
          int[] shape = v.ints("value");
          boolean affine = v.bool("elementwiseAffine");
          return new LayerNorm(Framework.TORCH, trailing(shape.length), v.number("eps"), affine && v.bool("bias"),
              affine, Arrays.stream(shape).boxed().toList());
        }));
  }

  /** Keras axes count the batch axis; the record's do not. */
  private static List<Integer> kerasAxes(int[] axes) {
    List<Integer> out = new ArrayList<>();
    for (int a : axes) {
      if (a == 0) {
        throw new ShapeException("axis", "axis 0 is the batch axis; LayerNormalization normalises within a sample");
      }
      out.add(a < 0 ? a : a - 1);
    }
    return out;
  }

  /** The last {@code n} axes: PyTorch's normalized_shape always names the trailing dims. */
  private static List<Integer> trailing(int n) {
    List<Integer> axes = new ArrayList<>();
    for (int i = n; i > 0; i--) {
      axes.add(-i);
    }
    return axes;
  }

  @Override
  public LayerNorm fromKeras(KerasLayerInput c) {
    if (c.bool("rms_scaling", false)) {
      throw c.unsupported("rms_scaling=True is not supported (Keras deprecates it: it scales by the variance)");
    }
    return new LayerNorm(Framework.KERAS, kerasAxes(c.ints("axis", -1)), c.number("epsilon", KERAS_EPSILON),
        c.bool("center", true), c.bool("scale", true), List.of());
  }

  @Override
  public void writeKeras(LayerNorm n, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    int rank = inferred.inputShapes().get(0).rank();
    if (dialect == KerasDialect.KERAS3 && n.axes().size() == 1) {
      int a = n.axes().get(0);
      c.put("axis", a < 0 ? a : a + 1);
    } else {
      // tf_keras writes the built layer's axes: a list of batch-counted non-negative axes.
      ArrayNode axes = c.putArray("axis");
      for (int a : n.axes()) {
        axes.add(dialect == KerasDialect.KERAS3 && a < 0 ? a : (a < 0 ? rank + a : a) + 1);
      }
    }
    c.put("epsilon", n.epsilon());
    c.put("center", n.center());
    c.put("scale", n.scale());
    if (dialect == KerasDialect.KERAS3) {
      c.put("rms_scaling", false);
    }
    c.set("beta_initializer", KerasJson.initializer("Zeros"));
    c.set("gamma_initializer", KerasJson.initializer("Ones"));
    KerasJson.gammaBetaNulls(c);
  }

  /** tf_keras writes every axis list; Keras 3 reads one of several axes only through the module (see the trait). */
  @Override
  public boolean legacyH5NamesModule(LayerNorm layer) {
    return true;
  }

  @Override
  public LayerNorm fromTorch(TorchModuleInput m) {
    int[] shape = m.ints("normalized_shape");
    boolean affine = m.bool("elementwise_affine", true);
    return new LayerNorm(Framework.TORCH, trailing(shape.length), m.number("eps", TORCH_EPSILON),
        affine && m.has("bias"), affine && m.has("weight"), Arrays.stream(shape).boxed().toList());
  }

  /** {@code torch.layer_norm(input, normalized_shape, weight, bias, eps, cudnn_enable)}. */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (!c.op().equals("layer_norm")) {
      return a;
    }
    a.put("normalized_shape", c.arg(1, "normalized_shape", null));
    a.put("eps", c.arg(4, "eps", TORCH_EPSILON));
    a.put("elementwise_affine", shapes.containsKey("weight"));
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(LayerNorm n, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("normalized_shape", n.normalizedShape(inferred.inputShapes().get(0)).dims());
    a.put("eps", n.epsilon());
    a.put("elementwise_affine", n.scale());
    return a;
  }

  /**
   * The same normalisation with the same epsilon (it is a config value, not folded into weights).
   * Over a channels-first image the twin would normalise H,W,C axes with gamma laid out (H,W,C),
   * which the weight export does not transpose: no twin.
   */
  @Override
  public Twin kerasTwin(LayerNorm n, TwinContext context) {
    if (context.imageIn()) {
      return Twin.none("it normalises axes of a channels-first image; in the channels-last Keras equivalent "
          + "those axes and its gamma and beta are laid out differently");
    }
    return Twin.of(new LayerNorm(Framework.KERAS, n.axes(), n.epsilon(), n.center(), n.scale(), List.of()));
  }

  /** gamma / weight 1, beta / bias 0, in both frameworks. */
  @Override
  public float[] initialValue(LayerNorm n, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    return Initialisation.filled((int) p.count(), p.kerasName().equals("gamma") ? 1f : 0f);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new LayerNorm(Framework.KERAS, List.of(-1), KERAS_EPSILON, true, true, List.of()), Shape.of(6)),
        new Example(new LayerNorm(Framework.KERAS, List.of(0, 1), 1e-5, false, true, List.of()), Shape.of(5, 8)),
        new Example(new LayerNorm(Framework.TORCH, List.of(-1), TORCH_EPSILON, true, true, List.of(8)),
            Shape.of(5, 8)),
        new Example(new LayerNorm(Framework.TORCH, List.of(-2, -1), 1e-6, false, true, List.of(5, 8)),
            Shape.of(5, 8)),
        new Example(new LayerNorm(Framework.TORCH, List.of(-1), TORCH_EPSILON, false, false, List.of(4)),
            Shape.of(4)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(LayerNorm layer) {
    return MaskUse.PASSES;
  }
  /** Keras' {@code axis} counts the batch axis; PyTorch's {@code normalized_shape} is the trailing dims. */
  @Override
  public Optional<SourceForm> sourceForm(LayerNorm n) {
    if (n.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(KERAS_CLASS)
          .with("axis", n.axes().stream().mapToInt(a -> a < 0 ? a : a + 1).toArray())
          .with("epsilon", n.epsilon()).with("center", n.center()).with("scale", n.scale()));
    }
    return Optional.of(SourceForm.torch(TORCH_CLASS)
        .with("value", n.declaredShape().stream().mapToInt(Integer::intValue).toArray())
        .with("eps", n.epsilon()).with("elementwiseAffine", n.scale()).with("bias", n.center() || !n.scale()));
  }
}
