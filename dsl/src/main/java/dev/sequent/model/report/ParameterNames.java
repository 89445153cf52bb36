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

/**
 * Every parameter of a model under PyTorch, Keras 2 and Keras 3 naming, in Keras weight order:
 * the model's own tensors ({@link #of(InferredModel)}), or the tensors of one framework's file
 * ({@link #of(InferredModel, Framework)}). The two lists are the same for layers whose tensors
 * pair 1:1 across frameworks; for the others (recurrent layers) a framework's list holds that
 * framework's tensors ({@link LayerKind#frameworkParams}), whose names only that framework's
 * naming gives.
 */
public final class ParameterNames {
  private ParameterNames() {}

  /** The parameters as Sequent stores them: each layer's in its declaring framework's form. */
  public static List<NamedParam> of(InferredModel model) {
    return of(model, null);
  }

  /**
   * The tensors a {@code framework} file holds for the model (names, shapes and order of that
   * framework's form of each layer); {@link NamedParam#storedIn} is still the declaring framework.
   */
  public static List<NamedParam> of(InferredModel model, Framework framework) {
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
      List<ParamSpec> params = framework == null ? layer.params() : params(layer, framework);
      for (int i = 0; i < params.size(); i++) {
        ParamSpec p = params.get(i);
        out.add(new NamedParam(layer.name(), p, torchPrefix + "." + p.torchName(),
            layer.name() + "/" + p.kerasName() + ":0", "layers/" + kerasAuto + "/" + kind.keras3VarPath(spec, i),
            spec.framework()));
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

  /** The layer's tensors in {@code framework}'s form ({@link LayerKind#frameworkParams}). */
  public static List<ParamSpec> params(InferredModel.Layer layer, Framework framework) {
    if (framework == layer.spec().framework()) {
      return layer.params();
    }
    return LayerKinds.of(layer.spec()).frameworkParams(layer.spec(), layer.inputShapes(), framework);
  }

  /** How many values the layer's tensors in {@code framework}'s form hold; only trainable ones if asked. */
  public static long count(InferredModel.Layer layer, Framework framework, boolean trainableOnly) {
    return params(layer, framework).stream().filter(p -> !trainableOnly || p.trainable())
        .mapToLong(ParamSpec::count).sum();
  }

  /**
   * The bytes Keras' summary gives the model's weights ({@code weight_memory_size}: each variable's
   * size times its dtype's): float32, but 8 for an int64 variable ({@link LayerKind#kerasIntegerVariable},
   * Normalization's {@code count}). Trainable or non-trainable ones only, as asked.
   */
  public static long kerasBytes(InferredModel model, boolean trainable) {
    long bytes = 0;
    for (InferredModel.Layer l : model.nodes()) {
      LayerKind<LayerSpec> kind = LayerKinds.of(l.spec());
      for (ParamSpec p : params(l, Framework.KERAS)) {
        if (p.trainable() == trainable) {
          bytes += p.count() * (kind.kerasIntegerVariable(l.spec(), p) ? 8 : 4);
        }
      }
    }
    return bytes;
  }

  /** {@link #count(InferredModel.Layer, Framework, boolean)} over the whole model. */
  public static long count(InferredModel model, Framework framework, boolean trainableOnly) {
    return model.nodes().stream().mapToLong(l -> count(l, framework, trainableOnly)).sum();
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
