package dev.sequent.model.report;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every parameter of a model under PyTorch, Keras 2 and Keras 3 naming, in Keras weight order. */
public final class ParameterNames {
  private ParameterNames() {}

  public static List<NamedParam> of(InferredModel model) {
    List<NamedParam> out = new ArrayList<>();
    boolean sequential = model.spec().style() == ModelSpec.Style.SEQUENTIAL;
    int moduleIndex = 0;
    Map<String, Integer> kerasClassCount = new HashMap<>();
    for (InferredModel.Layer layer : model.nodes()) {
      if (layer.node().sharesWeights()) {
        continue; // a second call of a layer: its weights are its owner's, named once
      }
      LayerSpec spec = layer.spec();
      LayerKind<LayerSpec> kind = LayerKinds.of(spec);
      String kerasAuto = kerasAutoName(kind.kerasClass(spec), kerasClassCount);
      String torchPrefix = sequential ? String.valueOf(moduleIndex) : layer.name();
      List<ParamSpec> params = layer.params();
      for (int i = 0; i < params.size(); i++) {
        ParamSpec p = params.get(i);
        out.add(new NamedParam(layer.name(), p, torchPrefix + "." + p.torchName(),
            layer.name() + "/" + p.kerasName() + ":0", "layers/" + kerasAuto + "/vars/" + i, spec.framework()));
      }
      if (kind.isTorchModule()) {
        moduleIndex++; // merges are code in a forward(), not modules
      }
      if (spec.framework() == Framework.KERAS && !kind.fusedActivation(spec).isLinear()) {
        moduleIndex++; // a fused Keras activation is its own module in the equivalent nn.Sequential
      }
    }
    return out;
  }

  /**
   * Keras 3 saves the layers of a model under names made from their class, not their layer name:
   * {@code dense}, {@code dense_1}, ... (keras/src/saving/saving_lib.py, _save_container_state).
   */
  private static String kerasAutoName(String kerasClass, Map<String, Integer> counts) {
    String base = snakeCase(kerasClass);
    int n = counts.merge(base, 1, Integer::sum) - 1;
    return n == 0 ? base : base + "_" + n;
  }

  /** keras.src.utils.naming.to_snake_case. */
  static String snakeCase(String name) {
    String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return s;
  }
}
