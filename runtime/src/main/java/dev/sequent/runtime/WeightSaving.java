package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.report.Keras2Config;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFormats;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasArchiveConfig;
import dev.sequent.runtime.io.keras.KerasH5Architecture;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Network#saveWeights}: picks the file format from the file name ({@link WeightFormats})
 * and hands its writer the weights in the framework's form it asks for ({@link WeightViews}), with
 * the architecture a whole-model Keras {@code .h5} carries ({@link #kerasH5Architecture}) or a
 * {@code .keras} archive ({@link #kerasArchiveConfig}). The
 * writers replace the file atomically.
 */
final class WeightSaving {
  /** Under the public class's name: the logger users configure for a network. */
  private static final Logger LOG = LoggerFactory.getLogger(Network.class);

  private WeightSaving() {}

  /**
   * Writes {@code weights} to {@code file}, in the format its extension names
   * ({@link WeightFormats#forWriting}).
   *
   * @throws IOException naming the file (and the layer, where one is at fault)
   * @throws UnsupportedOperationException for an extension Sequent does not write
   */
  static void save(InferredModel model, WeightViews weights, Path file, WeightProgress progress) throws IOException {
    WeightFormats.forWriting(file).write(new Exported(model, weights), file, progress);
  }

  /** The views of {@code weights} a format asks for, each made only then, as {@link WeightViews} makes them. */
  private record Exported(InferredModel model, WeightViews weights) implements ExportedWeights {
    @Override
    public Map<String, NamedTensor> torchTensors() {
      return weights.torchFileTensors();
    }

    @Override
    public List<KerasWeightsWriter.LayerWeights> kerasLayers() {
      return weights.kerasFileLayers();
    }

    @Override
    public KerasH5Architecture kerasH5Architecture() {
      return WeightSaving.kerasH5Architecture(model);
    }

    @Override
    public KerasArchiveConfig kerasArchiveConfig() {
      return WeightSaving.kerasArchiveConfig(model);
    }
  }

  /** See {@link Network#kerasH5Architecture()}. */
  static KerasH5Architecture kerasH5Architecture(InferredModel model) {
    Optional<String> why = KerasTwin.whyNone(model);
    if (why.isPresent()) {
      return KerasH5Architecture.weightsOnly(why.get());
    }
    try {
      return KerasH5Architecture.of(Keras2Config.toJson(KerasTwin.of(model)));
    } catch (IllegalStateException | IllegalArgumentException e) {
      // A twin that does not fit the exported weights is Sequent's bug; the weights are still good.
      LOG.warn(RuntimeMessage.KERAS_TWIN_NOT_WRITTEN.format(model.spec().name(), e.getMessage()));
      return KerasH5Architecture.weightsOnly(RuntimeMessage.KERAS_TWIN_FAILED.format(e.getMessage()));
    }
  }

  /** See {@link Network#kerasArchiveConfig()}. */
  static KerasArchiveConfig kerasArchiveConfig(InferredModel model) {
    Optional<String> why = KerasTwin.whyNone(model);
    if (why.isPresent()) {
      return KerasArchiveConfig.none(why.get());
    }
    try {
      return KerasArchiveConfig.of(KerasConfig.toJson(KerasTwin.of(model)));
    } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
      // A twin that does not fit the exported weights, or one Keras 3 has no config for, is Sequent's bug.
      return KerasArchiveConfig.none(RuntimeMessage.KERAS_TWIN_FAILED.format(e.getMessage()));
    }
  }
}
