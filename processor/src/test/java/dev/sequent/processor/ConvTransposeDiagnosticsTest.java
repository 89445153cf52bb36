package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The transposed convolutions' mistakes (Conv2DTranspose, ConvTranspose2d) as javac errors with the
 * message, file and line, as in {@link DiagnosticsTest}.
 */
class ConvTransposeDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void paddingThatCropsTheOutputToNothing() {
    JavaFileObject src = source("Cropped",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 2, 2})",
        "public interface Cropped {",
        "  @ConvTranspose2d(out = 4, kernel = 3, padding = 2) Layer up();",     // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("up (ConvTranspose2d): padding (2, 2) crops the 4x4 transposed output of the "
        + "2x2 input to nothing (0x0)").inFile(src).onLine(6);
  }

  @Test
  void outputPaddingNotBelowTheStrideAndKerasDilationWithStrides() {
    JavaFileObject src = source("Padded",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {8, 8, 3})",
        "public interface Padded {",
        "  @Conv2DTranspose(filters = 2, kernelSize = 3, strides = 2, outputPadding = 2) Layer a();",   // 6
        "  @Conv2DTranspose(filters = 2, kernelSize = 3, strides = 2, dilationRate = 2) Layer b();",    // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("a (@Conv2DTranspose): output_padding must be strictly less than strides. "
        + "Received: output_padding=(2, 2), strides=(2, 2)").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("b (@Conv2DTranspose): strides > 1 not supported in conjunction with "
        + "dilation_rate > 1").inFile(src).onLine(7);
  }

  @Test
  void aTorchOutputPaddingNotBelowStrideOrDilation() {
    JavaFileObject src = source("Torch",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Torch {",
        "  @ConvTranspose2d(out = 2, kernel = 3, stride = 2, outputPadding = 2) Layer a();",   // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("a (@ConvTranspose2d): output padding must be smaller than either stride or "
        + "dilation").inFile(src).onLine(6);
  }

  @Test
  void aChannelMismatch() {
    JavaFileObject src = source("Channels",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Channels {",
        "  @ConvTranspose2d(in = 4, out = 2, kernel = 3) Layer b();",                          // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("b (ConvTranspose2d): input has 3 channels, expected 4").inFile(src).onLine(6);
  }

  @Test
  void aCorrectModelCompiles() {
    JavaFileObject src = source("Fine",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {5, 6, 3})",
        "public interface Fine {",
        "  @Conv2DTranspose(filters = 4, kernelSize = 3, strides = 2, padding = \"same\") Layer a();",
        "  @Conv2DTranspose(filters = 2, kernelSize = {4, 3}, strides = {2, 3}, outputPadding = {1, 2}) Layer b();",
        "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
