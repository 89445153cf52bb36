package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
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
import dev.sequent.model.layers.Upsample2D.Interpolation;
import dev.sequent.model.layers.Upsample2D.TorchModule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * 2-D upsampling: Keras {@code UpSampling2D} ({@code keras/src/layers/reshaping/up_sampling2d.py}:
 * {@code get_config} writes {@code size}, {@code data_format}, {@code interpolation}, the same keys
 * in tf_keras), PyTorch {@code nn.Upsample}, {@code nn.UpsamplingNearest2d},
 * {@code nn.UpsamplingBilinear2d} ({@code torch/nn/modules/upsampling.py}: attributes {@code size},
 * {@code scale_factor} (a float or a tuple of floats), {@code mode}, {@code align_corners},
 * {@code recompute_scale_factor}; traced to {@code torch.upsample_nearest2d(input, None, [2., 2.])}
 * or {@code torch.upsample_bilinear2d(input, None, align_corners, [2., 3.])}). See {@link Upsample2D}.
 *
 * <p>Only integer factors are implemented. PyTorch's {@code size=} (a fixed output size) is
 * refused: the factor it implies depends on the input, which a module does not record.
 */
public final class Upsample2DKind extends AbstractLayerKind<Upsample2D> {
  public static final String KERAS_CLASS = "UpSampling2D";
  public static final String TORCH_UPSAMPLE = "Upsample";
  public static final String TORCH_NEAREST = "UpsamplingNearest2d";
  public static final String TORCH_BILINEAR = "UpsamplingBilinear2d";
  private static final String MODULE = "torch.nn.modules.upsampling.";
  /** Keras' {@code UpSampling2D(size=(2, 2))}. */
  public static final int KERAS_SIZE = 2;
  /** Keras' {@code UpSampling2D(interpolation="nearest")}. */
  public static final String KERAS_INTERPOLATION = "nearest";
  /** PyTorch's {@code Upsample(mode="nearest")}. */
  public static final String TORCH_MODE = "nearest";
  /** PyTorch's {@code Upsample(align_corners=None)}, which means False for bilinear. */
  public static final boolean TORCH_ALIGN_CORNERS = false;

  public Upsample2DKind() {
    super(Upsample2D.class, List.of(KERAS_CLASS),
        List.of(MODULE + TORCH_UPSAMPLE, MODULE + TORCH_NEAREST, MODULE + TORCH_BILINEAR));
  }

  @Override
  public String torchClass(Upsample2D u) {
    return u.module().simpleName();
  }

