package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * {@code inputs[0] + inputs[1] * scale} for two tensors of one shape: keras.applications'
 * InceptionResNetV2 {@code CustomScaleLayer(scale)} (Keras 3
 * {@code keras/src/applications/inception_resnet_v2.py}, tf_keras the same), the residual add of
 * a branch scaled down (0.17, 0.1, 0.2 by block type) before it joins the trunk.
 *
 * @param scale the branch's factor, a number the config holds (float32 in the computation)
 */
public record ScaledSum(Framework framework, double scale) implements LayerSpec {

  @Override
  public String typeName() {
    return ScaledSumKind.KERAS_CLASS;
  }

  @Override
  public int arity() {
    return 2;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != 2) {
      throw new ShapeException("from", typeName() + " takes the trunk and the branch, 2 inputs; wired to "
          + inputs.size());
    }
    if (!inputs.get(0).equals(inputs.get(1))) {
      throw new ShapeException("from", typeName() + " adds equal shapes, but the trunk is " + inputs.get(0)
          + " and the branch " + inputs.get(1));
    }
    return inputs.get(0);
  }

  /** The output for one trunk and one branch value, in float32 as Keras computes it. */
  public float apply(float trunk, float branch) {
    return trunk + branch * (float) scale;
  }
}
