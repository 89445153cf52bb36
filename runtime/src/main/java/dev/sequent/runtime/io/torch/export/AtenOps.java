package dev.sequent.runtime.io.torch.export;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every ATen op (and graph-level call) Sequent lowers from an exported program, by the name the
 * program gives it without {@code torch.ops.} ({@code aten.conv2d.default}, {@code
 * aten.add.Tensor}, {@code _operator.mul}), each to its family's translator. An op not listed here
 * is refused by name.
 */
final class AtenOps {
  private static final Map<String, AtenTranslator> OPS = build();

  private AtenOps() {}

  private static Map<String, AtenTranslator> build() {
    Map<String, AtenTranslator> ops = new HashMap<>();
    ModuleCalls.register(ops);
    MatmulCalls.register(ops);
    MergeCalls.register(ops);
    ShapeCalls.register(ops);
    SliceCalls.register(ops);
    AttentionCalls.register(ops);
    RecurrentCalls.register(ops);
    GraphCalls.register(ops);
    NativeAttentionCalls.register(ops);
    return Map.copyOf(ops);
  }

  static Optional<AtenTranslator> translator(String op) {
    return Optional.ofNullable(OPS.get(op));
  }

  /** Every op name listed, sorted (for the documentation and its test). */
  static List<String> names() {
    return List.copyOf(new TreeSet<>(OPS.keySet()));
  }
}
