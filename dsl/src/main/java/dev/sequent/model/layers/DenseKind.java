package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Fully connected layers: Keras {@code Dense} ({@code keras/src/layers/core/dense.py}), PyTorch
 * {@code nn.Linear} ({@code torch/nn/modules/linear.py}). See {@link Dense}.
 */
public final class DenseKind extends AbstractLayerKind<Dense> {
  public static final String KERAS_CLASS = "Dense";
  public static final String TORCH_CLASS = "Linear";
  public static final String TORCH_MODULE = "torch.nn.modules.linear.Linear";

  public DenseKind() {
    super(Dense.class, List.of(KERAS_CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Dense",
            v -> new Dense(Framework.KERAS, v.integer("units"), 0, v.bool("useBias"), v.kerasActivation())),
        new AnnotationBuilder("dev.sequent.dsl.torch.Linear",
            v -> new Dense(Framework.TORCH, v.integer("out"), v.integer("in"), v.bool("bias"), Activation.LINEAR)));
  }

  @Override
  public Dense fromKeras(KerasLayerInput c) {
    return new Dense(Framework.KERAS, c.integer("units"), 0, c.bool("use_bias", true),
        KerasJson.readActivation(c.config()));
  }

  @Override
  public void writeKeras(Dense d, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("units", d.units());
    c.put("activation", KerasJson.activation(d.activation(), dialect));
    c.put("use_bias", d.useBias());
    if (dialect == KerasDialect.KERAS3) {
      KerasJson.kernelInitializers(c);
    } else {
      KerasJson.kernelInitializersAndNulls(c);
    }
  }

  @Override
  public Dense fromTorch(TorchModuleInput m) {
    return new Dense(Framework.TORCH, m.integer("out_features"), m.integer("in_features"), m.has("bias"),
        Activation.LINEAR);
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall call, Map<String, long[]> shapes) {
    long[] weight = shapes.get("weight");
    if (!call.op().equals("linear") || weight == null || weight.length != 2) {
      return Map.of();
    }
    return Map.of("in_features", (int) weight[1], "out_features", (int) weight[0]);
  }

  @Override
  public Optional<Shape> statedInputShape(TorchModuleInput m) {
    return Optional.of(Shape.of(m.integer("in_features")));
  }

  @Override
  public Map<String, Object> torchAttributes(Dense d, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("in_features", inferred.inputShapes().get(0).last());
    a.put("out_features", d.units());
    return a;
  }

  @Override
  public Twin kerasTwin(Dense d, TwinContext context) {
    if (context.imageIn()) {
      return Twin.none("applied to a channels-first image it acts on the width axis; in the channels-last Keras "
          + "equivalent that axis is the channels");
    }
    return Twin.of(new Dense(Framework.KERAS, d.units(), d.declaredIn(), d.useBias(), d.activation()));
  }

  /** Keras: GlorotUniform kernel, zero bias; PyTorch: both {@code U(-1/sqrt(in), 1/sqrt(in))}. */
  @Override
  public float[] initialValue(Dense d, InferredModel.Layer inferred, ParamSpec p, Framework framework, Random random) {
    int fanIn = inferred.inputShapes().get(0).last();
    boolean kernel = p.kerasName().equals("kernel");
    double bound = framework == Framework.KERAS
        ? (kernel ? Initialisation.glorotBound(fanIn, d.units()) : 0)
        : Initialisation.torchBound(fanIn);
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Dense(Framework.KERAS, 4, 0, true, Activation.of(Activation.Kind.RELU)), Shape.of(6)),
        new Example(new Dense(Framework.KERAS, 3, 0, false, Activation.LINEAR), Shape.of(2, 6)),
        new Example(new Dense(Framework.TORCH, 5, 6, true, Activation.LINEAR), Shape.of(6)),
        new Example(new Dense(Framework.TORCH, 5, 0, false, Activation.LINEAR), Shape.of(6)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(Dense layer) {
    return MaskUse.PASSES;
  }
  @Override
  public Optional<SourceForm> sourceForm(Dense d) {
    return Optional.of(d.framework() == Framework.KERAS
        ? SourceForm.keras("Dense").with("units", d.units()).with("activation", d.activation().kerasName())
            .with("useBias", d.useBias())
        : SourceForm.torch("Linear").with("in", d.declaredIn()).with("out", d.units()).with("bias", d.useBias()));
  }
}
