package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.kind.TracedCall;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import java.util.Map;

/**
 * An exported node as a layer kind reads a traced call ({@link TracedCall}): arguments by their
 * schema name, which an exported program always records (an argument left at its default is
 * absent, so the kind's fallback, the schema's default, applies). Positions are not used: they
 * differ between an op and its decomposition ({@code batch_norm}'s eps is its 8th argument,
 * {@code _native_batch_norm_legit_no_training}'s its 7th), the names do not.
 *
 * @param op the op as TorchScript names the module's call ({@code _convolution} for {@code
 *     convolution}), which the kinds recognise
 * @param args the arguments by schema name
 */
record AtenCall(String op, Map<String, Object> args) implements TracedCall {
  AtenCall(String op, AtenNode node) {
    this(op, node.args());
  }

  @Override
  public Object arg(int position, String name, Object fallback) {
    return args.containsKey(name) ? args.get(name) : fallback;
  }
}
