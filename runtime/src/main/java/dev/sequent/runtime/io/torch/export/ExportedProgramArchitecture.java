package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.runtime.io.FileArchitecture;
import java.util.Optional;
import java.util.Set;

/**
 * The architecture of a {@code torch.export} archive: its program, lowered onto Sequent's network
 * model by {@link ExportLowering}. The program records its input shapes, so no input shape is
 * needed, except for a sample dimension the program left dynamic.
 *
 * @param program the program as read
 * @param tensorNames the state_dict names of the tensors the archive holds
 */
public record ExportedProgramArchitecture(ExportedProgram program, Set<String> tensorNames)
    implements FileArchitecture {
  public ExportedProgramArchitecture {
    tensorNames = Set.copyOf(tensorNames);
  }

  @Override
  public ModelSpec modelSpec(String name, Optional<Shape> inputShape) {
    return new ExportLowering(program, tensorNames).build(name, inputShape);
  }

  /** Every ATen op the lowering translates (its table, for the TorchScript reader's test that it maps onto these only). */
  public static java.util.List<String> loweredOps() {
    return AtenOps.names();
  }

  /** The program under renamed tensors ({@code WeightFile.withoutPrefix}): its state_dict names are renamed alike. */
  @Override
  public FileArchitecture forTensors(Set<String> names) {
    return new ExportedProgramArchitecture(program, names);
  }
}
