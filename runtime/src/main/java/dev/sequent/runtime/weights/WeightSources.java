package dev.sequent.runtime.weights;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import java.util.ArrayList;
import java.util.List;
import dev.sequent.runtime.exec.FloatArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adapts a read {@link WeightFile} (any format) to the mapping step's {@link WeightSource}. */
public final class WeightSources {
  private WeightSources() {}

  public static WeightSource from(WeightFile file, List<Double> foldedEpsilons) {
    return from(file, foldedEpsilons, List.of());
  }

  /** As {@link #from(WeightFile, List)}, with the order the file's Flattens give their features in. */
  public static WeightSource from(WeightFile file, List<Double> foldedEpsilons, List<DataFormat> flattenOrders) {
    Framework framework = file.format().startsWith("keras") ? Framework.KERAS : Framework.TORCH;
    List<WeightSource.Tensor> tensors = new ArrayList<>();
    for (NamedTensor t : file.tensors().values()) {
      tensors.add(new WeightSource.Tensor(t.name(), toArray(t)));
    }
    List<WeightSource.Group> groups = file.layerOrder().stream()
        .map(l -> new WeightSource.Group(l.layerName(), l.tensorNames()))
        .toList();
    return new WeightSource(file.source().toString(), framework, tensors, groups, foldedEpsilons, flattenOrders);
  }

  public static INDArray toArray(NamedTensor t) {
    long[] shape = t.shape();
    if (shape.length == 0) {
      return Nd4j.scalar(t.data()[0]);
    }
    return FloatArrays.of(t, shape);
  }
}
