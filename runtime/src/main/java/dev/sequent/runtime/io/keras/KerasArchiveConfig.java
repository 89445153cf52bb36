package dev.sequent.runtime.io.keras;

import java.util.Optional;

/**
 * What a {@code .keras} archive written by Sequent needs besides the weights: its
 * {@code config.json}, the Keras 3 serialization of the model's Keras twin, or why the model has
 * none. Exactly one of the two is present. An archive without a config is no {@code .keras}
 * ({@code keras.models.load_model} reads the config first), so without one nothing is written.
 *
 * @param configJson the JSON written as {@code config.json}
 * @param whyNone a sentence saying why the model has no Keras config
 */
public record KerasArchiveConfig(Optional<String> configJson, Optional<String> whyNone) {
  public KerasArchiveConfig {
    if (configJson.isPresent() == whyNone.isPresent()) {
      throw new IllegalArgumentException("exactly one of a config and a reason is needed");
    }
  }

  public static KerasArchiveConfig of(String configJson) {
    return new KerasArchiveConfig(Optional.of(configJson), Optional.empty());
  }

  public static KerasArchiveConfig none(String why) {
    return new KerasArchiveConfig(Optional.empty(), Optional.of(why));
  }
}
