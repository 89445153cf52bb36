package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A {@code @Module} with several inputs ({@code @Input} methods) and several outputs
 * ({@code @Module(outputs = ...)}): it compiles into a model with both inputs' shapes and both
 * outputs, and a wiring or shape mistake in it is a javac error on the layer's line.
 */
class GraphModuleTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  @Test
  void twoInputsTwoOutputsCompile() throws IOException {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.TwoTowers",
        "package test;",
        "import dev.sequent.dsl.*; import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(outputs = {\"scores\", \"extra\"})",
        "public interface TwoTowers {",
        "  @Input({6}) Layer left();",
        "  @Input({4}) Layer right();",
        "  @Dense(units = 5) @From(\"left\") Layer fromLeft();",
        "  @Dense(units = 5) @From(\"right\") Layer fromRight();",
        "  @Add(from = {\"fromLeft\", \"fromRight\"}) Layer join();",
        "  @Dense(units = 3) Layer scores();",
        "  @Dense(units = 2) @From(\"join\") Layer extra();",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    String source = c.generatedSourceFile("test.TwoTowersNet").orElseThrow().getCharContent(true).toString();
    org.assertj.core.api.Assertions.assertThat(source)
        .contains("ModelSpec.graph(\"TwoTowers\"")
        .contains("new ModelSpec.Input(\"left\", Shape.of(6)), new ModelSpec.Input(\"right\", Shape.of(4))")
        .contains("List.of(\"scores\", \"extra\")")
        .contains("shapes.put(\"fromRight\", Shape.of(5));");
  }

  @Test
  void aLayerReadingTheWrongInputIsAnErrorOnItsLine() {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.Miswired",
        "package test;",
        "import dev.sequent.dsl.*; import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(outputs = {\"join\", \"extra\"})",
        "public interface Miswired {",
        "  @Input({6}) Layer left();",
        "  @Input({4}) Layer right();",
        "  @Dense(units = 5) @From(\"left\") Layer fromLeft();",
        "  @Add(from = {\"fromLeft\", \"right\"}) Layer join();",
        "  @Dense(units = 2) @From(\"right\") Layer extra();",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    // fromLeft is [5], the second input [4]: the Add's line, with both inputs' shapes
    assertThat(c).hadErrorContaining("join (Add)").inFile(src).onLine(9);
    assertThat(c).hadErrorContaining("inputs: fromLeft [5], right [4]").inFile(src).onLine(9);
    JavaFileObject typo = JavaFileObjects.forSourceLines("test.Typo",
        "package test;",
        "import dev.sequent.dsl.*; import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(outputs = {\"fromLeft\", \"extra\"})",
        "public interface Typo {",
        "  @Input({6}) Layer left();",
        "  @Input({4}) Layer right();",
        "  @Dense(units = 5) @From(\"left\") Layer fromLeft();",
        "  @Dense(units = 2) @From(\"rigth\") Layer extra();",
        "}");
    c = compile(typo);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("no layer named \"rigth\"; did you mean \"right\"?").inFile(typo)
        .onLine(9);
  }

  @Test
  void anInputInASequentialAndTwoWaysOfDeclaringInputsAreErrors() {
    JavaFileObject seq = JavaFileObjects.forSourceLines("test.SeqInput",
        "package test;",
        "import dev.sequent.dsl.*; import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6})",
        "public interface SeqInput {",
        "  @Input({4}) Layer extra();",
        "  @Dense(units = 2) Layer head();",
        "}");
    Compilation c = compile(seq);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a @Sequential model has one input").inFile(seq).onLine(6);
    JavaFileObject both = JavaFileObjects.forSourceLines("test.BothInputs",
        "package test;",
        "import dev.sequent.dsl.*; import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {6})",
        "public interface BothInputs {",
        "  @Input({4}) Layer extra();",
        "  @Dense(units = 2) Layer head();",
        "}");
    c = compile(both);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("declared in @Module(input = ...) already").inFile(both).onLine(6);
  }
}
