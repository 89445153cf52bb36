package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The zero-padding and cropping layers' mistakes as javac errors in the right file, on the line of
 * the layer or of the attribute at fault (sources are one line per array entry: line N is element N-1).
 */
class PaddingDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void croppingTheWholeImageIsRefusedAtTheAttribute() {
    JavaFileObject src = source("Crop",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6, 8, 3})",
        "public interface Crop {",
        "  @Cropping2D(cropping = {1, 1}) Layer ok();",                      // 6: 4x6
        "  @Cropping2D(",                                                    // 7
        "      cropping = {2, 2, 0, 0}) Layer crop();",                      // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("crop (Cropping2D): cropping ((2, 2), (0, 0)) leaves nothing of the 4x6 input "
        + "[4,6,3]; expected top + bottom < 4 and left + right < 6").inFile(src).onLine(8);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void kerasPaddingTakesOneTwoOrFourValues() {
    JavaFileObject src = source("Pad3",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6, 6, 3})",
        "public interface Pad3 {",
        "  @ZeroPadding2D(padding = {1, 2, 3}) Layer pad();",                // 6
        "  @Cropping2D(cropping = {1, 2, 3, 4, 5}) Layer crop();",           // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("pad (@ZeroPadding2D): padding takes 1 value (every side), 2 (symmetric height "
        + "and width) or 4 (top, bottom, left, right). Received: [1, 2, 3]").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("crop (@Cropping2D): cropping takes 1 value (every side), 2 (symmetric height "
        + "and width) or 4 (top, bottom, left, right). Received: [1, 2, 3, 4, 5]").inFile(src).onLine(7);
  }

  @Test
  void torchZeroPadTakesOneOrFourValuesAndNoNegatives() {
    JavaFileObject src = source("TorchPad",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 6, 6})",
        "public interface TorchPad {",
        "  @ZeroPad2d({1, 2}) Layer pair();",                                // 6
        "  @ZeroPad2d({1, 1, -1, 0}) Layer negative();",                     // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("pair (@ZeroPad2d): value takes 1 value (every side) or 4 in PyTorch's order "
        + "(left, right, top, bottom). Received: [1, 2]").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("negative (@ZeroPad2d): padding must not be negative. Received: top=-1, "
        + "bottom=0, left=1, right=1").inFile(src).onLine(7);
  }

  @Test
  void paddingNeedsAnImage() {
    JavaFileObject src = source("Flat",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {10})",
        "public interface Flat {",
        "  @ZeroPadding2D Layer pad();",                                     // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("pad (ZeroPadding2D): expected a rank-3 image [height, width, channels] but "
        + "input is [10]").inFile(src).onLine(6);
  }
}
