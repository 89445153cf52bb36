package dev.sequent.runtime.io.keras;

/**
 * The Keras weight-file forms {@link KerasReader} tells apart. {@link #id()} is what
 * {@link dev.sequent.runtime.io.WeightFile#format()} holds.
 */
public enum KerasFormat {
  /** {@code model.save("x.h5")} in Keras 2 / tf_keras: model_config plus model_weights. */
  KERAS2_H5("keras2-h5"),
  /**
   * {@code model.save("x.h5")} in Keras 3: the Keras 2 layout, but weight names are Keras 3
   * variable paths ({@code sequential/dense/kernel}, no {@code :0}).
   */
  KERAS3_LEGACY_H5("keras3-legacy-h5"),
  /** {@code model.save_weights("x.h5")} in Keras 2 / tf_keras: layer_names at the root, no config. */
  KERAS_H5_WEIGHTS("keras-h5-weights"),
  /** {@code model.save_weights("x.weights.h5")} in Keras 3: {@code layers/<layer>/vars/<i>} groups. */
  KERAS3_WEIGHTS_H5("keras3-weights-h5"),
  /** {@code model.save("x.keras")} in Keras 3: a zip of config.json, metadata.json, model.weights.h5. */
  KERAS3_ARCHIVE("keras3-archive");

  private final String id;

  KerasFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
