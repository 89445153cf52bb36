package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Normalization;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' Normalization in float32 as {@code normalization.py} computes it: the standard deviation
 * {@code max(sqrt(variance), epsilon)} once per kept position, then {@code (x - mean) / std} (or
 * {@code mean + x * std} with {@code invert}) per value, the statistics found through strides that
 * are 0 on the axes they broadcast over. One loop over Java arrays on every batch size (one
 * subtract and divide per value, memory-bound).
 */
public final class NormalizationOp implements LayerOpFactory<Normalization> {

  @Override
  public Class<Normalization> layerType() {
    return Normalization.class;
  }

  @Override
  public BoundLayer bind(Normalization layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape in = inferred.inputShapes().get(0);
    int count = (int) layer.statisticsShape(in).size();
    float[] mean = layer.mean() != null ? repeat(layer.mean(), count) : FloatArrays.copyOf(params.get(0));
    float[] variance = layer.variance() != null ? repeat(layer.variance(), count) : FloatArrays.copyOf(params.get(1));
    float[] std = new float[count];
    float epsilon = (float) Normalization.EPSILON;
    for (int i = 0; i < count; i++) {
      std[i] = Math.max((float) Math.sqrt(variance[i]), epsilon);
    }
    // Strides of the statistics over the sample's axes: 0 on an axis they broadcast over.
    int rank = in.rank();
    List<Integer> kept = layer.keptAxes(rank);
    int[] dims = in.toArray();
    int[] strides = new int[rank];
    int stride = 1;
    for (int a = rank - 1; a >= 0; a--) {
      if (kept.contains(a)) {
        strides[a] = stride;
        stride *= dims[a];
      }
    }
    int per = (int) in.size();
    boolean invert = layer.invert();
    SmallOp small = (xs, n) -> {
      float[] x = xs.get(0);
      float[] y = new float[x.length];
      int[] index = new int[rank];
      for (int b = 0; b < n; b++) {
        java.util.Arrays.fill(index, 0);
        int s = 0;
        for (int j = b * per, end = j + per; j < end; j++) {
          y[j] = invert ? mean[s] + x[j] * std[s] : (x[j] - mean[s]) / std[s];
          for (int a = rank - 1; a >= 0; a--) {
            if (++index[a] < dims[a]) {
              s += strides[a];
              break;
            }
            s -= strides[a] * (dims[a] - 1);
            index[a] = 0;
          }
        }
      }
      return y;
    };
    return new BoundLayer(xs -> {
      INDArray x = xs.get(0);
      int n = (int) x.size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), in.withBatch(n));
    }, small, Integer.MAX_VALUE);
  }

  /** The config's statistics, one per kept position (a single value repeated), as float32 like Keras' cast. */
  private static float[] repeat(List<Double> values, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (double) values.get(values.size() == 1 ? 0 : i);
    }
    return v;
  }
}
