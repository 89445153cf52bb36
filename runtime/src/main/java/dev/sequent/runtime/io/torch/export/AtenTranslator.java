package dev.sequent.runtime.io.torch.export;

import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;

/**
 * Lowers the nodes of one ATen op family onto Sequent's network model: emits the layer the call
 * computes ({@link ExportLowering#emit}) and binds the node's outputs, or refuses the node with
 * {@link ExportLowering#refuse} saying why. {@link AtenOps} lists one per op name.
 */
@FunctionalInterface
interface AtenTranslator {
  void lower(AtenNode node, ExportLowering lowering);
}
