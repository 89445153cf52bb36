package dev.sequent.runtime.exec;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime implementation of one layer record type: binds a layer of that type to its
 * parameters as a {@link BoundLayer}. One implementation per record, each in its own file of
 * {@code dev.sequent.runtime.exec.ops} holding both of the layer's forms (ND4J and plain Java),
 * so that a layer's execution is read and changed in one place; {@link OpRegistry} lists them.
 *
 * @param <L> the layer record type this factory binds
 */
public interface LayerOpFactory<L extends LayerSpec> {

  /** The record class this factory binds; {@link OpRegistry} looks factories up by it. */
  Class<L> layerType();

  /**
   * @param layer the layer's hyperparameters
   * @param inferred the same layer with its shapes (input shapes fix padding amounts ahead of time)
   * @param params the layer's parameters in its own framework's layout, in {@code params()} order
   * @param context what binding needs from outside the layer itself
   */
  BoundLayer bind(L layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context);
}
