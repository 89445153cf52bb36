package dev.sequent.runtime.io.torch;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.FileArchitecture;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.PickledModule;
import dev.sequent.runtime.io.torch.export.ExportedProgram;
import dev.sequent.runtime.io.torch.export.ExportedProgramArchitecture;
import java.util.Optional;
import java.util.Set;

/**
 * The architecture of a TorchScript archive ({@code torch.jit.trace} or {@code torch.jit.script},
 * saved by {@code torch.jit.save}). An {@code nn.Sequential} is rebuilt from its module tree, module
 * by module ({@link TorchModuleArchitecture}); any other module, or a Sequential whose modules are
 * not all layers Sequent knows, from its code: the root's {@code forward} with every submodule's
 * inlined into one graph of ATen calls ({@link TorchScriptGraph}), lowered as a {@code torch.export}
 * program is ({@link ExportedProgramArchitecture}). The archive records no input shape: the caller
 * gives it.
 *
 * @param tree the module tree (hyperparameters recovered for the core layers)
 * @param root the unpickled root module, whose state holds submodules and tensors
 * @param code the archive's {@code code/}
 */
record TorchScriptArchitecture(TorchModuleArchitecture tree, PickledModule root, TorchScriptCode code)
    implements FileArchitecture {

  @Override
  public ModelSpec modelSpec(String name, Optional<Shape> inputShape) {
    if (tree.root().simpleName().equals("Sequential")) {
      try {
        return tree.modelSpec(name, inputShape);
      } catch (UnsupportedArchitectureException e) {
        try {
          return graph(name, inputShape);
        } catch (UnsupportedArchitectureException ignored) {
          throw e; // the module-by-module reason is the plainer one for a Sequential
        }
      }
    }
    return graph(name, inputShape);
  }

  private ModelSpec graph(String name, Optional<Shape> inputShape) {
    ExportedProgram program = new TorchScriptGraph(code, tree.tensorNames()).program(root, inputShape);
    try {
      return new ExportedProgramArchitecture(program, tree.tensorNames()).modelSpec(name, inputShape);
    } catch (UnsupportedArchitectureException e) {
      // the export reader's refusal, said of the TorchScript module rather than of an exported program
      String prefix = RuntimeMessage.EXPORT_PROGRAM_REFUSED.format(program.torchVersion(), "");
      String parts = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
      throw new UnsupportedArchitectureException(RuntimeMessage.TORCHSCRIPT_REFUSED.format(
          TorchScriptModules.className(root.className), parts));
    }
  }

  @Override
  public FileArchitecture forTensors(Set<String> names) {
    return new TorchScriptArchitecture(tree.forTensors(names), root, code);
  }
}
