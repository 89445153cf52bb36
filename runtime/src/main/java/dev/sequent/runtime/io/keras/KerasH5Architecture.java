package dev.sequent.runtime.io.keras;

import java.util.Optional;

/**
 * What a Keras {@code .h5} / {@code .hdf5} written by Sequent carries besides the weights: the
 * {@code model_config} that makes it a whole model, or why it has none and holds weights only.
 * Exactly one of the two is present.
 *
 * @param modelConfig the JSON written as the root attribute {@code model_config}
 * @param whyWeightsOnly a sentence saying why there is no architecture in the file
 */
public record KerasH5Architecture(Optional<String> modelConfig, Optional<String> whyWeightsOnly) {
  public KerasH5Architecture {
    if (modelConfig.isPresent() == whyWeightsOnly.isPresent()) {
      throw new IllegalArgumentException("exactly one of a model config and a reason is needed");
    }
  }

  /** A whole model, unless {@link KerasWeightsWriter#whyNoRoomFor} refuses the config. */
  public static KerasH5Architecture of(String modelConfig) {
    return KerasWeightsWriter.whyNoRoomFor(modelConfig)
        .map(KerasH5Architecture::weightsOnly)
        .orElseGet(() -> new KerasH5Architecture(Optional.of(modelConfig), Optional.empty()));
  }

  public static KerasH5Architecture weightsOnly(String why) {
    return new KerasH5Architecture(Optional.empty(), Optional.of(why));
  }

  /** Whether the file is a whole model that {@code keras.models.load_model} reads. */
  public boolean wholeModel() {
    return modelConfig.isPresent();
  }
}
