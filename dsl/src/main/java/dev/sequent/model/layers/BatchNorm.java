package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalisation over the feature axis: Keras {@code BatchNormalization(axis=-1,
 * momentum=0.99, epsilon=1e-3, center, scale)}, PyTorch {@code BatchNorm1d/BatchNorm2d(num_features,
 * eps=1e-5, momentum=0.1, affine)}. Each keeps its own framework's defaults; at inference both
 * compute {@code gamma * (x - mean) / sqrt(var + eps) + beta}.
 *
 * <p>Parameters, in Keras order: {@code gamma/weight}, {@code beta/bias} (trainable, when
 * scale/center/affine), {@code moving_mean/running_mean}, {@code moving_variance/running_var}
 * (non-trainable in Keras, buffers in PyTorch).
 *
 * @param featureAxis the feature axis in the sample shape; negative counts from the end
 * @param requiredRanks sample ranks the declaring class accepts (BatchNorm2d: 3; BatchNorm1d: 1 or 2;
 *     Keras: any)
 * @param declaredFeatures num_features as stated by the user, or 0 to infer
 */
public record BatchNorm(
    Framework framework,
    String typeName,
    double epsilon,
    double momentum,
    int featureAxis,
    boolean center,
    boolean scale,
    List<Integer> requiredRanks,
    int declaredFeatures)
    implements LayerSpec {

  public BatchNorm {
    requiredRanks = List.copyOf(requiredRanks);
    if (!(epsilon > 0)) {
      throw new ShapeException(framework == Framework.KERAS ? "epsilon" : "eps",
          "epsilon must be positive. Received: " + epsilon);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new ShapeException("momentum", "momentum must be in [0, 1]. Received: momentum=" + momentum);
    }
    if (declaredFeatures < 0) {
      throw new ShapeException("numFeatures", "num_features must be positive. Received: " + declaredFeatures);
    }
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (!requiredRanks.isEmpty() && !requiredRanks.contains(in.rank())) {
      throw new ShapeException(typeName + " expects input of rank "
          + requiredRanks.stream().map(r -> String.valueOf(r + 1)).reduce((a, b) -> a + " or " + b).orElseThrow()
          + " (batch included) but got " + in + " (rank " + (in.rank() + 1) + ")");
    }
    if (featureAxis >= in.rank() || featureAxis < -in.rank()) {
      throw new ShapeException("axis", "axis " + featureAxis + " is out of range for input " + in);
    }
    int features = in.dim(featureAxis);
    if (declaredFeatures > 0 && features != declaredFeatures) {
      throw new ShapeException("numFeatures", "input has " + features + " channels, expected " + declaredFeatures);
    }
    return in;
  }

  /** Number of normalised features for this input. */
  public int features(Shape in) {
    return in.dim(featureAxis);
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    Shape v = Shape.of(features(LayerSpec.only(inputs, this)));
    List<ParamSpec> params = new ArrayList<>(4);
    if (scale) {
      params.add(ParamSpec.same("gamma", "weight", v, true));
    }
    if (center) {
      params.add(ParamSpec.same("beta", "bias", v, true));
    }
    params.add(ParamSpec.same("moving_mean", "running_mean", v, false));
    params.add(ParamSpec.same("moving_variance", "running_var", v, false));
    return params;
  }
}
