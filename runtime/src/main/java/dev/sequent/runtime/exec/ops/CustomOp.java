package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.runtime.CustomForward;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user-written layer: its {@link CustomForward} (instantiated through the
 * {@link OpContext#customForwards() context}, which knows the class loader) called with the layer's
 * parameters by their declared names, read-only.
 */
public final class CustomOp implements LayerOpFactory<CustomLayer> {

  @Override
  public Class<CustomLayer> layerType() {
    return CustomLayer.class;
  }

  @Override
  public BoundLayer bind(CustomLayer c, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    CustomForward forward = context.customForwards().apply(c);
    Map<String, INDArray> named = new LinkedHashMap<>();
    for (int i = 0; i < c.params().size(); i++) {
      named.put(c.params().get(i).name(), params.get(i));
    }
    Map<String, INDArray> frozen = java.util.Collections.unmodifiableMap(named);
    // user code works on INDArrays: no Java form
    return BoundLayer.nd4jOnly(in -> forward.forward(in.get(0), frozen));
  }

  /** User code may return an array it keeps (a cache, a parameter): the plan never frees it. */
  @Override
  public boolean returnsOwnedArrays(CustomLayer layer) {
    return false;
  }
}
