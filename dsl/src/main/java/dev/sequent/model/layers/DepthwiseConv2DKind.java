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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Keras {@code DepthwiseConv2D} ({@code keras/src/layers/convolutional/depthwise_conv2d.py}, on
 * {@code base_depthwise_conv.py}: {@code depth_multiplier}, {@code depthwise_initializer}; the
 * kernel's weight is {@code depthwise_kernel} in tf_keras files). See {@link DepthwiseConv2D}.
 *
 * <p>PyTorch has no module of this name: its form is {@code nn.Conv2d(in, in*mult, k, groups=in)},
 * which {@link Conv2DKind} reads (as a grouped Conv2D), so this kind reads no {@code torch.nn}
 * module but names that one as its PyTorch class, its weight PyTorch's grouped {@code weight}.
 */
public final class DepthwiseConv2DKind extends AbstractLayerKind<DepthwiseConv2D> {
  public static final String KERAS_CLASS = "DepthwiseConv2D";
  /** The kernel's name in tf_keras files ({@code depthwise_conv2d/depthwise_kernel:0}). */
  public static final String KERNEL = "depthwise_kernel";
  /** {@code depth_multiplier=1}. */
  public static final int DEFAULT_DEPTH_MULTIPLIER = 1;

  public DepthwiseConv2DKind() {
    super(DepthwiseConv2D.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(DepthwiseConv2D layer) {
    return Conv2DKind.TORCH_CLASS;
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch spells a depthwise convolution nn.Conv2d(in, in*mult, k, groups=in), "
        + "which the Conv2D kind reads as a grouped convolution");
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras.DepthwiseConv2D", v -> {
      int[] kernel = v.pair("kernelSize");
      int[] strides = v.pair("strides");
      int[] dilation = v.pair("dilationRate");
      return new DepthwiseConv2D(Framework.KERAS, v.integer("depthMultiplier"), kernel[0], kernel[1], strides[0],
          strides[1], Padding.fromKeras(v.string("padding")), dilation[0], dilation[1], v.bool("useBias"),
          v.kerasActivation(), DataFormat.CHANNELS_LAST);
    }));
  }

  @Override
  public DepthwiseConv2D fromKeras(KerasLayerInput c) {
    int[] kernel = c.pair("kernel_size");
    int[] strides = c.pair("strides");
    int[] dilation = c.pair("dilation_rate");
    return new DepthwiseConv2D(Framework.KERAS, c.integer("depth_multiplier", DEFAULT_DEPTH_MULTIPLIER),
        kernel[0], kernel[1], strides[0], strides[1], Padding.fromKeras(c.string("padding", "valid")),
        dilation[0], dilation[1], c.bool("use_bias", true), KerasJson.readActivation(c.config()), c.dataFormat());
  }

  @Override
  public void writeKeras(DepthwiseConv2D v, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
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
    c.set("bias_initializer", KerasJson.initializer("Zeros"));
    c.putNull("depthwise_regularizer");
    c.putNull("bias_regularizer");
    c.putNull("activity_regularizer");
    c.putNull("depthwise_constraint");
    c.putNull("bias_constraint");
  }

  /** The twin PyTorch module: {@code Conv2d(in, in*mult, k, groups=in)}. */
  @Override
  public Map<String, Object> torchAttributes(DepthwiseConv2D d, InferredModel.Layer inferred) {
    int c = d.inputChannels(inferred.inputShapes().get(0));
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("in_channels", c);
    a.put("out_channels", c * d.depthMultiplier());
    a.put("kernel_size", List.of(d.kernelH(), d.kernelW()));
    a.put("stride", List.of(d.strideH(), d.strideW()));
    a.put("padding", d.padding().mode() == Padding.Mode.SAME ? "same" : List.of(0, 0));
    a.put("dilation", List.of(d.dilationH(), d.dilationW()));
    a.put("groups", c);
    a.put("padding_mode", "zeros");
    return a;
  }

  @Override
  public Twin kerasTwin(DepthwiseConv2D d, TwinContext context) {
    return Twin.of(d);
  }

  /**
   * Keras: GlorotUniform over the depthwise kernel's fans ({@code in*kh*kw}, {@code mult*kh*kw}),
   * zero bias; PyTorch's grouped Conv2d: {@code U(-1/sqrt(kh*kw), ..)} (fan-in of one group's channel).
   */
  @Override
  public float[] initialValue(DepthwiseConv2D d, InferredModel.Layer inferred, ParamSpec p, Framework framework,
      Random random) {
    int c = d.inputChannels(inferred.inputShapes().get(0));
    int taps = d.kernelH() * d.kernelW();
    boolean kernel = p.kerasName().equals(KERNEL);
    double bound = framework == Framework.KERAS
        ? (kernel ? Initialisation.glorotBound(c * taps, d.depthMultiplier() * taps) : 0)
        : Initialisation.torchBound(taps);
    return Initialisation.uniform((int) p.count(), bound, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new DepthwiseConv2D(Framework.KERAS, 2, 3, 3, 1, 1, Padding.SAME, 1, 1, true,
            Activation.LINEAR, DataFormat.CHANNELS_LAST), Shape.of(8, 8, 3)),
        new Example(new DepthwiseConv2D(Framework.KERAS, 1, 3, 3, 2, 2, Padding.VALID, 1, 1, false,
            Activation.of(Activation.Kind.RELU), DataFormat.CHANNELS_LAST), Shape.of(9, 9, 4)));
  }
  @Override
  public Optional<SourceForm> sourceForm(DepthwiseConv2D c) {
    return Optional.of(SourceForm.keras("DepthwiseConv2D")
        .with("kernelSize", SourceForm.pair(c.kernelH(), c.kernelW()))
        .with("strides", SourceForm.pair(c.strideH(), c.strideW()))
        .with("padding", c.padding().mode() == Padding.Mode.SAME ? "same" : "valid")
        .with("depthMultiplier", c.depthMultiplier())
        .with("dilationRate", SourceForm.pair(c.dilationH(), c.dilationW()))
        .with("useBias", c.useBias()).with("activation", c.activation().kerasName()));
  }
}
