package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.EpsilonFold;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
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
 * Batch normalisation: Keras {@code BatchNormalization}
 * ({@code keras/src/layers/normalization/batch_normalization.py}), PyTorch {@code nn.BatchNorm1d} /
 * {@code nn.BatchNorm2d} ({@code torch/nn/modules/batchnorm.py}). Each framework keeps its own
 * defaults; the epsilon moves between them folded into the moving variance. See {@link BatchNorm}.
 */
public final class BatchNormKind extends AbstractLayerKind<BatchNorm> {
  public static final String KERAS_CLASS = "BatchNormalization";
  public static final String TORCH_1D = "BatchNorm1d";
  public static final String TORCH_2D = "BatchNorm2d";
  private static final String MODULE = "torch.nn.modules.batchnorm.";
  /** Keras' defaults: {@code BatchNormalization(momentum=0.99, epsilon=1e-3)}. */
  public static final double KERAS_EPSILON = 1e-3;
  public static final double KERAS_MOMENTUM = 0.99;
  /** PyTorch's defaults: {@code BatchNorm2d(eps=1e-5, momentum=0.1)}. */
  public static final double TORCH_EPSILON = 1e-5;
  public static final double TORCH_MOMENTUM = 0.1;
  /** The training counter PyTorch keeps beside the running statistics. */
  public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";
  /** The Keras name of the parameter the epsilon is folded into. */
  public static final String MOVING_VARIANCE = "moving_variance";

  /** A Keras layer's torchinfo row is that of the PyTorch twin of the reference models, BatchNorm2d. */
  public BatchNormKind() {
    super(BatchNorm.class, List.of(KERAS_CLASS), List.of(MODULE + TORCH_1D, MODULE + TORCH_2D));
  }

