package dev.sequent.examples.custom;

import dev.sequent.dsl.CustomLayer;
import dev.sequent.dsl.Param;
import dev.sequent.runtime.CustomForward;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The classic custom layer: a learned vector {@code w} added to the last axis, {@code x + w}. */
@CustomLayer(output = "in", params = @Param(name = "w", shape = "in[-1]"))
public final class AddVector implements CustomForward {
  @Override
  public INDArray forward(INDArray input, Map<String, INDArray> params) {
    INDArray w = params.get("w");
    return input.add(w.reshape(broadcastShape(input.rank(), w.length())));
  }

  static long[] broadcastShape(int rank, long length) {
    long[] shape = new long[rank];
    java.util.Arrays.fill(shape, 1);
    shape[rank - 1] = length;
    return shape;
  }
}
