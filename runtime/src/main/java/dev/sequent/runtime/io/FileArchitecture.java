package dev.sequent.runtime.io;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Shape;
import java.util.Optional;
import java.util.Set;

/**
 * The architecture a weight file carries besides its tensors, in whatever form its format keeps
 * it (a Keras {@code model_config}, the module tree of a pickled PyTorch model), as far as
 * generic code needs it: the network model it describes.
 */
public interface FileArchitecture {
  /**
   * The model the file describes.
   *
   * @param name the name for a model whose file records none (a PyTorch module tree)
   * @param inputShape the sample input shape, for a file that does not record it; a file that
   *     records one uses its own
   * @throws dev.sequent.runtime.arch.UnsupportedArchitectureException naming the layer and class
   *     when the architecture uses something Sequent cannot build
   */
  ModelSpec modelSpec(String name, Optional<Shape> inputShape);

  /**
   * This architecture for the file's tensors under new names ({@link WeightFile#withoutPrefix}):
   * an architecture that reads its layers' options from which tensors the file has (a PyTorch
   * layer's {@code bias=False}) looks them up under these. Others are unchanged.
   */
  default FileArchitecture forTensors(Set<String> tensorNames) {
    return this;
  }

  /**
   * The modules behind {@link #modelSpec}'s flat node names, for summaries: a Keras file's
   * nested Sequential and Functional models. {@link ModuleTree#FLAT} when there are none.
   */
  default ModuleTree modules() {
    return ModuleTree.FLAT;
  }
}
