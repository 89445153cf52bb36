package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.Optional;
import java.util.List;
import java.util.Map;

/** Dropout, the identity at inference: Keras {@code Dropout(rate)}, PyTorch {@code nn.Dropout(p=0.5)}. */
public final class DropoutKind extends AbstractLayerKind<Dropout> {
  public static final String CLASS = "Dropout";
  public static final String TORCH_MODULE = "torch.nn.modules.dropout.Dropout";
  /** {@code nn.Dropout}'s default {@code p}. */
  public static final double TORCH_P = 0.5;

  public DropoutKind() {
    super(Dropout.class, List.of(CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Dropout", v -> new Dropout(Framework.KERAS, v.number("rate"))),
        new AnnotationBuilder("dev.sequent.dsl.torch.Dropout", v -> new Dropout(Framework.TORCH, v.number("p"))));
  }

  @Override
  public Dropout fromKeras(KerasLayerInput c) {
    return new Dropout(Framework.KERAS, c.number("rate", 0));
  }

  @Override
  public void writeKeras(Dropout d, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("rate", d.rate());
    if (dialect == KerasDialect.TF_KERAS) {
      c.putNull("noise_shape");
      c.putNull("seed");
    }
  }

  @Override
  public Dropout fromTorch(TorchModuleInput m) {
    return new Dropout(Framework.TORCH, m.number("p", TORCH_P));
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall call, Map<String, long[]> shapes) {
    return call.op().equals("dropout") ? TracedArgs.single("p", call.arg(1, "p", null)) : Map.of();
  }

  @Override
  public Map<String, Object> torchAttributes(Dropout d, InferredModel.Layer inferred) {
    return Map.of("p", d.rate(), "inplace", false);
  }

  @Override
  public Twin kerasTwin(Dropout d, TwinContext context) {
    return Twin.of(new Dropout(Framework.KERAS, d.rate()));
  }

  @Override
  public boolean keepsFeatureOrder() {
    return true;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Dropout(Framework.KERAS, 0.25), Shape.of(5)),
        new Example(new Dropout(Framework.TORCH, 0.5), Shape.of(2, 3)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(Dropout layer) {
    return MaskUse.PASSES;
  }
  @Override
  public Optional<SourceForm> sourceForm(Dropout d) {
    return Optional.of(d.framework() == Framework.KERAS ? SourceForm.keras("Dropout").with("rate", d.rate())
        : SourceForm.torch("Dropout").with("p", d.rate()));
  }
}
