package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.SourceForm;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.Initialisation;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Keras {@code SeparableConv2D} ({@code keras/src/layers/convolutional/separable_conv2d.py}, on
 * {@code base_separable_conv.py}: {@code depth_multiplier}, {@code depthwise_kernel},
 * {@code pointwise_kernel}, {@code bias}). See {@link SeparableConv2D}.
 *
 * <p>Chosen PyTorch form: no {@code torch.nn} module exists, so none is read; the layer's PyTorch
 * parameters are those of {@code nn.Sequential(OrderedDict(depthwise=Conv2d(C, C*mult, k, groups=C,
 * bias=False), pointwise=Conv2d(C*mult, filters, 1)))}, which is what a state_dict written by Sequent
 * holds and loads into (checked against real PyTorch by {@code fixtures/check_sequent_writes.py}).
 */
public final class SeparableConv2DKind extends AbstractLayerKind<SeparableConv2D> {
  public static final String KERAS_CLASS = "SeparableConv2D";
  public static final String POINTWISE_KERNEL = "pointwise_kernel";
  /** The submodule names of the PyTorch form. */
  public static final String TORCH_DEPTHWISE = "depthwise";
  public static final String TORCH_POINTWISE = "pointwise";
  /** The PyTorch form's container. */
  public static final String TORCH_CLASS = "Sequential";

  public SeparableConv2DKind() {
    super(SeparableConv2D.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(SeparableConv2D layer) {
    return TORCH_CLASS;
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no separable convolution module; the equivalent is nn.Sequential of a "
        + "depthwise Conv2d(groups=in, bias=False) named depthwise and a 1x1 Conv2d named pointwise");
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras.SeparableConv2D", v -> {
      int[] kernel = v.pair("kernelSize");
      int[] strides = v.pair("strides");
      int[] dilation = v.pair("dilationRate");
      return new SeparableConv2D(Framework.KERAS, v.integer("filters"), v.integer("depthMultiplier"), kernel[0],
          kernel[1], strides[0], strides[1], Padding.fromKeras(v.string("padding")), dilation[0], dilation[1],
          v.bool("useBias"), v.kerasActivation(), DataFormat.CHANNELS_LAST);
    }));
  }

  @Override
  public SeparableConv2D fromKeras(KerasLayerInput c) {
    int[] kernel = c.pair("kernel_size");
    int[] strides = c.pair("strides");
    int[] dilation = c.pair("dilation_rate");
    return new SeparableConv2D(Framework.KERAS, c.integer("filters"),
        c.integer("depth_multiplier", DepthwiseConv2DKind.DEFAULT_DEPTH_MULTIPLIER), kernel[0], kernel[1],
        strides[0], strides[1], Padding.fromKeras(c.string("padding", "valid")), dilation[0], dilation[1],
        c.bool("use_bias", true), KerasJson.readActivation(c.config()), c.dataFormat());
  }

  @Override
  public void writeKeras(SeparableConv2D v, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.put("filters", v.filters());
    c.set("kernel_size", KerasJson.pair(v.kernelH(), v.kernelW()));
    c.set("strides", KerasJson.pair(v.strideH(), v.strideW()));
    c.put("padding", v.padding().mode() == Padding.Mode.SAME ? "same" : "valid");
    c.put("data_format", v.dataFormat().kerasName());
    c.set("dilation_rate", KerasJson.pair(v.dilationH(), v.dilationW()));
    // tf_keras writes groups=1 (the layer is a Conv2D subclass there), but Keras 3 refuses the key when
    // it reads the file, and tf_keras reads it absent: it is left out.
    c.put("activation", KerasJson.activation(v.activation(), dialect));
    c.put("use_bias", v.useBias());
    c.put("depth_multiplier", v.depthMultiplier());
    c.set("depthwise_initializer", KerasJson.initializer("GlorotUniform"));
    c.set("pointwise_initializer", KerasJson.initializer("GlorotUniform"));
    c.set("bias_initializer", KerasJson.initializer("Zeros"));
    c.putNull("depthwise_regularizer");
    c.putNull("pointwise_regularizer");
    c.putNull("bias_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("depthwise_constraint");
    c.putNull("pointwise_constraint");
    c.putNull("bias_constraint");
  }

  @Override
  public Twin kerasTwin(SeparableConv2D s, TwinContext context) {
    return Twin.of(s);
  }

  /**
   * Keras: GlorotUniform over each kernel's own fans, zero bias (base_separable_conv.py); PyTorch's
   * pair of Conv2d: {@code U(-1/sqrt(fan_in), ..)} with the depthwise fan-in {@code kh*kw} and the
   * pointwise fan-in {@code C*mult} (for its weight and bias).
   */
  @Override
  public float[] initialValue(SeparableConv2D s, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int c = inferred.inputShapes().get(0).dim(s.dataFormat().channelAxis());
    int taps = s.kernelH() * s.kernelW();
    int mid = c * s.depthMultiplier();
    boolean depthwise = p.kerasName().equals(DepthwiseConv2DKind.KERNEL);
    boolean pointwise = p.kerasName().equals(POINTWISE_KERNEL);
    double bound;
    if (framework == Framework.KERAS) {
      bound = depthwise ? Initialisation.glorotBound(c * taps, s.depthMultiplier() * taps)
          : pointwise ? Initialisation.glorotBound(mid, s.filters()) : 0;
    } else {
      bound = Initialisation.torchBound(depthwise ? taps : mid);
    }
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new SeparableConv2D(Framework.KERAS, 5, 2, 3, 3, 1, 1, Padding.SAME, 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_LAST), Shape.of(8, 8, 3)),
        new Example(new SeparableConv2D(Framework.KERAS, 4, 1, 3, 3, 2, 2, Padding.VALID, 1, 1, false,
            Activation.of(Activation.Kind.RELU), DataFormat.CHANNELS_LAST), Shape.of(9, 9, 2)));
  }
  @Override
  public Optional<SourceForm> sourceForm(SeparableConv2D c) {
    return Optional.of(SourceForm.keras("SeparableConv2D").with("filters", c.filters())
        .with("kernelSize", SourceForm.pair(c.kernelH(), c.kernelW()))
        .with("strides", SourceForm.pair(c.strideH(), c.strideW()))
        .with("padding", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid")
        .with("depthMultiplier", c.depthMultiplier())
        .with("dilationRate", SourceForm.pair(c.dilationH(), c.dilationW()))
        .with("useBias", c.useBias()).with("activation", c.activation().kerasName()));
  }
}
