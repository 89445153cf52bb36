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
import java.util.Optional;

/**
 * Keras HDF5 files: read, every {@code .h5} form of Keras 2 (tf_keras) and Keras 3
 * ({@link KerasReader}); written, {@code .weights.h5} in the Keras 3 weights layout and
 * {@code .h5} / {@code .hdf5} as a legacy whole model, or the Keras 2 weights layout when the
 * model has no Keras config ({@link KerasWeightsWriter}, the layout by {@link
 * KerasWeightsWriter.Layout#of}). A model whose config is too long for the {@code .h5} is refused
 * ({@link RuntimeMessage#KERAS_H5_CONFIG_TOO_LONG}), nothing written.
 */
public final class KerasHdf5Format implements WeightFormat {
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  @Override
  public String name() {
    return "keras-hdf5";
  }

  @Override
  public Framework framework() {
    return Framework.KERAS;
  }

  @Override
  public boolean recognises(FileHead head) {
    return head.startsWith(HDF5);
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    return KerasReader.read(file, options);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of(".weights.h5", ".h5", ".hdf5");
  }

  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    KerasWeightsWriter.Layout layout = KerasWeightsWriter.Layout.of(file).orElseThrow(() ->
        new UnsupportedOperationException(RuntimeMessage.UNSUPPORTED_SAVE_EXTENSION.format(file)));
    Optional<String> config = Optional.empty();
    if (layout == KerasWeightsWriter.Layout.LEGACY_H5) {
      KerasH5Architecture architecture = weights.kerasH5Architecture();
      if (architecture.refused()) {
        throw new UnsupportedOperationException(
            RuntimeMessage.KERAS_H5_CONFIG_TOO_LONG.format(file, architecture.whyRefused().orElseThrow()));
      }
      config = architecture.modelConfig();
    }
    List<KerasWeightsWriter.LayerWeights> layers = weights.kerasLayers();
    if (config.isPresent()) {
      // Keras' legacy loaders pair the groups with the rebuilt model's layers by position
      layers = KerasGraphOrder.inLoadOrder(layers, KerasModelConfig.parse(config.get()));
    }
    if (layout == KerasWeightsWriter.Layout.KERAS3_WEIGHTS) {
      // the groups the model's .keras twin has, which a model built from its config reads by path
      Optional<String> twin = weights.kerasArchiveConfig().configJson();
      if (twin.isPresent()) {
        layers = KerasGraphOrder.withKeras3Paths(layers, KerasModelConfig.parse(twin.get()));
      }
    }
    KerasWeightsWriter.write(layers, file, layout, config, progress);
  }
}
