package dev.sequent.runtime.io.torch;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.FileArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The architecture of a PyTorch file that holds a whole model: the module tree of a pickled model
 * (zip or legacy) or a TorchScript archive, and the names of the file's tensors. Sequent builds
 * the model of an {@code nn.Sequential}, each module read by the kind that lists its class
 * ({@link LayerKind#fromTorch}). The file records every layer's hyperparameters (a traced
 * TorchScript module: those Sequent recovers) but not the input's spatial size, so a model that
 * starts with a convolution needs the input shape from the caller (the CLI takes it from the
 * input {@code .npy}).
 *
 * @param root the unpickled module
 * @param tensorNames the state_dict names of the file's tensors (tell {@code bias=False} apart)
 */
public record TorchModuleArchitecture(TorchModule root, Set<String> tensorNames) implements FileArchitecture {
  public TorchModuleArchitecture {
    tensorNames = Set.copyOf(tensorNames);
  }

  /**
   * @param inputShape the sample input shape, or empty to derive it from a first Linear/BatchNorm1d
   */
  @Override
  public ModelSpec modelSpec(String name, Optional<Shape> inputShape) {
    if (!root.simpleName().equals("Sequential")) {
      throw new UnsupportedArchitectureException(RuntimeMessage.TORCH_MODEL_NOT_SEQUENTIAL.format(root.className()));
    }
    try {
      List<ModelSpec.Named> layers = new ArrayList<>();
      for (Map.Entry<String, TorchModule> child : root.children().entrySet()) {
        layers.add(new ModelSpec.Named(child.getKey(), layer(child.getKey(), child.getValue())));
      }
      Shape input = inputShape.orElseGet(this::deriveInput);
      return ModelSpec.sequential(name, Framework.TORCH, input, layers);
    } catch (UnsupportedLayerException e) {
      throw new UnsupportedArchitectureException(e.getMessage());
    }
  }

  @Override
  public TorchModuleArchitecture forTensors(Set<String> names) {
    return new TorchModuleArchitecture(root, names);
  }

  private Shape deriveInput() {
    Map.Entry<String, TorchModule> first = root.children().entrySet().stream().findFirst()
        .orElseThrow(() -> new UnsupportedArchitectureException(RuntimeMessage.TORCH_SEQUENTIAL_EMPTY.format()));
    TorchModuleInput module = input(first.getKey(), first.getValue());
    return LayerKinds.forTorchModule(module.className()).flatMap(kind -> kind.statedInputShape(module))
        .orElseThrow(() -> new UnsupportedArchitectureException(
            RuntimeMessage.TORCH_INPUT_SIZE_NOT_RECORDED.format(module.simpleName())));
  }

  private TorchModuleInput input(String name, TorchModule m) {
    return new TorchModuleInput(name, m.className(), m.attributes(), tensorNames::contains);
  }

  /** The record of one module, by the kind that reads its class. */
  private LayerSpec layer(String name, TorchModule m) {
    TorchModuleInput module = input(name, m);
    LayerKind<?> kind = LayerKinds.forTorchModule(m.className()).orElseThrow(() ->
        new UnsupportedArchitectureException(RuntimeMessage.LAYER_TYPE_NOT_SUPPORTED.format(name, m.className())));
    try {
      return kind.fromTorch(module);
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException(RuntimeMessage.LAYER_DOES_NOT_CHECK.format(name, m.className(),
          e.getMessage()));
    }
  }
}
