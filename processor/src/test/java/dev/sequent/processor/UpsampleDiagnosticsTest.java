package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The upsampling layers' mistakes (UpSampling2D, Upsample, UpsamplingNearest2d,
 * UpsamplingBilinear2d) as javac errors with the message, file and line, as in
 * {@link DiagnosticsTest}; one line per array entry, so line N is element N-1.
 */
class UpsampleDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void anInterpolationSequentDoesNotImplement() {
    JavaFileObject src = source("Bicubic",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {8, 8, 3})",
        "public interface Bicubic {",
        "  @UpSampling2D(size = 2, interpolation = \"bicubic\") Layer up();",    // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("up (@UpSampling2D): Sequent upsamples with \"nearest\" or \"bilinear\". "
        + "Received: interpolation=\"bicubic\"").inFile(src).onLine(6);
  }

  @Test
  void aModeSequentDoesNotImplementAndAlignCornersWithNearest() {
    JavaFileObject src = source("Modes",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Modes {",
        "  @Upsample(scaleFactor = 2, mode = \"nearest-exact\") Layer a();",     // 6
        "  @Upsample(scaleFactor = 2, alignCorners = true) Layer b();",          // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("a (@Upsample): Sequent upsamples with \"nearest\" or \"bilinear\". "
        + "Received: mode=\"nearest-exact\"").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("b (@Upsample): align_corners can only be set with an interpolating mode "
        + "(bilinear), as in PyTorch. Received: alignCorners=true with mode=nearest").inFile(src).onLine(7);
  }

  @Test
  void zeroAndMalformedFactors() {
    JavaFileObject src = source("Factors",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Factors {",
        "  @UpsamplingNearest2d(scaleFactor = {2, 0}) Layer a();",               // 6
        "  @UpsamplingBilinear2d(scaleFactor = {2, 2, 2}) Layer b();",           // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("a (@UpsamplingNearest2d): the upsampling factor must be positive. "
        + "Received: scaleFactor=0").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("b (@UpsamplingBilinear2d): scaleFactor takes one value (same for height "
        + "and width) or two. Received: [2, 2, 2]").inFile(src).onLine(7);
  }

  @Test
  void anUpsamplingOfAFlatTensor() {
    JavaFileObject src = source("Flat",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {16})",
        "public interface Flat {",
        "  @UpSampling2D Layer up();",                                           // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("up (UpSampling2D): expected a rank-3 image [height, width, channels] but "
        + "input is [16]").inFile(src).onLine(6);
  }

  @Test
  void aCorrectModelCompiles() {
    JavaFileObject src = source("Fine",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Fine {",
        "  @Upsample(scaleFactor = 2) Layer a();",
        "  @Upsample(scaleFactor = {2, 3}, mode = \"bilinear\") Layer b();",
        "  @UpsamplingBilinear2d(scaleFactor = 2) Layer c();",
        "  @UpsamplingNearest2d(scaleFactor = {1, 2}) Layer d();",
        "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
