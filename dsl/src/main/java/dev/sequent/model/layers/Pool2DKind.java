package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
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

/**
 * 2-D max and average pooling: Keras {@code MaxPooling2D}/{@code AveragePooling2D}
 * ({@code keras/src/layers/pooling/}), PyTorch {@code nn.MaxPool2d}/{@code nn.AvgPool2d}
 * ({@code torch/nn/modules/pooling.py}). See {@link Pool2D}.
 */
public final class Pool2DKind extends AbstractLayerKind<Pool2D> {
  public static final String KERAS_MAX = "MaxPooling2D";
  public static final String KERAS_AVG = "AveragePooling2D";
  public static final String TORCH_MAX = "MaxPool2d";
  public static final String TORCH_AVG = "AvgPool2d";
  private static final String MODULE = "torch.nn.modules.pooling.";
  /** PyTorch's {@code AvgPool2d(count_include_pad=True)} default. */
  public static final boolean TORCH_COUNT_INCLUDE_PAD = true;

  public Pool2DKind() {
    super(Pool2D.class, List.of(KERAS_MAX, KERAS_AVG), List.of(MODULE + TORCH_MAX, MODULE + TORCH_AVG));
  }

  @Override
  public String kerasClass(Pool2D p) {
    return p.kind() == Pool2D.Kind.MAX ? KERAS_MAX : KERAS_AVG;
  }

