package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Feature standardisation with fixed statistics: Keras {@code Normalization(axis=-1, mean=None,
 * variance=None, invert=False)} ({@code keras/src/layers/preprocessing/normalization.py}). At
 * inference it computes {@code (x - mean) / max(sqrt(variance), epsilon)}, or with {@code invert}
 * {@code mean + x * max(sqrt(variance), epsilon)}, where {@code epsilon} is
 * {@code keras.backend.epsilon()}, 1e-7 (tf_keras the same). The statistics broadcast over every
 * axis not in {@code axis}; {@code axis=None} (an empty list here) keeps one mean and variance for
 * all values.
 *
 * <p>Statistics come from the config when it gives {@code mean} and {@code variance} (then the
 * layer has no weights); otherwise they are the layer's non-trainable weights {@code mean} and
 * {@code variance}, shaped as the kept axes, which {@code adapt()} fills, and Keras' int64 scalar
 * {@code count}, which inference does not use (Keras 3.15's {@code adapt} leaves it 0) but Keras
 * counts among the parameters and expects when loading; Sequent keeps it as a float scalar.
 *
 * @param axis the kept axes as Keras counts them (batch axis 0, negative from the end)
 * @param mean the config's mean (one value, or one per kept position, row-major), or null
 * @param variance the config's variance, like {@code mean}, or null
 */
public record Normalization(Framework framework, List<Integer> axis, boolean invert, List<Double> mean,
    List<Double> variance) implements LayerSpec {

  /** {@code keras.backend.epsilon()}: the floor of the standard deviation. */
  public static final double EPSILON = 1e-7;

  public Normalization {
    axis = List.copyOf(axis);
    mean = mean == null ? null : List.copyOf(mean);
    variance = variance == null ? null : List.copyOf(variance);
    if ((mean == null) != (variance == null)) {
      throw new ShapeException(mean == null ? "mean" : "variance", "mean and variance must be given together. "
          + "Received: mean=" + mean + ", variance=" + variance);
    }
    if (mean != null && mean.size() != variance.size()) {
      throw new ShapeException("variance", "mean and variance must have the same shape. Received: " + mean.size()
          + " and " + variance.size() + " values");
    }
    if (mean != null && mean.isEmpty()) {
      throw new ShapeException("mean", "mean needs a value. Received: []");
    }
    if (variance != null && variance.stream().anyMatch(v -> !(v >= 0))) {
      throw new ShapeException("variance", "variance must not be negative. Received: " + variance);
    }
  }

  @Override
  public String typeName() {
    return NormalizationKind.KERAS_CLASS;
  }

  /** The kept sample axes (no batch axis), ascending, for an input of {@code rank}. */
  public List<Integer> keptAxes(int rank) {
    int ndim = rank + 1;
    TreeSet<Integer> kept = new TreeSet<>();
    for (int a : axis) {
      if (a < -ndim || a >= ndim) {
        throw new ShapeException("axis", "axis " + a + " is out of range for inputs of rank " + ndim
            + " (batch included): expected " + -ndim + " to " + (ndim - 1));
      }
      int full = a < 0 ? a + ndim : a;
      if (full == 0) {
        throw new ShapeException("axis", "axis " + a + " is the batch axis; statistics per batch position do not "
            + "apply to a model of samples");
      }
      kept.add(full - 1);
    }
    return List.copyOf(kept);
  }

  /** The shape of the statistics: the input's kept axes. */
  public Shape statisticsShape(Shape in) {
    List<Integer> dims = new ArrayList<>();
    for (int a : keptAxes(in.rank())) {
      dims.add(in.dim(a));
    }
    return new Shape(dims);
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    Shape stats = statisticsShape(in);
    if (mean != null && mean.size() != 1 && mean.size() != stats.size()) {
      throw new ShapeException("mean", "mean has " + mean.size() + " values, expected 1 or " + stats.size()
          + " (the kept axes " + stats + " of input " + in + ")");
    }
    return in;
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    if (mean != null) {
      return List.of();
    }
    Shape stats = statisticsShape(LayerSpec.only(inputs, this));
    return List.of(ParamSpec.same(NormalizationKind.MEAN, NormalizationKind.MEAN, stats, false),
        ParamSpec.same(NormalizationKind.VARIANCE, NormalizationKind.VARIANCE, stats, false),
        ParamSpec.same(NormalizationKind.COUNT, NormalizationKind.COUNT, Shape.of(), false));
  }

  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    return 0;
  }
}
