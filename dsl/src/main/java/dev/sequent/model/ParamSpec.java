package dev.sequent.model;

/**
 * One parameter (or BatchNorm statistic) of a layer, described for both frameworks.
 *
 * @param kerasName the weight's name in Keras ({@code kernel}, {@code gamma}, {@code moving_mean})
 * @param torchName the tensor's name in a PyTorch state_dict ({@code weight}, {@code running_mean})
 * @param kerasShape the shape Keras stores it in
 * @param torchShape the shape PyTorch stores it in
 * @param trainable false for BatchNorm's moving statistics (Keras non-trainable weights, PyTorch buffers)
 * @param layout how the two shapes relate
 */
public record ParamSpec(
    String kerasName, String torchName, Shape kerasShape, Shape torchShape, boolean trainable, Layout layout) {

  /** How a parameter's Keras layout relates to its PyTorch layout. */
  public enum Layout {
    /** Same array in both frameworks (biases, BatchNorm vectors, custom vectors). */
    SAME,
    /** Dense kernel (in, out) in Keras, Linear weight (out, in) in PyTorch. */
    DENSE_TRANSPOSED,
    /** Conv kernel (kh, kw, in, out) in Keras, (out, in, kh, kw) in PyTorch. */
    CONV_HWIO_OIHW,
    /**
     * Depthwise kernel {@code (kh, kw, in, mult)} in Keras, grouped weight {@code (in*mult, 1, kh, kw)}
     * in PyTorch ({@code Conv2d(groups=in)}): output channel {@code c*mult + m} in both, so the Keras
     * array is the grouped HWIO kernel {@code (kh, kw, 1, in*mult)} reshaped.
     */
    DEPTHWISE_HWCM_OIHW,
    /** The same values in the same row-major order, shaped differently (PReLU's alpha (1, 1, C) and weight (C)). */
    RESHAPED,
    /**
     * A tensor of one framework's form only ({@link #own}): it has no one twin in the other
     * framework, and the layer's kind converts it together with the layer's other tensors
     * ({@link dev.sequent.model.kind.LayerKind#convertParams}: an LSTM's one Keras bias is PyTorch's
     * {@code bias_ih + bias_hh}).
     */
    LAYER
  }

  public static ParamSpec same(String kerasName, String torchName, Shape shape, boolean trainable) {
    return new ParamSpec(kerasName, torchName, shape, shape, trainable, Layout.SAME);
  }

  /**
   * A tensor of one framework's form of a layer whose tensors do not pair 1:1 across frameworks
   * (see {@link Layout#LAYER}); both names and both shapes are that framework's.
   */
  public static ParamSpec own(String name, Shape shape, boolean trainable) {
    return new ParamSpec(name, name, shape, shape, trainable, Layout.LAYER);
  }

  public Shape shape(Framework framework) {
    return framework == Framework.KERAS ? kerasShape : torchShape;
  }

  public String name(Framework framework) {
    return framework == Framework.KERAS ? kerasName : torchName;
  }

  public long count() {
    return kerasShape.size();
  }
}
