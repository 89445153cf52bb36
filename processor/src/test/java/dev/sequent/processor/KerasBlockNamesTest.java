package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Names of layers inside blocks: {@code _}-joined in the Keras vocabulary, as keras.applications
 * builds them ({@code conv2_block1_1_conv}), dotted module paths in PyTorch's; {@code @Stage(names)}
 * patterns; {@code @If} alternatives under one name; and the mistakes a pattern can hold, as javac
 * errors with message, file and line.
 */
class KerasBlockNamesTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  private static String generated(Compilation c, String file) {
    return c.generatedFiles().stream()
        .filter(f -> f.getName().endsWith(file) && f.getKind() == JavaFileObject.Kind.SOURCE)
        .findFirst().map(f -> {
          try {
            return f.getCharContent(true).toString();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).orElseThrow();
  }

  /** residual_block_v1 cut down: suffixes that are no Java names, given once by @Name. */
  private static JavaFileObject kerasBlock() {
    return source("Bottleneck",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int filters\", \"boolean conv_shortcut = true\"})",
        "public interface Bottleneck {",
        "  @If(\"conv_shortcut\") @Conv2D(kernelSize = 1) @Bind(\"filters = filters\") @Name(\"0_conv\") Layer shortcut();",
        "  @Conv2D(kernelSize = 1) @Bind(\"filters = filters\") @From(\"input\") @Name(\"1_conv\") Layer conv1();",
        "  @Activation(\"relu\") @Name(\"1_relu\") Layer relu1();",
        "  @Add(from = {\"0_conv\", \"1_relu\"}) Layer add();",
        "  @Activation(\"relu\") Layer out();",
        "}");
  }

  @Test
  void kerasBlocksAreNamedWithUnderscoresFromTheStagePattern() {
    JavaFileObject model = source("Stacked",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {8, 8, 4})",
        "public interface Stacked {",
        "  @Conv2D(filters = 4, kernelSize = 1) Layer conv1_conv();",
        "  @Stage(block = Bottleneck.class, count = 2, args = \"filters = 4, conv_shortcut = false\",",
        "      first = \"conv_shortcut = true\", names = \"block{i + 1}\") Layer conv2();",
        "  @Use(value = Bottleneck.class, args = \"filters = 4\") Layer extra();",
        "  @GlobalAveragePooling2D Layer avg_pool();",
        "}");
    Compilation c = compile(model, kerasBlock());
    assertThat(c).succeeded();
    org.assertj.core.api.Assertions.assertThat(generated(c, "StackedNet.java"))
        .contains("new Node(\"conv2_block1_0_conv\"", "new Node(\"conv2_block1_1_conv\"",
            "new Node(\"conv2_block1_1_relu\"", "new Node(\"conv2_block2_add\"", "new Node(\"extra_out\"")
        // block 2 has no shortcut: its add reads the block's input, block 1's output
        .contains("List.of(\"conv2_block1_out\", \"conv2_block2_1_relu\")")
        .doesNotContain("\"conv2_block2_0_conv\"")
        .doesNotContain("conv2.")
        // Keras' blocks only prefix names; Keras' summary of such a model is flat
        .doesNotContain("ModuleTree.Container");
  }

  @Test
  void torchStagesKeepDottedNumberedNamesAndTakeAPattern() {
    JavaFileObject block = source("Unit",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\"})",
        "public interface Unit {",
        "  @Conv2d(kernel = 1) @Bind(\"out = planes\") Layer conv();",
        "}");
    JavaFileObject model = source("Units",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {4, 8, 8})",
        "public interface Units {",
        "  @Stage(block = Unit.class, count = 2, args = \"planes = 4\") Layer layer1();",
        "  @Stage(block = Unit.class, count = 2, args = \"planes = 4\", names = \"unit{i * 10}\") Layer layer2();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).succeeded();
    org.assertj.core.api.Assertions.assertThat(generated(c, "UnitsNet.java"))
        .contains("new Node(\"layer1.0.conv\"", "new Node(\"layer1.1.conv\"", "new Node(\"layer2.unit0.conv\"",
            "new Node(\"layer2.unit10.conv\"", "new ModuleTree.Container(\"layer2.unit10\", \"Unit\"");
  }

