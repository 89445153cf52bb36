package dev.sequent.runtime.io.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** An HDF5 file Keras wrote, told apart by its structure, and read. */
final class KerasH5File {
  private static final String MODEL_WEIGHTS = "model_weights";

  /** What one HDF5 file yielded. */
  record Contents(KerasFormat format, ReadWeights weights, Optional<String> modelConfig) {}

  private KerasH5File() {}

  /**
   * Reads {@code h5} in whichever Keras layout it has.
   *
   * @param keras3Config the config ordering Keras 3 layers, when the file comes from an archive
   * @param onlyKeras3Weights when the file must be a Keras 3 weights file (inside an archive)
   */
  static Contents read(Path h5, String fileForLog, Optional<KerasModelConfig> keras3Config, boolean onlyKeras3Weights)
      throws IOException {
    refuseTruncated(h5);
    H5WeightReader datasets = new H5WeightReader(fileForLog);
    try (HdfFile hdf = new HdfFile(h5)) {
      Contents contents = onlyKeras3Weights
          ? keras3Weights(hdf, datasets, keras3Config)
          : anyLayout(hdf, datasets);
      datasets.reportConversions();
      return contents;
    }
  }

  private static Contents anyLayout(HdfFile hdf, H5WeightReader datasets) {
    Optional<String> modelConfig = H5Attributes.string(hdf, "model_config");
    Node modelWeights = hdf.getChildren().get(MODEL_WEIGHTS);
    if (modelWeights instanceof Group group && KerasH5Reader.hasLayerNames(group)) {
      String version = H5Attributes.string(hdf, "keras_version")
          .or(() -> H5Attributes.string(group, "keras_version")).orElse("");
      KerasFormat format = version.startsWith("3.") ? KerasFormat.KERAS3_LEGACY_H5 : KerasFormat.KERAS2_H5;
      return new Contents(format, KerasH5Reader.read(group, datasets), modelConfig);
    }
    if (KerasH5Reader.hasLayerNames(hdf)) {
      return new Contents(KerasFormat.KERAS_H5_WEIGHTS, KerasH5Reader.read(hdf, datasets), modelConfig);
    }
    if (modelConfig.isPresent()) {
      throw new KerasLayoutException("it has a Keras model_config but no " + MODEL_WEIGHTS
          + " group with layer_names, so no weights");
    }
    if (Keras3WeightsReader.looksLikeKeras3(hdf)) {
      return keras3Weights(hdf, datasets, Optional.empty());
    }
    throw new KerasLayoutException("not a Keras file: HDF5 without Keras structure (no model_config,"
        + " no layer_names, no Keras 3 layers/vars groups; top level holds: " + topLevel(hdf) + ")");
  }

  private static Contents keras3Weights(HdfFile hdf, H5WeightReader datasets, Optional<KerasModelConfig> config) {
    if (!Keras3WeightsReader.looksLikeKeras3(hdf)) {
      throw new KerasLayoutException("not a Keras 3 weights file: no layers/vars groups (top level holds: "
          + topLevel(hdf) + ")");
    }
    return new Contents(KerasFormat.KERAS3_WEIGHTS_H5, Keras3WeightsReader.read(hdf, datasets, config), Optional.empty());
  }

  private static String topLevel(Group root) {
    String names = root.getChildren().keySet().stream().limit(8).collect(Collectors.joining(", "));
    return names.isEmpty() ? "nothing" : names;
  }

  private static void refuseTruncated(Path h5) throws IOException {
    OptionalLong declared = Hdf5Signature.declaredSize(h5);
    long actual = Files.size(h5);
    if (declared.isPresent() && declared.getAsLong() > actual) {
      throw new KerasLayoutException("truncated HDF5 file: its superblock says it holds "
          + declared.getAsLong() + " bytes, but only " + actual + " are there");
    }
  }
}
