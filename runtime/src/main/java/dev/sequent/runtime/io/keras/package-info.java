/**
 * Keras weight files, read and written: {@link dev.sequent.runtime.io.keras.KerasReader} turns
 * every form Keras 2 (tf_keras) and Keras 3 write into the neutral
 * {@link dev.sequent.runtime.io.WeightFile}, and {@link dev.sequent.runtime.io.keras.KerasModelConfig}
 * turns the model config they carry into framework-agnostic records, from which
 * {@link dev.sequent.runtime.io.keras.KerasConfigArchitecture} builds the network model.
 * {@link dev.sequent.runtime.io.keras.KerasWeightsWriter} writes the HDF5 layouts,
 * {@link dev.sequent.runtime.io.keras.KerasArchiveWriter} the {@code .keras} archives around them;
 * {@link dev.sequent.runtime.io.keras.KerasHdf5Format} and
 * {@link dev.sequent.runtime.io.keras.KerasArchiveFormat} are the two formats as
 * {@link dev.sequent.runtime.io.WeightFormats} lists them. {@link dev.sequent.runtime.io.keras.Keras3SavePaths}
 * says where Keras 3 stores each layer of a config, for mapping a bare {@code .weights.h5}.
 */
package dev.sequent.runtime.io.keras;
