package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Pool1D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** 1-D pooling as {@link Pool2DOp} over a {@code 1 x length} image ({@link OneDimensional}). */
public final class Pool1DOp implements LayerOpFactory<Pool1D> {

  @Override
  public Class<Pool1D> layerType() {
    return Pool1D.class;
  }

  @Override
  public BoundLayer bind(Pool1D p, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Pool2D image = p.asPool2D();
    Shape imageInput = OneDimensional.asImage(inferred.inputShapes().get(0), p.dataFormat());
    return OneDimensional.onSequences(
        new Pool2DOp().bind(image, OneDimensional.asImageLayer(inferred, image, imageInput), params, context),
        imageInput, inferred.outputShape());
  }
}
