package dev.sequent.model.kind;

/**
 * The two forms of a Keras layer config Sequent writes. Keras 3's {@code to_json()} (DTypePolicy
 * objects, {@code batch_shape}) and tf_keras' legacy {@code model_config} (dtype strings,
 * explicit regularizer nulls, BatchNormalization {@code axis} as a list); both are read back.
 */
public enum KerasDialect {
  /** Keras 3 {@code model.to_json()} / {@code .keras} {@code config.json}. */
  KERAS3,
  /** tf_keras (Keras 2) legacy {@code .h5} {@code model_config}. */
  TF_KERAS
}
