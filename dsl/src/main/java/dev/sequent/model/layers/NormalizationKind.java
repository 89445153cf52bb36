package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Keras {@code Normalization(axis=-1, mean=None, variance=None, invert=False)} (Keras 3.15
 * {@code keras/src/layers/preprocessing/normalization.py}: {@code get_config} writes {@code axis} as
 * a tuple (a list in JSON; {@code ()} for {@code axis=None}), {@code invert}, and {@code mean}/
 * {@code variance} as lists or null; {@code build} adds the non-trainable weights {@code mean} and
 * {@code variance} (zeros and ones, shaped as the kept axes) and an int64 {@code count}, in that
 * order, when no mean is given; tf_keras writes the same keys and weights). See {@link Normalization}.
 *
 * <p>No PyTorch module: PyTorch models take inputs already normalised (torchvision's
 * {@code transforms.Normalize} runs outside the model), so a model in either vocabulary declares it
 * with the Keras spelling {@code @Normalization}.
 *
 * <p>Twin: itself, except over a channels-first image, whose kept axes the twin's transpose moves.
 */
public final class NormalizationKind extends AbstractLayerKind<Normalization> {
  public static final String KERAS_CLASS = "Normalization";
  public static final String MEAN = "mean";
  public static final String VARIANCE = "variance";
  /** Keras' int64 scalar of how many samples {@code adapt()} saw. */
  public static final String COUNT = "count";
  /** Keras' {@code axis=-1} default. */
  public static final int KERAS_AXIS = -1;

  public NormalizationKind() {
    super(Normalization.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(Normalization layer) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(new AnnotationBuilder("dev.sequent.dsl.keras." + KERAS_CLASS, v -> {
      double[] mean = v.doubles("mean");
      double[] variance = v.doubles("variance");
      return new Normalization(Framework.KERAS, Arrays.stream(v.ints("axis")).boxed().toList(), v.bool("invert"),
          mean.length == 0 && variance.length == 0 ? null : RescalingKind.doubles(mean),
          mean.length == 0 && variance.length == 0 ? null : RescalingKind.doubles(variance));
    }));
  }

  /**
   * Keras 3's {@code load_model} reads a legacy {@code .h5} entry without a {@code module} through
   * its legacy deserializer, which keeps an {@code axis} list only of one element (an empty one, {@code axis=None}, neither; found with real
   * Keras 3.15: {@code Normalization(axis=(-2, -1))} came back with {@code axis=-1} and refused its
   * {@code (w, c)} mean); with the module it is read by the current one.
   */
  @Override
  public boolean legacyH5NamesModule(Normalization layer) {
    return layer.axis().size() != 1;
  }

  @Override
  public Normalization fromKeras(KerasLayerInput c) {
    Object axis = c.get("axis");
    List<Integer> axes = axis instanceof List<?> l && l.isEmpty() || axis == null && c.values().containsKey("axis")
        ? List.of() : Arrays.stream(c.ints("axis")).boxed().toList();
    return new Normalization(Framework.KERAS, axes, c.bool("invert", false), statistics(c, MEAN),
        statistics(c, VARIANCE));
  }

  /** The config's mean or variance: null, a number, or nested lists, flattened row-major. */
  private static List<Double> statistics(KerasLayerInput c, String key) {
    Object v = c.get(key);
    if (v == null) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    flatten(c, key, v, out);
    return out;
  }

  private static void flatten(KerasLayerInput c, String key, Object v, List<Double> out) {
    if (v instanceof Number n) {
      out.add(n.doubleValue());
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        flatten(c, key, x, out);
      }
    } else {
      throw c.unsupported("config key " + key + " holds " + v + ", expected numbers");
    }
  }

  @Override
  public void writeKeras(Normalization layer, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    ArrayNode axis = c.putArray("axis");
    layer.axis().forEach(axis::add);
    c.put("invert", layer.invert());
    writeStatistics(c, MEAN, layer.mean(), inferred.inputShapes().get(0), layer);
    writeStatistics(c, VARIANCE, layer.variance(), inferred.inputShapes().get(0), layer);
  }

  /** As {@code np.array(value).tolist()}: null, a number, or nested lists shaped as the kept axes. */
  private static void writeStatistics(ObjectNode c, String key, List<Double> values, Shape in, Normalization layer) {
    if (values == null) {
      c.putNull(key);
    } else if (values.size() == 1) {
      c.put(key, values.get(0));
    } else {
      Shape stats = layer.statisticsShape(in);
      nest(c.putArray(key), values, stats.dims(), 0, 0);
    }
  }

  private static int nest(ArrayNode into, List<Double> values, List<Integer> dims, int axis, int at) {
    for (int i = 0; i < dims.get(axis); i++) {
      if (axis == dims.size() - 1) {
        into.add(values.get(at++));
      } else {
        at = nest(into.addArray(), values, dims, axis + 1, at);
      }
    }
    return at;
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no normalisation-with-statistics module (models take inputs already normalised; "
        + "torchvision normalises in its transforms); declare it with the Keras spelling @Normalization in either "
        + "vocabulary");
  }

  @Override
  public float[] initialValue(Normalization layer, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      Random random) {
    float[] v = new float[(int) param.count()];
    if (param.kerasName().equals(VARIANCE)) {
      Arrays.fill(v, 1f); // Keras: mean and count "zeros", variance "ones"
    }
    return v;
  }

  /** Keras' {@code count} is int64, which the readers skip; a file's missing count is 0. */
  @Override
  public boolean kerasIntegerVariable(Normalization layer, ParamSpec param) {
    return param.kerasName().equals(COUNT);
  }

  @Override
  public Twin kerasTwin(Normalization layer, TwinContext context) {
    if (context.imageIn()) {
      return Twin.none("Normalization keeps statistics per position of axis " + layer.axis() + " of a channels-first "
          + "image, an axis the channels-last twin has elsewhere");
    }
    return Twin.of(layer);
  }

  @Override
  public boolean isTorchModule() {
    return false;
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new Normalization(Framework.KERAS, List.of(-1), false, null, null), Shape.of(4, 4, 3)),
        new Example(new Normalization(Framework.KERAS, List.of(), false, null, null), Shape.of(5)),
        new Example(new Normalization(Framework.KERAS, List.of(-2, -1), true, null, null), Shape.of(2, 3, 4)),
        new Example(new Normalization(Framework.KERAS, List.of(-1), false, List.of(0.5, 1.0, -1.0),
            List.of(4.0, 1.0, 0.25)), Shape.of(2, 3)));
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(Normalization layer) {
    return MaskUse.PASSES;
  }
}
