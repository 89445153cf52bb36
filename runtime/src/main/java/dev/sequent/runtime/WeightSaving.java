package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.report.Keras2Config;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.keras.KerasH5Architecture;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import dev.sequent.runtime.io.safetensors.Safetensors;
import dev.sequent.runtime.io.torch.TorchWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Network#saveWeights}: picks the file format from the file name and hands the writer the
 * weights in that framework's form ({@link WeightViews}), with the architecture a whole-model
 * Keras {@code .h5} carries ({@link #kerasH5Architecture}). The writers replace the file
 * atomically.
 */
final class WeightSaving {
  /** Under the public class's name: the logger users configure for a network. */
  private static final Logger LOG = LoggerFactory.getLogger(Network.class);

  private WeightSaving() {}

  /**
   * Writes {@code weights} to {@code file}, in the format its extension names.
   *
   * @throws IOException naming the file (and the layer, where one is at fault)
   * @throws UnsupportedOperationException for an extension Sequent does not write
   */
  static void save(InferredModel model, WeightViews weights, Path file, WeightProgress progress) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Optional<KerasWeightsWriter.Layout> keras = KerasWeightsWriter.Layout.of(file);
    if (keras.isPresent()) {
      Optional<String> config = keras.get() == KerasWeightsWriter.Layout.LEGACY_H5
          ? kerasH5Architecture(model).modelConfig() : Optional.empty();
      KerasWeightsWriter.write(weights.kerasFileLayers(), file, keras.get(), config, progress);
      return;
    }
    if (!(name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".safetensors"))) {
      throw new UnsupportedOperationException(RuntimeMessage.UNSUPPORTED_SAVE_EXTENSION.format(file));
    }
    if (name.endsWith(".safetensors")) {
      Safetensors.write(weights.torchFileTensors(), file, progress);
    } else {
      TorchWriter.writeStateDict(weights.torchFileTensors(), file, progress);
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
}
