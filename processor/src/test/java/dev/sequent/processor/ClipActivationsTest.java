package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The clipped and hard activations declared in Java: Keras {@code @ReLU} with and without its
 * arguments, the {@code relu6}/{@code hard_sigmoid}/{@code hard_silu}/{@code hard_swish} strings fused
 * and standalone, PyTorch {@code @ReLU6}, {@code @Hardtanh}, {@code @Hardsigmoid}, {@code @Hardswish}:
 * they compile with the right shapes, and their mistakes are javac errors on the attribute's line.
 */
class ClipActivationsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static String generated(Compilation c, String name) throws IOException {
    return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
  }

  @Test
  void kerasMobileNetStyleBlockCompiles() throws IOException {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.KerasClip",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {32, 32, 3})",
        "public interface KerasClip {",
        "  @Conv2D(filters = 16, kernelSize = 3, padding = \"same\") Layer conv();",
        "  @ReLU(maxValue = 6) Layer relu6();",
        "  @ReLU(maxValue = 4, negativeSlope = 0.1, threshold = 1) Layer full();",
        "  @ReLU Layer plain();",
        "  @Conv2D(filters = 8, kernelSize = 1, activation = \"hard_swish\") Layer c2();",
        "  @Activation(\"hard_sigmoid\") Layer hs();",
        "  @Conv2D(filters = 4, kernelSize = 3, strides = 2, activation = \"relu6\") Layer c3();",
        "  @Activation(\"hard_silu\") Layer hsilu();",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    String source = generated(c, "test.KerasClipNet");
    org.assertj.core.api.Assertions.assertThat(source).contains("shapes.put(\"full\", Shape.of(32, 32, 16));")
        .contains("shapes.put(\"hs\", Shape.of(32, 32, 8));")
        .contains("public static final Shape OUTPUT_SHAPE = Shape.of(15, 15, 4);")
        .contains("KERAS_RELU").contains("HARD_SILU").contains("RELU6").contains("HARD_SIGMOID");
  }

  @Test
  void torchHardActivationsCompile() throws IOException {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.TorchClip",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 32, 32})",
        "public interface TorchClip {",
        "  @Conv2d(out = 16, kernel = 3, padding = 1) Layer conv();",
        "  @ReLU6 Layer r6();",
        "  @Hardtanh(minVal = -2, maxVal = 3) Layer ht();",
        "  @Hardtanh Layer ht1();",
        "  @Hardsigmoid Layer hsig();",
        "  @Conv2d(out = 2, kernel = 1) Layer head();",
        "  @Hardswish Layer hsw();",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    String source = generated(c, "test.TorchClipNet");
    org.assertj.core.api.Assertions.assertThat(source).contains("shapes.put(\"hsig\", Shape.of(16, 32, 32));")
        .contains("public static final Shape OUTPUT_SHAPE = Shape.of(2, 32, 32);")
        .contains("HARDTANH").contains("HARD_SILU");
  }

  @Test
  void negativeReluArgumentsAreRefusedAtTheAttribute() {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.BadRelu",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {10})",
        "public interface BadRelu {",
        "  @ReLU(maxValue = -1) Layer a();",                                // 6
        "  @ReLU(",                                                         // 7
        "      negativeSlope = -0.5) Layer b();",                           // 8
        "  @ReLU(threshold = -2) Layer c();",                               // 9
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a (@ReLU): max_value of a ReLU layer cannot be a negative value. "
        + "Received: max_value=-1.0").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("b (@ReLU): negative_slope of a ReLU layer cannot be a negative value. "
        + "Received: negative_slope=-0.5").inFile(src).onLine(8);
    assertThat(c).hadErrorContaining("c (@ReLU): threshold of a ReLU layer cannot be a negative value. "
        + "Received: threshold=-2.0").inFile(src).onLine(9);
  }

  @Test
  void hardtanhBoundsOutOfOrderAreRefused() {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.BadHardtanh",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {10})",
        "public interface BadHardtanh {",
        "  @Hardtanh(minVal = 2,",                                          // 6
        "      maxVal = 1) Layer a();",                                     // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a (@Hardtanh): Hardtanh's max_val must be greater than min_val. "
        + "Received: min_val=2.0, max_val=1.0").inFile(src).onLine(7);
  }

  @Test
  void unknownActivationStringListsTheNewOnes() {
    JavaFileObject src = JavaFileObjects.forSourceLines("test.BadString",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {10})",
        "public interface BadString {",
        "  @Dense(units = 4, activation = \"relu7\") Layer a();",            // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("unknown activation \"relu7\"").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("relu6, hard_sigmoid, hard_silu, hard_swish");
  }
}
