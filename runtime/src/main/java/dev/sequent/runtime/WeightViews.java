package dev.sequent.runtime;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.keras.KerasWeightsWriter;
import dev.sequent.runtime.weights.WeightMapping;
import dev.sequent.runtime.weights.WeightSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter set of a network as the equivalent PyTorch or Keras model would hold it: PyTorch
 * or Keras names, order and layouts, converted by {@link WeightMapping#export} (kernel layouts,
 * the row order of a dense layer after a flatten, BatchNorm eps folded into the variance for the
 * target's default eps). The views behind {@link Network#stateDict()}, {@link
 * Network#getWeights()} and the files {@link WeightSaving} writes, and the reverse: the {@link
 * WeightSource}s that {@link Network#loadStateDict} and {@link Network#setWeights} load.
 *
 * <p>A view is made from one plan's parameters, so everything it returns comes from one weight
 * set even while another thread loads new weights.
 */
final class WeightViews {
  private final InferredModel model;
  private final Map<String, List<INDArray>> params;

  /** @param params every layer's parameters in its own layout, by layer name (a plan's params) */
  WeightViews(InferredModel model, Map<String, List<INDArray>> params) {
    this.model = model;
    this.params = params;
  }

  /** See {@link Network#stateDict()}. */
  Map<String, INDArray> stateDict() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    forEachParam(Framework.TORCH, (np, value) -> out.put(np.torchName(), value));
    return out;
  }

  /** See {@link Network#namedParameters()}. */
  Map<String, INDArray> namedParameters() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    forEachParam(Framework.TORCH, (np, value) -> {
      if (np.spec().trainable()) {
        out.put(np.torchName(), value);
      }
    });
    return out;
  }

  /** See {@link Network#getWeights()}. */
  List<INDArray> getWeights() {
    List<INDArray> out = new ArrayList<>();
    forEachParam(Framework.KERAS, (np, value) -> out.add(value));
    return out;
  }

  /**
   * The tensors of a PyTorch state_dict file: {@link #stateDict()}'s, with each layer's extra
   * buffers ({@link dev.sequent.model.kind.LayerKind#torchExtraBuffers}: BatchNorm's
   * {@code num_batches_tracked} counter, 0) after its last parameter, as PyTorch's own files have.
   */
  Map<String, NamedTensor> torchFileTensors() {
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    forEachParam(Framework.TORCH, (np, value) -> {
      tensors.put(np.torchName(), new NamedTensor(np.torchName(), value.shape(), FloatArrays.copyOf(value)));
      InferredModel.Layer layer = model.layer(np.layer());
      List<ParamSpec> own = ParameterNames.params(layer, Framework.TORCH);
      if (own.get(own.size() - 1).torchName().equals(np.spec().torchName())) {
        String prefix = np.torchName().substring(0, np.torchName().length() - np.spec().torchName().length());
        for (String buffer : LayerKinds.of(layer.spec()).torchExtraBuffers(layer.spec())) {
          tensors.put(prefix + buffer, new NamedTensor(prefix + buffer, new long[0], new float[] {0f}));
        }
      }
    });
    return tensors;
  }

  /** Every layer's weights as {@link #getWeights()} gives them, with their Keras names. */
  List<KerasWeightsWriter.LayerWeights> kerasFileLayers() {
    Map<String, List<KerasWeightsWriter.Weight>> byLayer = new LinkedHashMap<>();
    forEachParam(Framework.KERAS, (np, keras) -> {
      byLayer.computeIfAbsent(np.layer(), k -> new ArrayList<>()).add(new KerasWeightsWriter.Weight(
          np.keras2Name(), np.keras3Name(), keras.shape(), FloatArrays.copyOf(keras)));
    });
    List<KerasWeightsWriter.LayerWeights> layers = new ArrayList<>();
    byLayer.forEach((layer, weights) -> layers.add(new KerasWeightsWriter.LayerWeights(layer, weights)));
    return layers;
  }

  /** What {@link Network#loadStateDict} loads: the tensors under their PyTorch names. */
  static WeightSource stateDictSource(Map<String, INDArray> stateDict) {
    List<WeightSource.Tensor> tensors = new ArrayList<>();
    stateDict.forEach((k, v) -> tensors.add(new WeightSource.Tensor(k, v)));
    return new WeightSource("state_dict", Framework.TORCH, tensors, List.of(), List.of());
  }

  /**
   * What {@link Network#setWeights} loads: the list under the Keras 2 names of {@code model}'s
   * parameters in Keras order ({@code weights[i]} past the last one, for the mismatch report).
   */
  static WeightSource setWeightsSource(InferredModel model, List<INDArray> weights) {
    List<NamedParam> names = ParameterNames.of(model, Framework.KERAS);
    List<WeightSource.Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      tensors.add(new WeightSource.Tensor(i < names.size() ? names.get(i).keras2Name() : "weights[" + i + "]",
          weights.get(i)));
    }
    return new WeightSource("set_weights", Framework.KERAS, tensors, List.of(), List.of());
  }

  private interface ParamVisitor {
    void visit(NamedParam param, INDArray value);
  }

  /**
   * Visits every tensor of a {@code target} file in {@link ParameterNames#of(InferredModel, Framework)}
   * order (Keras weight order) with its value in that framework's form: each layer's stored tensors
   * converted together ({@link WeightMapping#exportLayer}), since a layer's tensors need not pair 1:1.
   */
  private void forEachParam(Framework target, ParamVisitor visitor) {
    Map<String, List<INDArray>> converted = new HashMap<>();
    Map<String, Integer> index = new HashMap<>();
    for (NamedParam np : ParameterNames.of(model, target)) {
      List<INDArray> values = converted.computeIfAbsent(np.layer(),
          layer -> WeightMapping.exportLayer(model, layer, params.get(layer), target));
      int i = index.merge(np.layer(), 1, Integer::sum) - 1;
      visitor.visit(np, values.get(i));
    }
  }
}
