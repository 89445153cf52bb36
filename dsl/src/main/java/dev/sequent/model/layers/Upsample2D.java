package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * 2-D upsampling of an image by integer factors: Keras {@code UpSampling2D(size=(2, 2),
 * data_format, interpolation="nearest"|"bilinear")}, PyTorch {@code nn.Upsample(scale_factor,
 * mode="nearest"|"bilinear", align_corners)} and its subclasses {@code nn.UpsamplingNearest2d}
 * (nearest) and {@code nn.UpsamplingBilinear2d} (bilinear, {@code align_corners=True}).
 *
 * <p>Output {@code H * scaleH} by {@code W * scaleW}, channels unchanged; no parameters. Nearest
 * repeats each pixel {@code scaleH x scaleW} times (both frameworks, integer factors). Bilinear
 * samples output pixel {@code d} at source position {@code (d + 0.5) / scale - 0.5} clamped at 0
 * (half-pixel centers: PyTorch {@code align_corners=False}, Keras, {@code tf.image.resize}), or,
 * with {@code alignCorners} (PyTorch only), at {@code d * (in - 1) / (out - 1)}.
 *
 * @param module which {@code torch.nn} class declared it (its summary row); {@link TorchModule#UPSAMPLE}
 *     for Keras
 */
public record Upsample2D(
    Framework framework,
    int scaleH,
    int scaleW,
    Interpolation interpolation,
    boolean alignCorners,
    DataFormat dataFormat,
    TorchModule module)
    implements LayerSpec {

  /** The interpolations Sequent implements; both frameworks spell them in lower case. */
  public enum Interpolation {
    NEAREST, BILINEAR;

    public String frameworkName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The PyTorch module classes of the family. */
  public enum TorchModule {
    UPSAMPLE(Upsample2DKind.TORCH_UPSAMPLE),
    UPSAMPLING_NEAREST(Upsample2DKind.TORCH_NEAREST),
    UPSAMPLING_BILINEAR(Upsample2DKind.TORCH_BILINEAR);

    private final String simpleName;

    TorchModule(String simpleName) {
      this.simpleName = simpleName;
    }

    public String simpleName() {
      return simpleName;
    }
  }

  public Upsample2D {
    boolean keras = framework == Framework.KERAS;
    String scale = keras ? "size" : "scaleFactor";
    LayerSpec.positive(scale, Math.min(scaleH, scaleW), "the upsampling factor");
    if (keras && alignCorners) {
      throw new ShapeException("interpolation", "Keras UpSampling2D has no align_corners: its bilinear "
          + "interpolation always uses half-pixel centers");
    }
    if (keras && module != TorchModule.UPSAMPLE) {
      throw new IllegalArgumentException("a Keras UpSampling2D is not a " + module.simpleName());
    }
    if (alignCorners && interpolation != Interpolation.BILINEAR) {
      throw new ShapeException("alignCorners", "align_corners can only be set with an interpolating mode "
          + "(bilinear), as in PyTorch. Received: alignCorners=true with mode=" + interpolation.frameworkName());
    }
    if (module == TorchModule.UPSAMPLING_NEAREST && interpolation != Interpolation.NEAREST) {
      throw new IllegalArgumentException("UpsamplingNearest2d is nearest, not " + interpolation.frameworkName());
    }
    if (module == TorchModule.UPSAMPLING_BILINEAR && (interpolation != Interpolation.BILINEAR || !alignCorners)) {
      throw new IllegalArgumentException("UpsamplingBilinear2d is bilinear with align_corners=True");
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? Upsample2DKind.KERAS_CLASS : module.simpleName();
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    long h = (long) in.dim(dataFormat.heightAxis()) * scaleH;
    long w = (long) in.dim(dataFormat.heightAxis() + 1) * scaleW;
    if (h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
      throw new ShapeException(framework == Framework.KERAS ? "size" : "scaleFactor",
          "upsampling " + in + " by " + scaleH + "x" + scaleW + " gives more rows or columns than fit in an int");
    }
    return dataFormat.imageShape(in.dim(dataFormat.channelAxis()), (int) h, (int) w);
  }
}