  // ------------------------------------------------------------------------------ annotations

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> {
          int[] size = v.pair("size");
          return new Upsample2D(Framework.KERAS, size[0], size[1],
              interpolation(v.string("interpolation"), "interpolation"), false, DataFormat.CHANNELS_LAST,
              TorchModule.UPSAMPLE);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_UPSAMPLE, v -> {
          int[] scale = v.pair("scaleFactor");
          return new Upsample2D(Framework.TORCH, scale[0], scale[1], interpolation(v.string("mode"), "mode"),
              v.bool("alignCorners"), DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE);
        }),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_NEAREST, v -> torchModule(v, TorchModule.UPSAMPLING_NEAREST)),
        new AnnotationBuilder("dev.sequent.dsl.torch." + TORCH_BILINEAR, v -> torchModule(v, TorchModule.UPSAMPLING_BILINEAR)));
  }

  private static Upsample2D torchModule(AnnotationValues v, TorchModule module) {
    int[] scale = v.pair("scaleFactor");
    boolean bilinear = module == TorchModule.UPSAMPLING_BILINEAR;
    return new Upsample2D(Framework.TORCH, scale[0], scale[1], bilinear ? Interpolation.BILINEAR : Interpolation.NEAREST,
        bilinear, DataFormat.CHANNELS_FIRST, module);
  }

  /** "nearest" or "bilinear"; anything else is refused naming the attribute. */
  private static Interpolation interpolation(String name, String attribute) {
    for (Interpolation i : Interpolation.values()) {
      if (i.frameworkName().equals(name)) {
        return i;
      }
    }
    throw new ShapeException(attribute, "Sequent upsamples with \"nearest\" or \"bilinear\". Received: "
        + attribute + "=\"" + name + "\"");
  }

  // ---------------------------------------------------------------------------- Keras configs

  @Override
  public Upsample2D fromKeras(KerasLayerInput c) {
    int[] size = c.get("size") == null ? new int[] {KERAS_SIZE, KERAS_SIZE} : c.pair("size");
    String name = c.string("interpolation", KERAS_INTERPOLATION);
    Interpolation interpolation = Arrays.stream(Interpolation.values())
        .filter(i -> i.frameworkName().equals(name)).findFirst()
        .orElseThrow(() -> c.unsupported("interpolation=\"" + name + "\" is not supported (Sequent implements "
            + "\"nearest\" and \"bilinear\")"));
    if (size[0] <= 0 || size[1] <= 0) {
      throw c.unsupported("size " + Arrays.toString(size) + " is not a positive upsampling factor");
    }
    return new Upsample2D(Framework.KERAS, size[0], size[1], interpolation, false, c.dataFormat(), TorchModule.UPSAMPLE);
  }

  @Override
  public Optional<String> kerasUnsupported(Upsample2D u) {
    return u.alignCorners() ? Optional.of(NO_ALIGN_CORNERS) : Optional.empty();
  }

  private static final String NO_ALIGN_CORNERS = "align_corners=True has no Keras equivalent: Keras' UpSampling2D "
      + "(like tf.image.resize) samples bilinearly at half-pixel centers only, which is PyTorch's align_corners=False";

  @Override
  public void writeKeras(Upsample2D u, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("size", KerasJson.pair(u.scaleH(), u.scaleW()));
    c.put("data_format", u.dataFormat().kerasName());
    c.put("interpolation", u.interpolation().frameworkName());
  }

  // --------------------------------------------------------------------------- PyTorch modules

  @Override
  public Upsample2D fromTorch(TorchModuleInput m) {
    if (m.get("size") != null) {
      throw m.unsupported("size=" + m.get("size") + " (a fixed output size) is not supported: Sequent upsamples by "
          + "integer scale_factor only (write scale_factor=output/input)");
    }
    int[] scale = integerFactors(m);
    TorchModule module = Arrays.stream(TorchModule.values()).filter(t -> t.simpleName().equals(m.simpleName()))
        .findFirst().orElseThrow(() -> m.unsupported("not an upsampling module"));
    String mode = m.string("mode", TORCH_MODE);
    Interpolation interpolation = Arrays.stream(Interpolation.values()).filter(i -> i.frameworkName().equals(mode))
        .findFirst().orElseThrow(() -> m.unsupported("mode=\"" + mode + "\" is not supported (Sequent implements "
            + "\"nearest\" and \"bilinear\")"));
    boolean alignCorners = m.bool("align_corners", TORCH_ALIGN_CORNERS);
    return new Upsample2D(Framework.TORCH, scale[0], scale[1], interpolation,
        interpolation == Interpolation.BILINEAR && alignCorners, DataFormat.CHANNELS_FIRST, module);
  }

  /** {@code scale_factor}: a float, or a tuple of two; each a whole number of at least 1. */
  private static int[] integerFactors(TorchModuleInput m) {
    Object v = m.get("scale_factor");
    List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    if (values.size() == 1) {
      values = List.of(values.get(0), values.get(0));
    }
    if (values.size() != 2 || !values.stream().allMatch(Number.class::isInstance)) {
      throw m.unsupported("scale_factor is " + v + ", expected a number or a pair of numbers");
    }
    int[] out = new int[2];
    for (int i = 0; i < 2; i++) {
      double d = ((Number) values.get(i)).doubleValue();
      if (d < 1 || d != Math.rint(d) || d > Integer.MAX_VALUE) {
        throw m.unsupported("scale_factor " + v + " is not supported: Sequent upsamples by whole factors of "
            + "at least 1 only");
      }
      out[i] = (int) d;
    }
    return out;
  }

  /**
   * {@code upsample_nearest2d(input, output_size, scale_factors)} and
   * {@code upsample_bilinear2d(input, output_size, align_corners, scale_factors)}.
   */
  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (c.op().equals("upsample_nearest2d")) {
      a.put("size", c.arg(1, "output_size", null));
      a.put("scale_factor", c.arg(2, "scale_factors", null));
      a.put("mode", "nearest");
    } else if (c.op().equals("upsample_bilinear2d")) {
      a.put("size", c.arg(1, "output_size", null));
      a.put("align_corners", c.arg(2, "align_corners", null));
      a.put("scale_factor", c.arg(3, "scale_factors", null));
      a.put("mode", "bilinear");
    }
    return a;
  }

  @Override
  public Map<String, Object> torchAttributes(Upsample2D u, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("size", null);
    a.put("scale_factor", u.scaleH() == u.scaleW() ? (Object) (double) u.scaleH()
        : List.of((double) u.scaleH(), (double) u.scaleW()));
    a.put("mode", u.interpolation().frameworkName());
    a.put("align_corners", u.interpolation() == Interpolation.BILINEAR ? u.alignCorners() : null);
    a.put("recompute_scale_factor", null);
    return a;
  }

  // ------------------------------------------------------------------------------------ twin

  /**
   * Nearest and half-pixel bilinear are Keras' UpSampling2D on the channels-last image (checked
   * against Keras and {@code tf.image.resize} by fixtures/make_upsampling_fixtures.py); corner-aligned
   * bilinear has no Keras layer.
   */
  /** Nearest and bilinear samples of non-negative values are non-negative (convex combinations). */
  @Override
  public boolean keepsNonNegative(Upsample2D u) {
    return true;
  }

  @Override
  public Twin kerasTwin(Upsample2D u, TwinContext context) {
    if (u.alignCorners()) {
      return Twin.none(NO_ALIGN_CORNERS);
    }
    return Twin.of(new Upsample2D(Framework.KERAS, u.scaleH(), u.scaleW(), u.interpolation(), false,
        DataFormat.CHANNELS_LAST, TorchModule.UPSAMPLE));
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new Upsample2D(Framework.KERAS, 2, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_LAST,
            TorchModule.UPSAMPLE), Shape.of(4, 4, 3)),
        new Example(new Upsample2D(Framework.KERAS, 2, 3, Interpolation.BILINEAR, false, DataFormat.CHANNELS_LAST,
            TorchModule.UPSAMPLE), Shape.of(3, 5, 2)),
        new Example(new Upsample2D(Framework.TORCH, 2, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE), Shape.of(2, 4, 4)),
        new Example(new Upsample2D(Framework.TORCH, 3, 2, Interpolation.BILINEAR, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE), Shape.of(2, 3, 3)),
        new Example(new Upsample2D(Framework.TORCH, 2, 2, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE), Shape.of(2, 3, 3)),
        new Example(new Upsample2D(Framework.TORCH, 3, 3, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_NEAREST), Shape.of(1, 2, 2)),
        new Example(new Upsample2D(Framework.TORCH, 2, 3, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_BILINEAR), Shape.of(2, 3, 4)));
  }
  /** PyTorch's module as read: {@code Upsample(mode)}, or the nearest/bilinear module of its own. */
  @Override
  public Optional<SourceForm> sourceForm(Upsample2D u) {
    int[] scale = SourceForm.pair(u.scaleH(), u.scaleW());
    String interpolation = u.interpolation().frameworkName();
    if (u.framework() == Framework.KERAS) {
      return Optional.of(SourceForm.keras(KERAS_CLASS).with("size", scale).with("interpolation", interpolation));
    }
    return Optional.of(switch (u.module()) {
      case UPSAMPLE -> SourceForm.torch(TORCH_UPSAMPLE).with("scaleFactor", scale).with("mode", interpolation)
          .with("alignCorners", u.alignCorners());
      case UPSAMPLING_NEAREST -> SourceForm.torch(TORCH_NEAREST).with("scaleFactor", scale);
      case UPSAMPLING_BILINEAR -> SourceForm.torch(TORCH_BILINEAR).with("scaleFactor", scale);
    });
  }
}
