package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The torch vocabulary's forward-code layers that torch.export programs are read into ({@code
 * @Slice}, {@code @Select}, {@code @ScaledDotProductAttention}, {@code @TensorOperand}): a model
 * written with them compiles, and their shape mistakes are javac errors on the layer's line (one
 * line per array entry, so line N is element N-1).
 */
class ForwardCodeLayersTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void aHandWrittenAttentionBlockCompiles() {
    JavaFileObject src = source("Attn",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {5, 24})",
        "public interface Attn {",
        "  @Slice(dim = -1, start = 0, end = 8) Layer q();",
        "  @Slice(dim = -1, start = 8, end = 16) @From(\"input\") Layer k();",
        "  @Slice(dim = -1, start = 16) @From(\"input\") Layer v();",
        "  @ScaledDotProductAttention(from = {\"q\", \"k\", \"v\"}, isCausal = true) Layer attn();",
        "  @TensorOperand(op = \"*\", name = \"gain\", shape = {8}) Layer scaled();",
        "  @Select(dim = 1, index = -1) Layer last();",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
  }

  @Test
  void shapeMistakesAreErrorsOnTheLayer() {
    JavaFileObject src = source("Bad",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {5, 24})",
        "public interface Bad {",
        "  @Slice(dim = -1, start = 0, end = 8) Layer q();",
        "  @Slice(dim = -1, start = 8, end = 12) @From(\"input\") Layer k();",
        "  @ScaledDotProductAttention(from = {\"q\", \"k\", \"k\"}) Layer attn();",                       // 9
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("query and key must have the same last axis (E). Received: query [5,8], key "
        + "[5,4]").inFile(src).onLine(9);
  }
}
