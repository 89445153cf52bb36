package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * {@code x * gamma}, one learned factor per entry of the last axis: keras.applications' ConvNeXt
 * {@code LayerScale(init_values, projection_dim)} (Keras 3 {@code keras/src/applications/convnext.py},
 * tf_keras the same), which scales each residual branch before the add (CaiT's layer scale).
 * torchvision's ConvNeXt holds the same vector as a bare {@code nn.Parameter} of its block, shaped
 * {@code (C, 1, 1)} over channels-first images, not as a module.
 *
 * @param projectionDim the length of {@code gamma}: the input's last axis
 * @param initValues the factor {@code gamma} starts at
 */
public record LayerScale(Framework framework, int projectionDim, double initValues) implements LayerSpec {

  public LayerScale {
    LayerSpec.positive("projectionDim", projectionDim, "projection_dim");
  }

  @Override
  public String typeName() {
    return LayerScaleKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() == 0 || in.last() != projectionDim) {
      throw new ShapeException("projectionDim", "LayerScale(projection_dim=" + projectionDim + ") scales the last "
          + "axis, but the input is " + in);
    }
    return in;
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return List.of(ParamSpec.same(LayerScaleKind.GAMMA, LayerScaleKind.GAMMA, Shape.of(projectionDim), true));
  }
}
