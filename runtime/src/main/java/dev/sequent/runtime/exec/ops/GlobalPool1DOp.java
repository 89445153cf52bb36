package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.GlobalPool1D;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global pooling over steps as {@link GlobalPool2DOp} over a {@code 1 x length} image ({@link OneDimensional}). */
public final class GlobalPool1DOp implements LayerOpFactory<GlobalPool1D> {

  @Override
  public Class<GlobalPool1D> layerType() {
    return GlobalPool1D.class;
  }

  @Override
  public BoundLayer bind(GlobalPool1D g, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    GlobalPool2D image = new GlobalPool2D(g.framework(), g.kind(), g.dataFormat(), false);
    Shape imageInput = OneDimensional.asImage(inferred.inputShapes().get(0), g.dataFormat());
    return OneDimensional.onSequences(
        new GlobalPool2DOp().bind(image, OneDimensional.asImageLayer(inferred, image, imageInput), params, context),
        imageInput, inferred.outputShape());
  }
}
