package dev.sequent.runtime.io;

import dev.sequent.model.InferredModel;
import dev.sequent.runtime.io.keras.KerasArchiveConfig;
import dev.sequent.runtime.io.keras.KerasH5Architecture;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's weights as {@link WeightFormat#write} takes them: each view in one framework's form,
 * made only when a format asks for it (a format uses one view; the others are never built).
 */
public interface ExportedWeights {
  /** The model the weights are of (a format that writes a whole program, {@code .pt2}, lowers it). */
  InferredModel model();

  /**
   * The tensors of a PyTorch state_dict file: PyTorch names, order and layouts, buffers included
   * ({@code num_batches_tracked}).
   */
  Map<String, NamedTensor> torchTensors();

  /** The layers of a Keras weight file, each with its weights in Keras' order and layouts. */
  List<KerasWeightsWriter.LayerWeights> kerasLayers();

  /**
   * What a legacy {@code .h5} holds besides the weights: the tf_keras {@code model_config} JSON that
   * makes it a whole model; or why the model has none (the file then holds the weights only); or
   * why no {@code .h5} is written (a config too long for it).
   */
  KerasH5Architecture kerasH5Architecture();

  /**
   * The {@code config.json} of a {@code .keras} archive: the Keras 3 serialization of the model's
   * Keras twin (the model {@link #kerasLayers} belong to), or why the model has none.
   */
  KerasArchiveConfig kerasArchiveConfig();
}
