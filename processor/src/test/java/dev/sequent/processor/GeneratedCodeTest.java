package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What a correct model generates: its constants, its determinism, and one golden file. */
class GeneratedCodeTest {

  private static final JavaFileObject SIMPLE_NET = JavaFileObjects.forSourceLines("test.SimpleNet",
      "package test;",
      "import dev.sequent.dsl.Layer;",
      "import dev.sequent.dsl.Sequential;",
      "import dev.sequent.dsl.torch.Linear;",
      "import dev.sequent.dsl.torch.ReLU;",
      "@Sequential(input = {10})",
      "public interface SimpleNet {",
      "  @Linear(out = 20) Layer fc1();",
      "  @ReLU Layer act();",
      "  @Linear(out = 2) Layer fc2();",
      "}");

  private static final JavaFileObject LENET = JavaFileObjects.forSourceLines("test.LeNet5",
      "package test;",
      "import dev.sequent.dsl.Layer;",
      "import dev.sequent.dsl.Sequential;",
      "import dev.sequent.dsl.torch.*;",
      "@Sequential(input = {1, 28, 28})",
      "public interface LeNet5 {",
      "  @Conv2d(out = 6, kernel = 5, padding = 2) Layer c1();",
      "  @Tanh Layer a1();",
      "  @AvgPool2d(2) Layer s2();",
      "  @Conv2d(out = 16, kernel = 5) Layer c3();",
      "  @Tanh Layer a3();",
      "  @AvgPool2d(2) Layer s4();",
      "  @Conv2d(out = 120, kernel = 5) Layer c5();",
      "  @Tanh Layer a5();",
      "  @Flatten Layer flat();",
      "  @Linear(out = 84) Layer f6();",
      "  @Tanh Layer a6();",
      "  @Linear(out = 10) Layer logits();",
      "  @Softmax(dim = 1) Layer probs();",
      "}");

  private static String generated(Compilation c, String name) throws IOException {
    return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
  }

  @Test
  void correctModelCompilesCleanlyWithItsConstants() throws IOException {
    Compilation c = javac().withProcessors(new SequentProcessor()).compile(LENET);
    assertThat(c).succeededWithoutWarnings();
    String source = generated(c, "test.LeNet5Net");
    // LeNet-5 (28x28, padding 2): conv 6*(25+1)=156, conv 16*(150+1)=2416, conv 120*(400+1)=48120,
    // linear 84*(120+1)=10164, linear 10*(84+1)=850: 61706 in all.
    assertThat(source).contains("public static final long TOTAL_PARAMS = 61706L;")
        .contains("public static final Shape INPUT_SHAPE = Shape.of(1, 28, 28);")
        .contains("public static final Shape OUTPUT_SHAPE = Shape.of(10);")
        .contains("shapes.put(\"c5\", Shape.of(120, 1, 1));")
        .contains("@Generated(\"dev.sequent.processor.SequentProcessor\")");
  }

  @Test
  void outputIsDeterministic() throws IOException {
    String first = generated(javac().withProcessors(new SequentProcessor()).compile(LENET), "test.LeNet5Net");
    String second = generated(javac().withProcessors(new SequentProcessor()).compile(LENET), "test.LeNet5Net");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void simpleNetMatchesTheGoldenFile() throws IOException {
    Compilation c = javac().withProcessors(new SequentProcessor()).compile(SIMPLE_NET);
    assertThat(c).succeededWithoutWarnings();
    String golden;
    try (InputStream in = GeneratedCodeTest.class.getResourceAsStream("/golden/SimpleNetNet.java")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(generated(c, "test.SimpleNetNet")).isEqualTo(golden);
  }
}
