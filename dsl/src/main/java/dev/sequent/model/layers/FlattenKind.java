package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.FeatureOrder;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Flatten: Keras {@code Flatten}, PyTorch {@code nn.Flatten(start_dim, end_dim)}. See {@link Flatten}. */
public final class FlattenKind extends AbstractLayerKind<Flatten> {
  public static final String CLASS = "Flatten";
  public static final String TORCH_MODULE = "torch.nn.modules.flatten.Flatten";

  public FlattenKind() {
    super(Flatten.class, List.of(CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.Flatten", v -> new Flatten(Framework.KERAS, DataFormat.CHANNELS_LAST)),
        new AnnotationBuilder("dev.sequent.dsl.torch.Flatten", v -> new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST,
            v.integer("startDim"), v.integer("endDim"))));
  }

  @Override
  public Flatten fromKeras(KerasLayerInput c) {
    // Keras' channels_first Flatten moves channels last before flattening (features H,W,C) when the
    // input is an image; its channels_last Flatten is a plain reshape in memory order.
    if ("channels_first".equals(c.get("data_format")) && c.imageFormat() == DataFormat.CHANNELS_FIRST) {
      throw c.unsupported("Flatten(data_format=\"channels_first\") after channels-first images reorders features "
          + "to H,W,C, which Sequent does not do yet");
    }
    return new Flatten(Framework.KERAS, c.imageFormat());
  }

  @Override
  public Optional<String> kerasUnsupported(Flatten f) {
    return f.startDim() == Flatten.START_DIM && f.endDim() == Flatten.END_DIM ? Optional.empty()
        : Optional.of("Flatten(start_dim=" + f.startDim() + ", end_dim=" + f.endDim() + ") keeps some axes; Keras' "
            + "Flatten joins them all");
  }

  @Override
  public void writeKeras(Flatten f, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    // Always "channels_last", which in Keras is a plain reshape in memory order (C,H,W for a
    // channels-first tensor, as PyTorch flattens). Keras' "channels_first" Flatten first moves
    // channels last, ordering features H,W,C: not what a PyTorch Flatten does.
    c.put("data_format", DataFormat.CHANNELS_LAST.kerasName());
  }

  @Override
  public Flatten fromTorch(TorchModuleInput m) {
    // The shapes the dims allow are checked with the input, by Flatten.outputShape.
    return new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST, m.integer("start_dim"), m.integer("end_dim"));
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (c.op().equals("flatten")) {
      a.put("start_dim", c.arg(1, "start_dim", 0));
      a.put("end_dim", c.arg(2, "end_dim", -1));
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Flatten f, InferredModel.Layer inferred) {
    return Map.of("start_dim", f.startDim(), "end_dim", f.endDim());
  }

  /** Zeros padded to, or values rearranged from, non-negative ones are non-negative. */
  @Override
  public boolean keepsNonNegative(Flatten f) {
    return true;
  }

  @Override
  public Twin kerasTwin(Flatten f, TwinContext context) {
    if (!f.joinsAll(context.input())) {
      return Twin.none("Flatten(start_dim=" + f.startDim() + ", end_dim=" + f.endDim() + ") keeps some axes of "
          + context.input() + "; Keras' Flatten joins them all");
    }
    if (context.transposed() && context.input().rank() == 3) {
      Optional<String> why = FeatureOrder.flattenedFeaturesOnlyReachDense(context.model(), context.layer());
      if (why.isPresent()) {
        if (FeatureOrder.reachesReorderedDense(context.model(), context.layer())) {
          return Twin.none(why.get() + "; and a Dense layer reading them too takes its rows in H,W,C order");
        }
        // Nothing reorders these features: the twin flattens in PyTorch's C,H,W order itself, moving
        // the channels first ((H,W,C) -> (C,H,W), Keras Permute((3, 1, 2))) before a Flatten.
        return Twin.chain(List.of(Twin.helper(PermuteKind.TWIN_SUFFIX, new Permute(Framework.KERAS,
            List.of(3, 1, 2)))), new Flatten(Framework.KERAS, DataFormat.CHANNELS_LAST), List.of());
      }
    }
    // Not an image: no data format, so that the twin's Flatten sits beside a channels-first Conv1D
    // twin; Keras' config says "channels_last" (writeKeras), a plain reshape in PyTorch's order.
    return Twin.of(new Flatten(Framework.KERAS, context.input().rank() != 3 ? null : DataFormat.CHANNELS_LAST));
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Flatten(Framework.KERAS, DataFormat.CHANNELS_LAST), Shape.of(3, 3, 2)),
        new Example(new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST), Shape.of(2, 3, 3)),
        new Example(new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST), Shape.of(4, 5)),
        new Example(new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST, 2, -1), Shape.of(2, 3, 3)),
        new Example(new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST, 1, 2), Shape.of(2, 3, 4)));
  }
}
