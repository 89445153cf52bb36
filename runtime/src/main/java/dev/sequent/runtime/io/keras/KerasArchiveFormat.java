package dev.sequent.runtime.io.keras;

import dev.sequent.model.Framework;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keras 3 {@code .keras} archives: a zip holding {@code config.json} and {@code model.weights.h5},
 * read by {@link KerasReader}; written by {@link KerasArchiveWriter} as Keras 3's
 * {@code save_model} writes them, the config being the Keras 3 serialization of the model's Keras
 * twin ({@link ExportedWeights#kerasArchiveConfig}). A model without a twin is refused: an
 * archive without a config is no {@code .keras}.
 */
public final class KerasArchiveFormat implements WeightFormat {
  @Override
  public String name() {
    return "keras-archive";
  }

  @Override
  public Framework framework() {
    return Framework.KERAS;
  }

  @Override
  public boolean recognises(FileHead head) {
    return head.zipEntrySizes().map(entries -> entries.containsKey(KerasArchiveReader.CONFIG_ENTRY)
        && entries.containsKey(KerasArchiveReader.WEIGHTS_ENTRY)).orElse(false);
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    return KerasReader.read(file, options);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of(".keras");
  }

  /**
   * @throws UnsupportedOperationException when the model has no Keras config, with the reason
   *     ({@link RuntimeMessage#KERAS_ARCHIVE_WITHOUT_CONFIG}); nothing is written then
   */
  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    KerasArchiveConfig config = weights.kerasArchiveConfig();
    if (config.configJson().isEmpty()) {
      throw new UnsupportedOperationException(
          RuntimeMessage.KERAS_ARCHIVE_WITHOUT_CONFIG.format(file, config.whyNone().orElseThrow()));
    }
    // Keras 3 finds a layer's weights by its class-based group, numbered in model.layers order
    List<KerasWeightsWriter.LayerWeights> layers = KerasGraphOrder.withKeras3Paths(weights.kerasLayers(),
        KerasModelConfig.parse(config.configJson().get()));
    KerasArchiveWriter.write(layers, config.configJson().get(), file, progress);
  }

}
