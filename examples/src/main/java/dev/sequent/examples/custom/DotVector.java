package dev.sequent.examples.custom;

import dev.sequent.dsl.CustomLayer;
import dev.sequent.dsl.Param;
import dev.sequent.runtime.CustomForward;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code x @ w} with a learned vector {@code w}: contracts the last axis away. */
@CustomLayer(output = "in[:-1]", params = @Param(name = "w", shape = "in[-1]"))
public final class DotVector implements CustomForward {
  @Override
  public INDArray forward(INDArray input, Map<String, INDArray> params) {
    INDArray w = params.get("w");
    long[] shape = input.shape();
    long last = shape[shape.length - 1];
    INDArray flat = input.dup('c').reshape('c', input.length() / last, last);
    long[] out = java.util.Arrays.copyOf(shape, shape.length - 1);
    return flat.mmul(w.reshape(last, 1)).reshape('c', out);
  }
}
