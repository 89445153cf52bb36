package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adaptive pooling: PyTorch {@code nn.AdaptiveAvgPool2d}/{@code nn.AdaptiveMaxPool2d}
 * ({@code torch/nn/modules/pooling.py}; window bounds from aten's {@code AdaptiveAveragePooling.cpp}).
 * See {@link AdaptivePool2D}. This kind reads no Keras class: Keras 3's
 * {@code AdaptiveAveragePooling2D} has no tf_keras counterpart for the legacy {@code .h5}, so the
 * Keras twin is the exact equivalent where one exists instead: {@code GlobalAveragePooling2D
 * (keepdims=True)} for output 1x1 (torchvision's heads), a plain pooling with kernel = stride =
 * input / output where the sizes divide evenly.
 */
public final class AdaptivePool2DKind extends AbstractLayerKind<AdaptivePool2D> {
  public static final String TORCH_AVG = "AdaptiveAvgPool2d";
  public static final String TORCH_MAX = "AdaptiveMaxPool2d";
  private static final String MODULE = "torch.nn.modules.pooling.";

  public AdaptivePool2DKind() {
    super(AdaptivePool2D.class, List.of(), List.of(MODULE + TORCH_AVG, MODULE + TORCH_MAX));
  }

  @Override
  public String kerasClass(AdaptivePool2D p) {
    return p.kind() == Pool2D.Kind.MAX ? "AdaptiveMaxPooling2D" : "AdaptiveAveragePooling2D";
  }

  @Override
  public String torchClass(AdaptivePool2D p) {
    return p.typeName();
  }

  @Override
  public Optional<String> withoutKerasClass() {
    return Optional.of("Keras 3's AdaptiveAveragePooling2D/AdaptiveMaxPooling2D have no tf_keras counterpart; "
        + "the Keras twin uses GlobalAveragePooling2D(keepdims=True) or a plain pooling where they are exact");
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_AVG, v -> torch(v, Pool2D.Kind.AVG)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_MAX, v -> torch(v, Pool2D.Kind.MAX)));
  }

  private static AdaptivePool2D torch(AnnotationValues v, Pool2D.Kind kind) {
    int[] size = v.pair("value");
    return new AdaptivePool2D(Framework.TORCH, kind, size[0], size[1], DataFormat.CHANNELS_FIRST);
  }

  @Override
  public AdaptivePool2D fromKeras(KerasLayerInput config) {
    throw config.unsupported("adaptive pooling is read from PyTorch modules only");
  }

  @Override
  public void writeKeras(AdaptivePool2D p, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode config) {
    throw new UnsupportedOperationException("adaptive pooling is written to Keras as its twin");
  }

  @Override
  public AdaptivePool2D fromTorch(TorchModuleInput m) {
    if (m.bool("return_indices", false)) {
      throw m.unsupported("return_indices=True is not supported");
    }
    Object size = m.get("output_size");
    int[] hw;
    if (size instanceof Number n) {
      hw = new int[] {n.intValue(), n.intValue()};
    } else if (size instanceof List<?> l && l.size() == 2) {
      hw = new int[] {l.get(0) instanceof Number a ? a.intValue() : 0, l.get(1) instanceof Number b ? b.intValue() : 0};
    } else if (size instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number a) {
      hw = new int[] {a.intValue(), a.intValue()};
    } else {
      throw m.unsupported("attribute output_size is " + size + ", expected an int or a pair (None allowed)");
    }
    return new AdaptivePool2D(Framework.TORCH, m.simpleName().equals(TORCH_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        hw[0], hw[1], DataFormat.CHANNELS_FIRST);
  }

  /** {@code adaptive_avg_pool2d(input, [oh, ow])} / {@code adaptive_max_pool2d(input, [oh, ow])}: sizes resolved. */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    boolean ok = simpleName.equals(TORCH_AVG) ? c.op().equals("adaptive_avg_pool2d")
        : simpleName.equals(TORCH_MAX) && c.op().equals("adaptive_max_pool2d");
    if (!ok) {
      return Map.of();
    }
    Object size = c.arg(1, "output_size", null);
    if (size instanceof List<?> l) {
      // A None size traces to the input's size computed at run time (torch.size(x, 3)): not a
      // literal, and exactly what None means.
      List<Object> sizes = new ArrayList<>();
      l.forEach(e -> sizes.add(e instanceof Integer i ? i : null));
      size = sizes;
    }
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("output_size", size);
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(AdaptivePool2D p, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("output_size", new ArrayList<>(Arrays.asList(p.outH() == 0 ? null : p.outH(),
        p.outW() == 0 ? null : p.outW())));
    if (p.kind() == Pool2D.Kind.MAX) {
      a.put("return_indices", false);
    }
    return a;
  }

  @Override
  public Twin kerasTwin(AdaptivePool2D p, TwinContext context) {
    Shape in = context.input();
    int h = in.dim(p.dataFormat().heightAxis());
    int w = in.dim(p.dataFormat().heightAxis() + 1);
    int oh = p.height(h);
    int ow = p.width(w);
    if (oh == 1 && ow == 1) {
      return Twin.of(new GlobalPool2D(Framework.KERAS, p.kind(), DataFormat.CHANNELS_LAST, true));
    }
    if (h % oh == 0 && w % ow == 0) {
      return Twin.of(new Pool2D(Framework.KERAS, p.kind(), h / oh, w / ow, h / oh, w / ow, Padding.VALID, false,
          false, DataFormat.CHANNELS_LAST));
    }
    return Twin.none("adaptive pooling from " + h + "x" + w + " to " + oh + "x" + ow + " has windows of "
        + "different sizes, which no tf_keras layer computes");
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new AdaptivePool2D(Framework.TORCH, Pool2D.Kind.AVG, 1, 1, DataFormat.CHANNELS_FIRST),
            Shape.of(3, 7, 7)),
        new Example(new AdaptivePool2D(Framework.TORCH, Pool2D.Kind.AVG, 3, 5, DataFormat.CHANNELS_FIRST),
            Shape.of(2, 7, 11)),
        new Example(new AdaptivePool2D(Framework.TORCH, Pool2D.Kind.MAX, 2, 0, DataFormat.CHANNELS_FIRST),
            Shape.of(2, 8, 5)));
  }
  @Override
  public Optional<SourceForm> sourceForm(AdaptivePool2D p) {
    return Optional.of(SourceForm.torch(p.kind() == Pool2D.Kind.MAX ? TORCH_MAX : TORCH_AVG)
        .with("value", SourceForm.pair(p.outH(), p.outW())));
  }
}
