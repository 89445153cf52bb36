package dev.sequent.model.report;

import dev.sequent.model.Framework;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;

/**
 * One parameter of a model under every naming a file may use.
 *
 * @param layer the layer's name in the model
 * @param spec the parameter, with its shape in both layouts
 * @param torchName the state_dict key: {@code 0.weight} in a Sequential (fused Keras activations
 *     count as modules, as in the equivalent {@code nn.Sequential}), {@code fc1.weight} in a Module
 * @param keras2Name the HDF5 weight name of Keras 2 ({@code conv2d/kernel:0})
 * @param keras3Name the variable path of Keras 3 {@code .weights.h5} / {@code .keras}
 *     ({@code layers/conv2d/vars/0}, where {@code conv2d} comes from the class name, not the layer name)
 * @param storedIn the layout Sequent stores the tensor in (the declaring layer's framework)
 */
public record NamedParam(
    String layer, ParamSpec spec, String torchName, String keras2Name, String keras3Name, Framework storedIn) {

  public Shape storedShape() {
    return spec.shape(storedIn);
  }
}
