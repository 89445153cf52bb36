package dev.sequent.runtime.weights;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import dev.sequent.runtime.exec.FloatArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fresh parameters as each framework initialises them: Keras glorot-uniform kernels and zero
 * biases; PyTorch {@code kaiming_uniform_(a=sqrt(5))} weights and {@code U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in))} biases; BatchNorm gamma 1, beta 0, mean 0, variance 1; custom tensors
 * {@code U(-0.05, 0.05)} (Keras' RandomUniform default).
 */
public final class Initializers {
  private Initializers() {}

  public static Map<String, List<INDArray>> initialise(InferredModel model, Random random) {
    Map<String, List<INDArray>> params = new LinkedHashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      List<INDArray> values = new ArrayList<>();
      int fanIn = fanIn(layer);
      int fanOut = fanOut(layer);
      for (ParamSpec p : layer.params()) {
        Framework f = layer.spec().framework();
        Shape shape = p.shape(f);
        float[] data = new float[(int) shape.size()];
        if (layer.spec() instanceof BatchNorm) {
          boolean ones = p.kerasName().equals("gamma") || p.kerasName().equals("moving_variance");
          java.util.Arrays.fill(data, ones ? 1f : 0f);
        } else if (layer.spec() instanceof Dense || layer.spec() instanceof Conv2D) {
          boolean kernel = p.kerasName().equals("kernel");
          double bound;
          if (f == Framework.KERAS) {
            bound = kernel ? Math.sqrt(6.0 / (fanIn + fanOut)) : 0;
          } else {
            bound = 1 / Math.sqrt(fanIn);
          }
          fill(data, bound, random);
        } else {
          fill(data, 0.05, random);
        }
        values.add(FloatArrays.of(data, shape.dims().stream().mapToLong(Integer::longValue).toArray()));
      }
      params.put(layer.name(), List.copyOf(values));
    }
    return params;
  }

  private static void fill(float[] data, double bound, Random random) {
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
  }

  private static int fanIn(InferredModel.Layer layer) {
    if (layer.spec() instanceof Dense) {
      return layer.inputShapes().get(0).last();
    }
    if (layer.spec() instanceof Conv2D c) {
      Shape in = layer.inputShapes().get(0);
      return in.dim(c.dataFormat().channelAxis()) * c.kernelH() * c.kernelW();
    }
    return 1;
  }

  private static int fanOut(InferredModel.Layer layer) {
    if (layer.spec() instanceof Dense d) {
      return d.units();
    }
    if (layer.spec() instanceof Conv2D c) {
      return c.filters() * c.kernelH() * c.kernelW();
    }
    return 1;
  }
}
