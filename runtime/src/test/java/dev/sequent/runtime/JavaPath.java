package dev.sequent.runtime;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which path a batch takes through a model: batches of 1 up to {@link #maxBatch} samples run every
 * layer in plain Java ({@code ExecutionPlan.forwardInJava}), larger ones through ND4J. The limit
 * is the one {@link PlanBinder} gives the model's plan (it depends on the layers' shapes, not on
 * their values), here for zero weights of the model's shapes.
 */
final class JavaPath {
  private JavaPath() {}

  static int maxBatch(InferredModel model) {
    Map<String, List<INDArray>> params = new HashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      List<INDArray> values = new ArrayList<>();
      for (ParamSpec p : layer.params()) {
        values.add(Nd4j.zeros(DataType.FLOAT, p.shape(layer.spec().framework()).dims().stream()
            .mapToLong(Integer::longValue).toArray()));
      }
      params.put(layer.name(), values);
    }
    return new PlanBinder(model).bind(params).javaMaxBatch();
  }

  /**
   * {@code batch} repeated along the batch axis until it holds more than {@code javaLimit}
   * samples: a batch that runs through ND4J, where the plain-Java limits (higher with the Vector
   * API kernels) already take the fixture's own batch.
   */
  static INDArray pastLimit(INDArray batch, int javaLimit) {
    int copies = javaLimit / (int) batch.size(0) + 1;
    INDArray[] parts = new INDArray[copies];
    java.util.Arrays.fill(parts, batch);
    return copies == 1 ? batch : Nd4j.concat(0, parts);
  }
}
