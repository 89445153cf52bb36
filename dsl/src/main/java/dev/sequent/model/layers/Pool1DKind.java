package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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

/**
 * 1-D max and average pooling: Keras {@code MaxPooling1D}/{@code AveragePooling1D}
 * ({@code keras/src/layers/pooling/}), PyTorch {@code nn.MaxPool1d}/{@code nn.AvgPool1d}
 * ({@code torch/nn/modules/pooling.py}). See {@link Pool1D}.
 */
public final class Pool1DKind extends AbstractLayerKind<Pool1D> {
  public static final String KERAS_MAX = "MaxPooling1D";
  public static final String KERAS_AVG = "AveragePooling1D";
  public static final String TORCH_MAX = "MaxPool1d";
  public static final String TORCH_AVG = "AvgPool1d";
  private static final String MODULE = "torch.nn.modules.pooling.";

  public Pool1DKind() {
    super(Pool1D.class, List.of(KERAS_MAX, KERAS_AVG), List.of(MODULE + TORCH_MAX, MODULE + TORCH_AVG));
  }

  @Override
  public String kerasClass(Pool1D p) {
    return p.kind() == Pool2D.Kind.MAX ? KERAS_MAX : KERAS_AVG;
  }

  @Override
  public String torchClass(Pool1D p) {
    return p.kind() == Pool2D.Kind.MAX ? TORCH_MAX : TORCH_AVG;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_MAX, v -> keras(v, Pool2D.Kind.MAX)),
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_AVG, v -> keras(v, Pool2D.Kind.AVG)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_MAX, v -> torch(v, Pool2D.Kind.MAX, true)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_AVG,
            v -> torch(v, Pool2D.Kind.AVG, v.bool("countIncludePad"))));
  }

  private static Pool1D keras(AnnotationValues v, Pool2D.Kind kind) {
    int pool = v.integer("poolSize");
    int strides = v.integer("strides") == 0 ? pool : v.integer("strides");
    return new Pool1D(Framework.KERAS, kind, pool, strides, Padding.fromKeras(v.string("padding")), false, false,
        DataFormat.CHANNELS_LAST);
  }

  private static Pool1D torch(AnnotationValues v, Pool2D.Kind kind, boolean countIncludePad) {
    int kernel = v.integer("value");
    int stride = v.integer("stride") == 0 ? kernel : v.integer("stride");
    return new Pool1D(Framework.TORCH, kind, kernel, stride, Padding.explicit(0, v.integer("padding")),
        v.bool("ceilMode"), countIncludePad, DataFormat.CHANNELS_FIRST);
  }

  @Override
  public Pool1D fromKeras(KerasLayerInput c) {
    int pool = c.ints("pool_size")[0];
    int strides = c.get("strides") == null ? pool : c.ints("strides")[0];
    return new Pool1D(Framework.KERAS, c.className().equals(KERAS_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        pool, strides, Padding.fromKeras(c.string("padding", "valid")), false, false, c.dataFormat());
  }

  @Override
  public Optional<String> kerasUnsupported(Pool1D p) {
    if (p.padding().mode() == Padding.Mode.EXPLICIT) {
      return Optional.of("explicit pooling padding " + p.padding().width() + " has no Keras equivalent");
    }
    if (p.ceilMode()) {
      return Optional.of("ceil_mode has no Keras equivalent");
    }
    return Optional.empty();
  }

  @Override
  public void writeKeras(Pool1D p, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("pool_size", JsonNodeFactory.instance.arrayNode().add(p.pool()));
    c.put("padding", KerasJson.padding(p.padding(), dialect, inferred.name()));
    c.set("strides", JsonNodeFactory.instance.arrayNode().add(p.stride()));
    c.put("data_format", p.dataFormat().kerasName());
  }

  @Override
  public Pool1D fromTorch(TorchModuleInput m) {
    boolean max = m.simpleName().equals(TORCH_MAX);
    int k = m.ints("kernel_size")[0];
    int s = m.get("stride") == null ? k : m.ints("stride")[0];
    if (m.get("stride") instanceof List<?> l && l.isEmpty()) {
      s = k;
    }
    int p = m.ints("padding")[0];
    if (max && m.ints("dilation")[0] != 1) {
      throw m.unsupported("dilated pooling is not supported");
    }
    if (max && m.bool("return_indices", false)) {
      throw m.unsupported("return_indices=True is not supported");
    }
    return new Pool1D(Framework.TORCH, max ? Pool2D.Kind.MAX : Pool2D.Kind.AVG, k, s, Padding.explicit(0, p),
        m.bool("ceil_mode", false), m.bool("count_include_pad", Pool2DKind.TORCH_COUNT_INCLUDE_PAD),
        DataFormat.CHANNELS_FIRST);
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (simpleName.equals(TORCH_MAX) && c.op().equals("max_pool1d")) {
      Object kernel = c.arg(1, "kernel_size", null);
      a.put("kernel_size", kernel);
      Object stride = c.arg(2, "stride", List.of());
      a.put("stride", stride instanceof List<?> l && l.isEmpty() ? kernel : stride);
      a.put("padding", c.arg(3, "padding", 0));
      a.put("dilation", c.arg(4, "dilation", 1));
      a.put("ceil_mode", c.arg(5, "ceil_mode", false));
    } else if (simpleName.equals(TORCH_AVG) && c.op().equals("avg_pool1d")) {
      Object kernel = c.arg(1, "kernel_size", null);
      a.put("kernel_size", kernel);
      Object stride = c.arg(2, "stride", List.of());
      a.put("stride", stride instanceof List<?> l && l.isEmpty() ? kernel : stride);
      a.put("padding", c.arg(3, "padding", 0));
      a.put("ceil_mode", c.arg(4, "ceil_mode", false));
      a.put("count_include_pad", c.arg(5, "count_include_pad", true));
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Pool1D p, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("kernel_size", List.of(p.pool()));
    a.put("stride", List.of(p.stride()));
    a.put("padding", List.of(p.padding().width()));
    if (p.kind() == Pool2D.Kind.MAX) {
      a.put("dilation", List.of(1));
      a.put("return_indices", false);
    } else {
      a.put("count_include_pad", p.countIncludePad());
    }
    a.put("ceil_mode", p.ceilMode());
    return a;
  }

  /** Keras pooling in the layer's own data format: the twin does not transpose sequences (see Conv1DKind). */
  @Override
  public Twin kerasTwin(Pool1D p, TwinContext context) {
    Optional<String> why = kerasUnsupported(p); // Sequent has no ZeroPadding1D to put before a valid pool
    if (why.isPresent()) {
      return Twin.none(why.get());
    }
    return Twin.of(new Pool1D(Framework.KERAS, p.kind(), p.pool(), p.stride(), p.padding(), false, false,
        p.dataFormat()));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Pool1D(Framework.KERAS, Pool2D.Kind.MAX, 2, 2, Padding.VALID, false, false,
            DataFormat.CHANNELS_LAST), Shape.of(9, 3)),
        new Example(new Pool1D(Framework.KERAS, Pool2D.Kind.AVG, 3, 2, Padding.SAME, false, false,
            DataFormat.CHANNELS_LAST), Shape.of(8, 2)),
        new Example(new Pool1D(Framework.TORCH, Pool2D.Kind.MAX, 3, 1, Padding.explicit(0, 1), false, true,
            DataFormat.CHANNELS_FIRST), Shape.of(2, 6)),
        new Example(new Pool1D(Framework.TORCH, Pool2D.Kind.AVG, 3, 2, Padding.explicit(0, 1), true, false,
            DataFormat.CHANNELS_FIRST), Shape.of(2, 8)));
  }
  @Override
  public Optional<SourceForm> sourceForm(Pool1D p) {
    boolean max = p.kind() == Pool2D.Kind.MAX;
    if (p.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(max ? KERAS_MAX : KERAS_AVG).with("poolSize", p.pool())
          .with("strides", p.stride() == p.pool() ? 0 : p.stride())
          .with("padding", p.padding().mode() == Padding.Mode.SAME ? "same" : "valid"));
    }
    SourceForm f = SourceForm.torch(max ? TORCH_MAX : TORCH_AVG).with("value", p.pool())
        .with("stride", p.stride() == p.pool() ? 0 : p.stride()).with("padding", p.padding().width())
        .with("ceilMode", p.ceilMode());
    return Optional.of(max ? f : f.with("countIncludePad", p.countIncludePad()));
  }
}
