package dev.sequent.runtime.weights;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.runtime.exec.FloatArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fresh parameters, each as its layer's framework initialises it: every value comes from the
 * layer's kind ({@link LayerKind#initialValue}: Keras glorot-uniform kernels and zero biases,
 * PyTorch {@code kaiming_uniform_(a=sqrt(5))} weights and {@code U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in))} biases, normalisation scales 1 and shifts 0, ...). A kind without an
 * initialiser for one of its parameters is an error, never a silent default.
 */
public final class Initializers {
  private Initializers() {}

  public static Map<String, List<INDArray>> initialise(InferredModel model, Random random) {
    Map<String, List<INDArray>> params = new LinkedHashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      LayerSpec spec = layer.spec();
      LayerKind<LayerSpec> kind = LayerKinds.of(spec);
      List<INDArray> values = new ArrayList<>();
      for (ParamSpec p : layer.params()) {
        Shape shape = p.shape(spec.framework());
        float[] data = kind.initialValue(spec, layer, p, spec.framework(), random);
        values.add(FloatArrays.of(data, shape.dims().stream().mapToLong(Integer::longValue).toArray()));
      }
      params.put(layer.name(), List.copyOf(values));
    }
    return params;
  }
}