  @Override
  public String torchClass(Pool2D p) {
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

  private static Pool2D keras(AnnotationValues v, Pool2D.Kind kind) {
    int[] pool = v.pair("poolSize");
    int[] strides = v.ints("strides").length == 0 ? pool : v.pair("strides");
    return new Pool2D(Framework.KERAS, kind, pool[0], pool[1], strides[0], strides[1],
        Padding.fromKeras(v.string("padding")), false, false, DataFormat.CHANNELS_LAST);
  }

  private static Pool2D torch(AnnotationValues v, Pool2D.Kind kind, boolean countIncludePad) {
    int[] kernel = torchKernel(v);
    int[] stride = v.ints("stride").length == 0 ? kernel : v.pair("stride");
    int[] padding = v.pair("padding");
    return new Pool2D(Framework.TORCH, kind, kernel[0], kernel[1], stride[0], stride[1],
        Padding.explicit(padding[0], padding[1]), v.bool("ceilMode"), countIncludePad, DataFormat.CHANNELS_FIRST);
  }

  /** {@code kernel} or the positional {@code value}: exactly one, as PyTorch requires kernel_size. */
  private static int[] torchKernel(AnnotationValues v) {
    boolean named = v.ints("kernel").length > 0;
    boolean positional = v.ints("value").length > 0;
    if (named == positional) {
      throw new ShapeException(named ? "kernel" : null, named
          ? "give the kernel once: kernel = " + java.util.Arrays.toString(v.ints("kernel")) + " and value = "
              + java.util.Arrays.toString(v.ints("value"))
          : "kernel_size is required: @MaxPool2d(2) or @MaxPool2d(kernel = 3, stride = 2)");
    }
    return v.pair(named ? "kernel" : "value");
  }

  @Override
  public Pool2D fromKeras(KerasLayerInput c) {
    int[] pool = c.pair("pool_size");
    int[] strides = c.get("strides") == null ? pool : c.pair("strides");
    return new Pool2D(Framework.KERAS, c.className().equals(KERAS_MAX) ? Pool2D.Kind.MAX : Pool2D.Kind.AVG,
        pool[0], pool[1], strides[0], strides[1], Padding.fromKeras(c.string("padding", "valid")),
        false, false, c.dataFormat());
  }

  @Override
  public Optional<String> kerasUnsupported(Pool2D p) {
    if (p.padding().mode() == Padding.Mode.EXPLICIT) {
      return Optional.of("explicit pooling padding " + p.padding() + " has no Keras equivalent");
    }
    if (p.ceilMode()) {
      return Optional.of("ceil_mode has no Keras equivalent");
    }
    return Optional.empty();
  }

  @Override
  public void writeKeras(Pool2D p, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("pool_size", KerasJson.pair(p.poolH(), p.poolW()));
    c.put("padding", KerasJson.padding(p.padding(), dialect, inferred.name()));
    c.set("strides", KerasJson.pair(p.strideH(), p.strideW()));
    c.put("data_format", p.dataFormat().kerasName());
  }

  @Override
  public Pool2D fromTorch(TorchModuleInput m) {
    boolean max = m.simpleName().equals(TORCH_MAX);
    int[] k = m.pair("kernel_size");
    int[] s = m.get("stride") == null ? k : m.pair("stride");
    int[] p = m.pair("padding");
    if (max && (m.pair("dilation")[0] != 1 || m.pair("dilation")[1] != 1)) {
      throw m.unsupported("dilated pooling is not supported");
    }
    if (!max && m.get("divisor_override") != null) {
      throw m.unsupported("divisor_override is not supported");
    }
    return new Pool2D(Framework.TORCH, max ? Pool2D.Kind.MAX : Pool2D.Kind.AVG, k[0], k[1], s[0], s[1],
        Padding.explicit(p[0], p[1]), m.bool("ceil_mode", false),
        m.bool("count_include_pad", TORCH_COUNT_INCLUDE_PAD), DataFormat.CHANNELS_FIRST);
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (simpleName.equals(TORCH_MAX) && c.op().equals("max_pool2d")) {
      Object kernel = TracedArgs.pair(c.arg(1, "kernel_size", null));
      a.put("kernel_size", kernel);
      a.put("stride", TracedArgs.strideOr(c.arg(2, "stride", List.of()), kernel));
      a.put("padding", TracedArgs.pair(c.arg(3, "padding", 0)));
      a.put("dilation", TracedArgs.pair(c.arg(4, "dilation", 1)));
      a.put("ceil_mode", c.arg(5, "ceil_mode", false));
    } else if (simpleName.equals(TORCH_AVG) && c.op().equals("avg_pool2d")) {
      Object kernel = TracedArgs.pair(c.arg(1, "kernel_size", null));
      a.put("kernel_size", kernel);
      a.put("stride", TracedArgs.strideOr(c.arg(2, "stride", List.of()), kernel));
      a.put("padding", TracedArgs.pair(c.arg(3, "padding", 0)));
      a.put("ceil_mode", c.arg(4, "ceil_mode", false));
      a.put("count_include_pad", c.arg(5, "count_include_pad", true));
      a.put("divisor_override", c.arg(6, "divisor_override", null));
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Pool2D p, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("kernel_size", List.of(p.poolH(), p.poolW()));
    a.put("stride", List.of(p.strideH(), p.strideW()));
    a.put("padding", List.of(p.padding().height(), p.padding().width()));
    if (p.kind() == Pool2D.Kind.MAX) {
      a.put("dilation", List.of(1, 1));
    } else {
      a.put("count_include_pad", p.countIncludePad());
      a.put("divisor_override", null);
    }
    a.put("ceil_mode", p.ceilMode());
    return a;
  }

  /** A max or average of non-negative values is non-negative (PyTorch's -inf padding is never a window's maximum). */
  @Override
  public boolean keepsNonNegative(Pool2D p) {
    return true;
  }

  /**
   * Keras' pooling with the same windows and the same divisors, where there is one. PyTorch's window
   * {@code i} of an axis starts at {@code i*s - p}; with {@code ceil_mode} a last window may run past
   * the padded input (PyTorch keeps it when it starts inside). Per axis, in this order:
   *
   * <ul>
   *   <li>"valid": no padding and every window inside the input;
   *   <li>"same": Keras' windows (its padding before, {@code (total)/2}, and {@code ceil(in/s)} of them)
   *       are PyTorch's, and the padding is left out of every window as PyTorch does: a max pool
   *       (both ignore padding), or an average that excludes it ({@code count_include_pad=False},
   *       or no padding, where PyTorch divides a ceil-mode overhang by the values inside);
   *   <li>{@code ZeroPadding2D((p, b), ...)} then "valid", with {@code b} the padding after that the
   *       last window needs: for an average with {@code count_include_pad=True} when no window runs
   *       past the padding PyTorch adds ({@code b <= p}: every divisor is then the window area, zeros
   *       included, as in Keras); for a max pool when its input is non-negative
   *       ({@link TwinContext#inputNonNegative}), where a zero is never above the window's maximum,
   *       as PyTorch's {@code -inf} padding is not.
   * </ul>
   */
  @Override
  public Twin kerasTwin(Pool2D p, TwinContext context) {
    if (p.framework() == Framework.KERAS) {
      return Twin.of(keras(p, p.padding()));
    }
    Shape in = context.input();
    Shape out = context.layer().outputShape();
    int axis0 = p.dataFormat().heightAxis();
    int[] k = {p.poolH(), p.poolW()};
    int[] s = {p.strideH(), p.strideW()};
    int[] pad = {p.padding().height(), p.padding().width()};
    int[] after = new int[2];
    boolean valid = true;
    boolean same = true;
    boolean withinPadding = true;
    for (int a = 0; a < 2; a++) {
      int n = in.dim(axis0 + a);
      int o = out.dim(axis0 + a);
      after[a] = Math.max((o - 1) * s[a] + k[a] - n - pad[a], 0);
      valid &= pad[a] == 0 && after[a] == 0;
      same &= Padding.SAME.outputLength(n, k[a], s[a], 1, 0, false) == o
          && Padding.SAME.before(n, k[a], s[a], 1, 0) == pad[a];
      if (p.kind() == Pool2D.Kind.AVG && p.countIncludePad() && pad[a] > 0) {
        same = false; // PyTorch divides by the padded window, Keras' "same" by the values inside
      }
      withinPadding &= after[a] <= pad[a];
    }
    if (valid) {
      return Twin.of(keras(p, Padding.VALID));
    }
    if (same) {
      return Twin.of(keras(p, Padding.SAME));
    }
    String windows = "PyTorch's windows (padding " + p.padding() + (p.ceilMode() ? ", ceil_mode" : "") + ")";
    if (p.kind() == Pool2D.Kind.AVG && !p.countIncludePad()) {
      return Twin.none(windows + " divide by the values inside the input, and are not Keras' \"same\" windows; "
          + "a valid Keras pool after zero padding would count the padding");
    }
    if (p.kind() == Pool2D.Kind.AVG && !withinPadding) {
      return Twin.none(windows + " run past the padding in ceil mode, and PyTorch leaves that overhang out of the "
          + "divisor; a valid Keras pool after zero padding would count it");
    }
    if (p.kind() == Pool2D.Kind.MAX && !context.inputNonNegative()) {
      return Twin.none(windows + " are not Keras' \"valid\" or \"same\" windows, and PyTorch pads a max pool with "
          + "-inf: zero padding is exact only when the input is non-negative (after a ReLU), which is not known here");
    }
    return Twin.chain(List.of(Twin.helper(ZeroPad2DKind.TWIN_SUFFIX, new ZeroPad2D(Framework.KERAS, pad[0],
        after[0], pad[1], after[1], DataFormat.CHANNELS_LAST))), keras(p, Padding.VALID), List.of());
  }

  private static Pool2D keras(Pool2D p, Padding padding) {
    return new Pool2D(Framework.KERAS, p.kind(), p.poolH(), p.poolW(), p.strideH(), p.strideW(), padding, false, false,
        DataFormat.CHANNELS_LAST);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Pool2D(Framework.KERAS, Pool2D.Kind.MAX, 2, 2, 2, 2, Padding.VALID, false, false,
            DataFormat.CHANNELS_LAST), Shape.of(8, 8, 3)),
        new Example(new Pool2D(Framework.KERAS, Pool2D.Kind.AVG, 3, 3, 2, 2, Padding.SAME, false, false,
            DataFormat.CHANNELS_LAST), Shape.of(7, 7, 2)),
        new Example(new Pool2D(Framework.TORCH, Pool2D.Kind.MAX, 3, 3, 1, 1, Padding.explicit(1, 1), false, true,
            DataFormat.CHANNELS_FIRST), Shape.of(2, 6, 6)),
        new Example(new Pool2D(Framework.TORCH, Pool2D.Kind.AVG, 2, 2, 2, 2, Padding.explicit(0, 0), false, false,
            DataFormat.CHANNELS_FIRST), Shape.of(2, 6, 6)));
  }
  @Override
  public Optional<SourceForm> sourceForm(Pool2D p) {
    boolean max = p.kind() == Pool2D.Kind.MAX;
    if (p.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(max ? KERAS_MAX : KERAS_AVG).with("poolSize", SourceForm.pair(p.poolH(), p.poolW()))
          .with("strides", p.strideH() == p.poolH() && p.strideW() == p.poolW() ? new int[0]
              : SourceForm.pair(p.strideH(), p.strideW()))
          .with("padding", p.padding().mode() == Padding.Mode.SAME ? "same" : "valid"));
    }
    SourceForm f = SourceForm.torch(max ? TORCH_MAX : TORCH_AVG).with("kernel", SourceForm.pair(p.poolH(), p.poolW()))
        .with("stride", p.strideH() == p.poolH() && p.strideW() == p.poolW() ? new int[0]
            : SourceForm.pair(p.strideH(), p.strideW()))
        .with("padding", SourceForm.pair(p.padding().height(), p.padding().width()))
        .with("ceilMode", p.ceilMode());
    return Optional.of(max ? f : f.with("countIncludePad", p.countIncludePad()));
  }
}
