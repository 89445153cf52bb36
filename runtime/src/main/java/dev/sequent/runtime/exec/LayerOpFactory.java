package dev.sequent.runtime.exec;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import java.util.List;
import java.util.Optional;
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

  /**
   * This layer as an {@link Epilogue} another layer can absorb (inference BatchNorm as a
   * per-feature affine map, a standalone activation, a pooling over blocks), or empty when it is
   * none of these.
   */
  default Optional<Epilogue> asEpilogue(L layer, InferredModel.Layer inferred, List<INDArray> params) {
    return Optional.empty();
  }

  /**
   * Whether {@link #bind} applies {@code e} (passed as {@link OpContext#epilogue()}) to this
   * layer's output exactly: the epilogue's affine axis is this layer's channel axis, and at most
   * one of the layer's own activation and the epilogue's part after it is non-linear. An epilogue
   * with a {@linkplain Epilogue#hasPooling pooling} changes the output's shape to the pooling
   * layer's: only a layer whose op writes that shape may say yes to one.
   */
  default boolean absorbs(L layer, InferredModel.Layer inferred, Epilogue e) {
    return false;
  }

  /**
   * This layer, with what the plan folded into its output ({@code e}), as a {@link ChannelSource}
   * the one layer reading it can compute block by block, or empty where its op has no such form.
   */
  default Optional<ChannelSource> asChannelSource(L layer, InferredModel.Layer inferred, List<INDArray> params,
      Epilogue e) {
    return Optional.empty();
  }

  /**
   * Whether {@link #bind} takes a {@link ChannelSource} of this layer's input (passed as {@link
   * OpContext#source()}): reads the source's input instead of its own, and computes the source's
   * output channels as it goes. Asked before the producer is asked for its source.
   */
  default boolean readsThrough(L layer, InferredModel.Layer inferred) {
    return false;
  }

  /**
   * Whether the ND4J form of this layer returns an array it made for this call, or a view of one
   * of its inputs, and keeps no reference to it: then the plan may free the array's native memory
   * as soon as the last layer reading it has run, instead of leaving it to the garbage collector
   * (see {@code ExecutionPlan}). True for every built-in op; a layer whose code is not ours (a
   * custom layer) says false.
   */
  default boolean returnsOwnedArrays(L layer) {
    return true;
  }
}
