package dev.sequent.runtime.io.keras;

import java.util.Optional;

/**
 * What a Keras {@code .h5} / {@code .hdf5} written by Sequent carries besides the weights: the
 * {@code model_config} that makes it a whole model; or why it has none and holds weights only (the
 * model has no Keras twin); or why it is refused (the model has a twin, but its config is too long
 * for the HDF5 attribute Sequent can write: a weights-only file in its place would silently lose
 * the architecture the user asked for, so the writer says how long it is and to write {@code .keras},
 * which has no such limit). Exactly one of the three is present.
 *
 * @param modelConfig the JSON written as the root attribute {@code model_config}
 * @param whyWeightsOnly a sentence saying why there is no architecture in the file
 * @param whyRefused a sentence saying why no {@code .h5} is written, naming the config's size and the alternative
 */
public record KerasH5Architecture(Optional<String> modelConfig, Optional<String> whyWeightsOnly,
    Optional<String> whyRefused) {
  public KerasH5Architecture {
    int present = (modelConfig.isPresent() ? 1 : 0) + (whyWeightsOnly.isPresent() ? 1 : 0)
        + (whyRefused.isPresent() ? 1 : 0);
    if (present != 1) {
      throw new IllegalArgumentException("exactly one of a model config, a weights-only reason and a refusal is needed");
    }
  }

  /** A whole model, or refused when {@link KerasWeightsWriter#whyNoRoomFor} refuses the config. */
  public static KerasH5Architecture of(String modelConfig) {
    return KerasWeightsWriter.whyNoRoomFor(modelConfig)
        .map(why -> new KerasH5Architecture(Optional.empty(), Optional.empty(), Optional.of(why
            + "; write .keras instead (Keras 3's archive holds the config as a zip entry, with no size limit), or "
            + ".weights.h5 for the weights alone")))
        .orElseGet(() -> new KerasH5Architecture(Optional.of(modelConfig), Optional.empty(), Optional.empty()));
  }

  public static KerasH5Architecture weightsOnly(String why) {
    return new KerasH5Architecture(Optional.empty(), Optional.of(why), Optional.empty());
  }

  /** Whether the file is a whole model that {@code keras.models.load_model} reads. */
  public boolean wholeModel() {
    return modelConfig.isPresent();
  }

  /** Whether no {@code .h5} is written for the model ({@link #whyRefused}). */
  public boolean refused() {
    return whyRefused.isPresent();
  }
}