  @Override
  public String torchClass(BatchNorm b) {
    return b.framework() == Framework.TORCH ? b.typeName() : TORCH_2D;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> {
          int axis = v.integer("axis");
          if (axis == 0) {
            throw new ShapeException("axis", "axis 0 is the batch axis; BatchNormalization normalises features");
          }
          return new BatchNorm(Framework.KERAS, KERAS_CLASS, v.number("epsilon"), v.number("momentum"),
              axis < 0 ? axis : axis - 1, v.bool("center"), v.bool("scale"), List.of(), 0);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_1D, v -> torch(v, TORCH_1D)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_2D, v -> torch(v, TORCH_2D)));
  }

  /** BatchNorm1d takes (N, C) or (N, C, L); BatchNorm2d (N, C, H, W). */
  private static List<Integer> ranks(String type) {
    return type.equals(TORCH_2D) ? List.of(3) : List.of(1, 2);
  }

  private static BatchNorm torch(AnnotationValues v, String type) {
    boolean affine = v.bool("affine");
    return new BatchNorm(Framework.TORCH, type, v.number("eps"), v.number("momentum"), 0, affine, affine, ranks(type),
        v.integer("numFeatures"));
  }

  @Override
  public BatchNorm fromKeras(KerasLayerInput c) {
    int axis = KerasJson.singleAxis(c.get("axis"), -1);
    // Keras counts the batch axis; the layer record's feature axis does not.
    return new BatchNorm(Framework.KERAS, KERAS_CLASS, c.number("epsilon", KERAS_EPSILON),
        c.number("momentum", KERAS_MOMENTUM), axis < 0 ? axis : axis - 1, c.bool("center", true),
        c.bool("scale", true), List.of(), 0);
  }

  @Override
  public void writeKeras(BatchNorm b, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    int rank = inferred.inputShapes().get(0).rank();
    if (dialect == KerasDialect.KERAS3) {
      int axis = b.featureAxis() < 0 ? b.featureAxis() : b.featureAxis() + 1;
      c.put("axis", b.framework() == Framework.TORCH && axis == 1 && rank == 1 ? -1 : axis);
      // PyTorch's momentum weighs the new batch; Keras' weighs the running average.
      c.put("momentum", b.framework() == Framework.TORCH ? 1 - b.momentum() : b.momentum());
      c.put("epsilon", b.epsilon());
      c.put("center", b.center());
      c.put("scale", b.scale());
      return;
    }
    int axis = b.featureAxis() < 0 ? rank + b.featureAxis() : b.featureAxis();
    c.putArray("axis").add(axis + 1); // Keras counts the batch axis
    c.put("momentum", b.momentum());
    c.put("epsilon", b.epsilon());
    c.put("center", b.center());
    c.put("scale", b.scale());
    c.set("beta_initializer", KerasJson.initializer("Zeros"));
    c.set("gamma_initializer", KerasJson.initializer("Ones"));
    c.set("moving_mean_initializer", KerasJson.initializer("Zeros"));
    c.set("moving_variance_initializer", KerasJson.initializer("Ones"));
    KerasJson.gammaBetaNulls(c);
  }

  @Override
  public BatchNorm fromTorch(TorchModuleInput m) {
    boolean affine = m.bool("affine", true);
    if (!m.bool("track_running_stats", true)) {
      throw m.unsupported("track_running_stats=False normalises with batch statistics at inference");
    }
    return new BatchNorm(Framework.TORCH, m.simpleName(), m.number("eps", TORCH_EPSILON),
        m.number("momentum", TORCH_MOMENTUM), 0, affine, affine, ranks(m.simpleName()), m.integer("num_features"));
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    long[] stats = shapes.getOrDefault("running_mean", shapes.get("weight"));
    if (!c.op().equals("batch_norm") || stats == null || stats.length != 1) {
      return a;
    }
    a.put("num_features", (int) stats[0]);
    a.put("momentum", c.arg(6, "momentum", null));
    a.put("eps", c.arg(7, "eps", null));
    a.put("affine", shapes.containsKey("weight"));
    a.put("track_running_stats", shapes.containsKey("running_mean"));
    return a;
  }

  @Override
  public Optional<Shape> statedInputShape(TorchModuleInput m) {
    return m.simpleName().equals(TORCH_1D) ? Optional.of(Shape.of(m.integer("num_features"))) : Optional.empty();
  }

  @Override
  public Map<String, Object> torchAttributes(BatchNorm b, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("num_features", b.features(inferred.inputShapes().get(0)));
    a.put("eps", b.epsilon());
    a.put("momentum", b.momentum());
    a.put("affine", b.scale());
    a.put("track_running_stats", true);
    return a;
  }

  @Override
  public List<String> torchExtraBuffers(BatchNorm layer) {
    return List.of(NUM_BATCHES_TRACKED);
  }

  /** Keras' epsilon, momentum in Keras' sense, the channel axis moved with the image. */
  @Override
  public Twin kerasTwin(BatchNorm b, TwinContext context) {
    int rank = context.input().rank();
    int axis = b.featureAxis() < 0 ? rank + b.featureAxis() : b.featureAxis();
    double momentum = b.framework() == Framework.TORCH ? 1 - b.momentum() : b.momentum();
    return Twin.of(new BatchNorm(Framework.KERAS, KERAS_CLASS, KERAS_EPSILON, momentum,
        context.transposed() && rank == 3 ? TwinContext.twinAxis(axis) : axis, b.center(), b.scale(), List.of(),
        b.declaredFeatures()));
  }

  /** gamma and the variance 1, beta and the mean 0, in both frameworks. */
  @Override
  public float[] initialValue(BatchNorm b, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    boolean ones = p.kerasName().equals("gamma") || p.kerasName().equals(MOVING_VARIANCE);
    return Initialisation.filled((int) p.count(), ones ? 1f : 0f);
  }

  @Override
  public Optional<EpsilonFold> epsilonFold(BatchNorm b) {
    return Optional.of(new EpsilonFold(MOVING_VARIANCE, b.epsilon(), KERAS_EPSILON, TORCH_EPSILON));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new BatchNorm(Framework.KERAS, KERAS_CLASS, KERAS_EPSILON, KERAS_MOMENTUM, -1, true, true,
            List.of(), 0), Shape.of(6, 6, 3)),
        new Example(new BatchNorm(Framework.KERAS, KERAS_CLASS, 1e-4, 0.9, -1, false, true, List.of(), 0),
            Shape.of(5)),
        new Example(new BatchNorm(Framework.TORCH, TORCH_2D, TORCH_EPSILON, TORCH_MOMENTUM, 0, true, true,
            List.of(3), 3), Shape.of(3, 4, 4)),
        new Example(new BatchNorm(Framework.TORCH, TORCH_1D, 1e-3, 0.2, 0, false, false, List.of(1, 2), 0),
            Shape.of(7)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(BatchNorm layer) {
    return MaskUse.PASSES;
  }
  /** Keras' {@code axis} counts the batch axis; the record's feature axis does not. */
  @Override
  public Optional<SourceForm> sourceForm(BatchNorm b) {
    if (b.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(KERAS_CLASS)
          .with("axis", b.featureAxis() < 0 ? b.featureAxis() : b.featureAxis() + 1)
          .with("momentum", b.momentum()).with("epsilon", b.epsilon()).with("center", b.center())
          .with("scale", b.scale()));
    }
    return Optional.of(SourceForm.torch(b.typeName()).with("numFeatures", b.declaredFeatures())
        .with("eps", b.epsilon()).with("momentum", b.momentum()).with("affine", b.center()));
  }
}
