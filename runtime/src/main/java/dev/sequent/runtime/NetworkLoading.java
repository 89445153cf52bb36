package dev.sequent.runtime;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.kind.EpsilonFold;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.arch.Architectures;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasConfigArchitecture;
import dev.sequent.runtime.io.keras.KerasModelConfig;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.runtime.weights.WeightSources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link Network}'s factories and weight loads read what a file or a config holds: the checked
 * model of a whole-model file or a Keras config, and a file's weights for a model, with the
 * {@code module.} prefix of {@code nn.DataParallel} files dropped and faults in memory-mapped
 * tensors reported as errors naming the file.
 */
final class NetworkLoading {
  /** Under the public class's name: the logger users configure for a network. */
  private static final Logger LOG = LoggerFactory.getLogger(Network.class);
  private static final String DATA_PARALLEL_PREFIX = "module.";

  private NetworkLoading() {}

  /**
   * The model a whole-model file describes, named after the file (without its extensions), its
   * shapes checked.
   *
   * @param inputShape the sample input shape, for a file that does not record it
   * @throws UnsupportedArchitectureException when the file holds weights only, or its
   *     architecture uses a layer Sequent cannot run or does not check
   */
  static InferredModel modelOf(WeightFile weights, Optional<Shape> inputShape) {
    Path file = weights.source();
    String name = file.getFileName().toString().replaceFirst("\\..*$", "");
    ModelSpec spec = Architectures.of(weights, name, inputShape).orElseThrow(() ->
        new UnsupportedArchitectureException(RuntimeMessage.NO_ARCHITECTURE_IN_FILE.format(file, weights.format())));
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      String given = inputShape.map(s -> RuntimeMessage.INPUT_SHAPE_GIVEN_CLAUSE.format(s)
          + (spec.framework() == Framework.TORCH && s.rank() == 3
              ? RuntimeMessage.TORCH_CHANNELS_FIRST_HINT.format() : "")).orElse("");
      throw new UnsupportedArchitectureException(RuntimeMessage.FILE_ARCHITECTURE_DOES_NOT_CHECK.format(file,
          given, problems(result)));
    }
    return result.model();
  }

  /**
   * The model a Keras {@code to_json()} / {@code model_config} string describes, its shapes
   * checked.
   *
   * @throws UnsupportedArchitectureException when the text is no Keras model config, names a
   *     layer Sequent cannot build, or does not check
   */
  static InferredModel modelOfKerasConfig(String kerasJson) {
    ModelSpec spec;
    try {
      spec = KerasConfigArchitecture.toModelSpec(KerasModelConfig.parse(kerasJson));
    } catch (IllegalArgumentException e) {
      throw new UnsupportedArchitectureException(RuntimeMessage.NOT_A_KERAS_MODEL_CONFIG.format(e.getMessage()));
    }
    ShapeInference.Result result = ShapeInference.infer(spec);
    if (!result.ok()) {
      throw new UnsupportedArchitectureException(RuntimeMessage.KERAS_CONFIG_DOES_NOT_CHECK.format(problems(result)));
    }
    return result.model();
  }

  private static String problems(ShapeInference.Result result) {
    return result.problems().stream().map(p -> p.message()).collect(Collectors.joining("; "));
  }

  /**
   * The weights of a whole-model file for the model {@link #modelOf} read from that same file:
   * the tensor names are taken as they are, and the file's BatchNorm epsilons are the model's own,
   * so no fold moves a variance. (Passing none would make the mapping assume each framework's
   * default epsilon and fold the difference: keras.applications' {@code epsilon=1.001e-5} read as
   * Keras' 1e-3.)
   */
  static Map<String, List<INDArray>> weightsOfOwnModel(InferredModel model, WeightFile weights,
      WeightProgress progress) {
    List<Double> ownEpsilons = model.nodes().stream().map(InferredModel.Layer::spec)
        .flatMap(l -> LayerKinds.of(l).epsilonFold(l).stream()).map(EpsilonFold::epsilon).toList();
    // ... and its Flattens order features as the model's do (a channels-first Keras model: C,H,W).
    return readingMapped(weights, () -> WeightMapping.map(model,
        WeightSources.from(weights, ownEpsilons, WeightMapping.flattenOrders(model)), progress));
  }

  /**
   * A plan for a file's weights, converted to the binder's model. The file's BatchNorm epsilons are
   * applied, and with {@code dropDataParallelPrefix} a {@code module.} on every tensor name is
   * removed (with a warning) unless the model's own parameter names have it. Binding runs inside
   * the mapped-read guard too: a fault in a mapped tensor may surface in it.
   */
  static ExecutionPlan bindWeightsOf(WeightFile weights, boolean dropDataParallelPrefix, WeightProgress progress,
      PlanBinder binder) {
    InferredModel model = binder.model();
    WeightFile file = dropDataParallelPrefix ? withoutDataParallelPrefix(weights, model) : weights;
    return readingMapped(file, () -> binder.bind(WeightMapping.map(model,
        WeightSources.from(file, Architectures.foldedEpsilons(file), Architectures.flattenOrders(file)), progress)));
  }

  /**
   * Runs {@code work}, which copies a file's mapped tensors, turning a fault in the mapping (the
   * file cut short after it was read) into an error naming the file. The JVM reports such faults
   * asynchronously, at a later safepoint of the copying thread, so the tensor's own check cannot
   * catch every one; this is the outermost frame that still owns the work.
   */
  private static <T> T readingMapped(WeightFile file, Supplier<T> work) {
    try {
      return work.get();
    } catch (InternalError e) {
      throw new WeightFileException(file.source(), RuntimeMessage.FILE_CHANGED_AFTER_OPENING.format(e.getMessage()), e);
    }
  }

  private static WeightFile withoutDataParallelPrefix(WeightFile weights, InferredModel model) {
    if (weights.tensors().isEmpty()
        || !weights.tensors().keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))
        || ParameterNames.of(model, Framework.TORCH).stream().anyMatch(p -> p.torchName().startsWith(DATA_PARALLEL_PREFIX))) {
      return weights;
    }
    LOG.warn(RuntimeMessage.DATA_PARALLEL_PREFIX_DROPPED.format(weights.source(), DATA_PARALLEL_PREFIX,
        model.spec().name()));
    return weights.withoutPrefix(DATA_PARALLEL_PREFIX);
  }
}
