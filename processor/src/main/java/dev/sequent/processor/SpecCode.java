package dev.sequent.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.sequent.model.Activation;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Node;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ShapeRule;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Java source that rebuilds a network model: {@code new Conv2D(Framework.TORCH, 6, 5, 5, ...)}.
 * Layer records are written generically from their record components, so a new layer family
 * needs no generator code; the few value types get their most readable spelling.
 */
final class SpecCode {
  private SpecCode() {}

  static CodeBlock model(ModelSpec spec) {
    CodeBlock.Builder b = CodeBlock.builder();
    ClassName modelSpec = ClassName.get(ModelSpec.class);
    if (spec.style() == ModelSpec.Style.SEQUENTIAL) {
      b.add("$T.sequential($S, $L, $L, $T.of(\n", modelSpec, spec.name(), value(spec.framework()),
          value(spec.inputShape()), List.class);
      b.indent();
      for (int i = 0; i < spec.nodes().size(); i++) {
        Node n = spec.nodes().get(i);
        b.add("new $T.Named($S, $L)$L\n", modelSpec, n.name(), layer(n.layer()), i + 1 < spec.nodes().size() ? "," : "");
      }
      b.unindent();
      b.add("))");
    } else if (spec.isMultiIO()) {
      // several inputs or outputs: ModelSpec.graph(name, MODULE, framework, inputs, nodes, outputs)
      b.add("$T.graph($S, $T.Style.MODULE, $L, $T.of(", modelSpec, spec.name(), modelSpec, value(spec.framework()),
          List.class);
      for (int i = 0; i < spec.inputs().size(); i++) {
        ModelSpec.Input in = spec.inputs().get(i);
        b.add("$Lnew $T.Input($S, $L)", i == 0 ? "" : ", ", modelSpec, in.name(), value(in.shape()));
      }
      b.add("), $T.of(\n", List.class);
      b.indent();
      for (int i = 0; i < spec.nodes().size(); i++) {
        Node n = spec.nodes().get(i);
        b.add("new $T($S, $L, $L)$L\n", Node.class, n.name(), layer(n.layer()), value(n.inputs()),
            i + 1 < spec.nodes().size() ? "," : "");
      }
      b.unindent();
      b.add("), $L)", value(spec.outputs()));
    } else {
      b.add("new $T($S, $T.Style.MODULE, $L, $L, $T.of(\n", modelSpec, spec.name(), modelSpec,
          value(spec.framework()), value(spec.inputShape()), List.class);
      b.indent();
      for (int i = 0; i < spec.nodes().size(); i++) {
        Node n = spec.nodes().get(i);
        b.add("new $T($S, $L, $L)$L\n", Node.class, n.name(), layer(n.layer()), value(n.inputs()),
            i + 1 < spec.nodes().size() ? "," : "");
      }
      b.unindent();
      b.add("), $S)", spec.output());
    }
    return b.build();
  }

  /** {@code new ModuleTree(List.of(new ModuleTree.Container("layer1", "Sequential", "layer1.1.relu2"), ...), ...)}. */
  static CodeBlock tree(ModuleTree tree) {
    CodeBlock.Builder b = CodeBlock.builder().add("new $T($T.of(\n", ModuleTree.class, List.class);
    b.indent();
    for (int i = 0; i < tree.modules().size(); i++) {
      ModuleTree.Container c = tree.modules().get(i);
      b.add("new $T.Container($S, $S, $S)$L\n", ModuleTree.class, c.path(), c.className(), c.output(),
          i + 1 < tree.modules().size() ? "," : "");
    }
    b.unindent();
    return b.add("), $L)", value(tree.functional())).build();
  }

  static CodeBlock layer(LayerSpec layer) {
    return record((Record) layer);
  }

  private static CodeBlock record(Record r) {
    CodeBlock.Builder b = CodeBlock.builder().add("new $T(", r.getClass());
    RecordComponent[] components = r.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      try {
        Object v = components[i].getAccessor().invoke(r);
        b.add("$L$L", i == 0 ? "" : ", ", value(v));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + components[i] + " of " + r, e);
      }
    }
    return b.add(")").build();
  }

  static CodeBlock value(Object v) {
    if (v == null) {
      return CodeBlock.of("null");
    } else if (v instanceof String s) {
      return CodeBlock.of("$S", s);
    } else if (v instanceof Enum<?> e) {
      return CodeBlock.of("$T.$L", e.getDeclaringClass(), e.name());
    } else if (v instanceof Double d) {
      if (d.isInfinite()) {
        return CodeBlock.of("$T.$L", Double.class, d > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY");
      }
      return CodeBlock.of("$L", Double.toString(d));
    } else if (v instanceof Integer || v instanceof Boolean) {
      return CodeBlock.of("$L", v);
    } else if (v instanceof Shape s) {
      return CodeBlock.of("$T.of($L)", Shape.class, String.join(", ", s.dims().stream().map(String::valueOf).toList()));
    } else if (v instanceof Padding p) {
      if (p.equals(Padding.VALID) || p.equals(Padding.SAME)) {
        return CodeBlock.of("$T.$L", Padding.class, p.mode().name());
      }
      return CodeBlock.of("$T.explicit($L, $L)", Padding.class, p.height(), p.width());
    } else if (v instanceof Activation a) {
      return activation(a);
    } else if (v instanceof ShapeRule rule) {
      return CodeBlock.of("$T.parse($S)", ShapeRule.class, rule.text());
    } else if (v instanceof List<?> list) {
      CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", List.class);
      for (int i = 0; i < list.size(); i++) {
        b.add("$L$L", i == 0 ? "" : ", ", value(list.get(i)));
      }
      return b.add(")").build();
    } else if (v instanceof java.util.Optional<?> o) {
      // a record's optional component (scaled_dot_product_attention's scale)
      return o.isEmpty() ? CodeBlock.of("$T.empty()", java.util.Optional.class)
          : CodeBlock.of("$T.of($L)", java.util.Optional.class, value(o.get()));
    } else if (v instanceof Record r) {
      return record(r);
    }
    throw new IllegalArgumentException("no source form for " + v.getClass().getName() + ": " + v);
  }

  private static CodeBlock activation(Activation a) {
    if (a.equals(Activation.LINEAR)) {
      return CodeBlock.of("$T.LINEAR", Activation.class);
    }
    if (a.equals(Activation.of(a.kind()))) {
      return CodeBlock.of("$T.of($T.Kind.$L)", Activation.class, Activation.class, a.kind().name());
    }
    if (a.equals(Activation.softmax(a.axis()))) {
      return CodeBlock.of("$T.softmax($L)", Activation.class, a.axis());
    }
    return record(a);
  }
}