  /** Python's {@code padding="same" if stride == 1 else "valid"}: two @If layers, one name. */
  @Test
  void ifAlternativesShareOneNameAndOneInput() {
    JavaFileObject block = source("Dw",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int stride\"})",
        "public interface Dw {",
        "  @ReLU Layer relu();",
        "  @If(\"stride == 1\") @DepthwiseConv2D(kernelSize = 3, padding = \"same\") Layer depthwise();",
        "  @If(\"stride != 1\") @Name(\"depthwise\") @DepthwiseConv2D(kernelSize = 3) @Bind(\"strides = stride\")",
        "  Layer depthwise_strided();",
        "  @BatchNormalization Layer bn();",
        "}");
    JavaFileObject model = source("Dws",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {9, 9, 4})",
        "public interface Dws {",
        "  @Use(value = Dw.class, args = \"stride = 1\") Layer a();",
        "  @Use(value = Dw.class, args = \"stride = 2\") Layer b();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).succeeded();
    String net = generated(c, "DwsNet.java");
    org.assertj.core.api.Assertions.assertThat(net)
        .contains("new Node(\"a_depthwise\"", "new Node(\"b_depthwise\"")
        .contains("List.of(\"a_relu\")")        // a_depthwise reads the relu
        .contains("List.of(\"b_depthwise\")")   // b_bn reads the strided alternative
        .contains("Shape.of(4, 4, 4)");         // (9 - 3) / 2 + 1
    org.assertj.core.api.Assertions.assertThat(net.split("new Node\\(\"b_depthwise\"", -1)).hasSize(2);
  }

  /** Keras' residual {@code Add()([inputs, x])}: where it is left out, what reads it reads {@code x}. */
  @Test
  void anAbsentMergeStandsForTheInputOtherwiseNames() {
    JavaFileObject block = source("Res",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int filters\", \"int in_channels = in[-1]\"})",
        "public interface Res {",
        "  @Conv2D(kernelSize = 1) @Bind(\"filters = filters\") Layer project();",
        "  @If(value = \"in_channels == filters\", otherwise = \"project\") @Add(from = {\"input\", \"project\"})",
        "  Layer add();",
        "}");
    JavaFileObject model = source("Ress",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {4, 4, 3})",
        "public interface Ress {",
        "  @Use(value = Res.class, args = \"filters = 8\") Layer a();",
        "  @Use(value = Res.class, args = \"filters = 8\") Layer b();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).succeeded();
    String net = generated(c, "RessNet.java");
    org.assertj.core.api.Assertions.assertThat(net)
        .doesNotContain("new Node(\"a_add\"")
        .contains("List.of(\"a_project\")")            // b_project reads a's projection, not a's input
        .contains("List.of(\"a_project\", \"b_project\")");  // b's residual: [inputs, x]
  }

