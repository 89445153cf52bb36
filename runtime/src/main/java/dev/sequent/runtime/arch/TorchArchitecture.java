package dev.sequent.runtime.arch;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.io.TorchModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Builds the network model of an {@code nn.Sequential} from its module tree: a whole pickled model
 * (zip or legacy) or a TorchScript archive, each module read by the kind that lists its class
 * ({@link LayerKind#fromTorch}). The file records every layer's hyperparameters (a
 * traced TorchScript module: those Sequent recovers) but not the input's spatial size, so a model
 * that starts with a convolution needs the input shape from the caller (the CLI takes it from the
 * input {@code .npy}).
 */
public final class TorchArchitecture {
  private TorchArchitecture() {}

  /**
   * @param root the unpickled module
   * @param inputShape the sample input shape, or empty to derive it from a first Linear/BatchNorm1d
   * @param hasTensor whether the state_dict has a tensor of this name (tells bias=False apart)
   */
  public static ModelSpec toModelSpec(String name, TorchModule root, Optional<Shape> inputShape,
      Predicate<String> hasTensor) {
    if (!root.simpleName().equals("Sequential")) {
      throw new UnsupportedArchitectureException("the model in the file is a " + root.className()
          + ", not an nn.Sequential; Sequent builds architectures from nn.Sequential models only. "
          + "Declare the model in Java and load its state_dict instead");
    }
    try {
      List<ModelSpec.Named> layers = new ArrayList<>();
      for (Map.Entry<String, TorchModule> child : root.children().entrySet()) {
        layers.add(new ModelSpec.Named(child.getKey(), layer(child.getKey(), child.getValue(), hasTensor)));
      }
      Shape input = inputShape.orElseGet(() -> deriveInput(root, hasTensor));
      return ModelSpec.sequential(name, Framework.TORCH, input, layers);
    } catch (UnsupportedLayerException e) {
      throw new UnsupportedArchitectureException(e.getMessage());
    }
  }

  private static Shape deriveInput(TorchModule root, Predicate<String> hasTensor) {
    Map.Entry<String, TorchModule> first = root.children().entrySet().stream().findFirst()
        .orElseThrow(() -> new UnsupportedArchitectureException("the nn.Sequential in the file is empty"));
    TorchModuleInput module = input(first.getKey(), first.getValue(), hasTensor);
    return LayerKinds.forTorchModule(module.className()).flatMap(kind -> kind.statedInputShape(module))
        .orElseThrow(() -> new UnsupportedArchitectureException("the model starts with " + module.simpleName()
            + ", whose input size a pickle does not record; give the input shape (e.g. --input-shape 1,28,28)"));
  }

  private static TorchModuleInput input(String name, TorchModule m, Predicate<String> hasTensor) {
    return new TorchModuleInput(name, m.className(), m.attributes(), hasTensor);
  }

  /** The record of one module, by the kind that reads its class. */
  static LayerSpec layer(String name, TorchModule m, Predicate<String> hasTensor) {
    TorchModuleInput module = input(name, m, hasTensor);
    LayerKind<?> kind = LayerKinds.forTorchModule(m.className())
        .orElseThrow(() -> module.unsupported("this layer type is not supported"));
    try {
      return kind.fromTorch(module);
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException("layer " + name + " (" + m.className() + "): " + e.getMessage());
    }
  }
}
