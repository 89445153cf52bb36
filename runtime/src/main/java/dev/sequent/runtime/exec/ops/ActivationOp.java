package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A standalone activation layer: {@link Elementwise}'s activation on a copy of the input (layer
 * inputs are never modified), the same function the layers with a fused activation apply.
 */
public final class ActivationOp implements LayerOpFactory<ActivationLayer> {

  @Override
  public Class<ActivationLayer> layerType() {
    return ActivationLayer.class;
  }

  @Override
  public BoundLayer bind(ActivationLayer a, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    Shape output = inferred.outputShape();
    Activation act = a.activation();
    BoundLayer bound = new BoundLayer(in -> Elementwise.applyInPlace(act, Elementwise.copy(in.get(0))),
        (in, n) -> {
          float[] y = in.get(0).clone();
          Elementwise.activate(act, FloatBuffer.wrap(y), output.withBatch(n));
          return y;
        }, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size()));
    // softmax and log-softmax work along an axis, which a channels-last value has elsewhere
    return Elementwise.mapsEachValue(act) ? bound.layoutFreeForm() : bound;
  }

  /** The activation alone, which a preceding convolution or dense layer can apply to its own output. */
  @Override
  public Optional<Epilogue> asEpilogue(ActivationLayer a, InferredModel.Layer inferred, List<INDArray> params) {
    return Optional.of(Epilogue.activation(a.activation()));
  }
}