  @Test
  void otherwiseMustNameAnInputOfTheLayer() {
    JavaFileObject block = source("BadRes",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int filters\", \"int in_channels = in[-1]\"})",
        "public interface BadRes {",
        "  @Conv2D(kernelSize = 1) @Bind(\"filters = filters\") Layer project();",
        "  @If(value = \"in_channels == filters\", otherwise = \"proj\") @Add(from = {\"input\", \"project\"})",
        "  Layer add();",
        "}");
    JavaFileObject model = source("BadRess",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {4, 4, 3})",
        "public interface BadRess {",
        "  @Use(value = BadRes.class, args = \"filters = 8\") Layer a();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@If(otherwise = \"proj\") on add() must name one of the layer's inputs "
        + "[input, project]").inFile(model).onLine(7);
  }

  @Test
  void aPatternNamingAnUnknownVariable() {
    JavaFileObject model = source("UnknownName",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {8, 8, 4})",
        "public interface UnknownName {",
        "  @Conv2D(filters = 4, kernelSize = 1) Layer conv1_conv();",
        "  @Stage(block = Bottleneck.class, count = 2, args = \"filters = 4\", names = \"block{j + 1}\") Layer conv2();",
        "}");
    Compilation c = compile(model, kerasBlock());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Stage conv2, names: no parameter named j (in scope: i)")
        .inFile(model).onLine(8);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void patternMistakesAreErrorsOnTheStage() {
    JavaFileObject model = source("BadPatterns",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {8, 8, 4})",
        "public interface BadPatterns {",
        "  @Stage(block = Bottleneck.class, count = 1, args = \"filters = 4\", names = \"block{i + 1\") Layer a();",
        "  @Stage(block = Bottleneck.class, count = 1, args = \"filters = 4\", names = \"block{i == 0}\") Layer b();",
        "  @Stage(block = Bottleneck.class, count = 1, args = \"filters = 4\", names = \"{}\") Layer c();",
        "  @Stage(block = Bottleneck.class, count = 1, args = \"filters = 4\", names = \"b{in[0]}\") Layer d();",
        "}");
    Compilation c = compile(model, kerasBlock());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Stage a, names: \"{\" without \"}\" in the name pattern \"block{i + 1\"")
        .inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("@Stage b, names: {i == 0} in the name pattern \"block{i == 0}\" is boolean; "
        + "a name part must be an int").inFile(model).onLine(8);
    assertThat(c).hadErrorContaining("@Stage c, names: empty {} in the name pattern \"{}\"").inFile(model).onLine(9);
    assertThat(c).hadErrorContaining("@Stage d, names: in[...] is not available in a name pattern")
        .inFile(model).onLine(10);
  }

  @Test
  void aTorchPatternMayNotAddALevel() {
    JavaFileObject block = source("Unit",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\"})",
        "public interface Unit {",
        "  @Conv2d(kernel = 1) @Bind(\"out = planes\") Layer conv();",
        "}");
    JavaFileObject model = source("Dotted",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {4, 8, 8})",
        "public interface Dotted {",
        "  @Stage(block = Unit.class, count = 2, args = \"planes = 4\", names = \"a.{i}\") Layer layer1();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Stage layer1, names: the name pattern \"a.{i}\" gives \"a.0\", which contains "
        + "\".\", the separator of module paths").inFile(model).onLine(7);
  }

  /** A stage inside a block: its pattern sees the block's parameters, and a mistake is reported on the use. */
  @Test
  void aPatternInsideABlockSeesItsParametersAndIsReportedOnTheUse() {
    JavaFileObject stack = source("Stack",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int first\"})",
        "public interface Stack {",
        "  @Stage(block = Bottleneck.class, count = 2, args = \"filters = 4\", names = \"b{first + i}\") Layer s();",
        "}");
    JavaFileObject good = source("Good",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {8, 8, 4})",
        "public interface Good {",
        "  @Use(value = Stack.class, args = \"first = 5\") Layer stack();",
        "}");
    Compilation ok = compile(good, stack, kerasBlock());
    assertThat(ok).succeeded();
    org.assertj.core.api.Assertions.assertThat(generated(ok, "GoodNet.java"))
        .contains("new Node(\"stack_s_b5_1_conv\"", "new Node(\"stack_s_b6_out\"");

    JavaFileObject bad = source("Bad",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Block(params = {\"int first\"})",
        "public interface Bad {",
        "  @Stage(block = Bottleneck.class, count = 2, args = \"filters = 4\", names = \"b{frist + i}\") Layer s();",
        "}");
    JavaFileObject model = source("UsesBad",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "import dev.sequent.dsl.Module;",
        "@Module(input = {8, 8, 4})",
        "public interface UsesBad {",
        "  @Conv2D(filters = 4, kernelSize = 1) Layer conv();",
        "  @Use(value = Bad.class, args = \"first = 5\") Layer stack();",
        "}");
    Compilation c = compile(model, bad, kerasBlock());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("@Stage stack_s, names: no parameter named frist (in scope: first, i); "
        + "did you mean \"first\"?").inFile(model).onLine(8);
    assertThat(c).hadErrorContaining("block layer: Bad.s() at Bad.java:6");
  }
}
