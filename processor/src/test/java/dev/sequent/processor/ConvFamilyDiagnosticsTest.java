package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The convolution family's mistakes as javac errors in the right file and on the line of the
 * attribute at fault: {@code groups} not dividing the output channels (a hyperparameter error) or
 * the input's channels (a shape error, found from the shape chain), and a PReLU whose
 * {@code numParameters} is not the channel count.
 */
class ConvFamilyDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void groupsMustDivideTheChannels() {
    JavaFileObject src = source("Groups",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {6, 8, 8})",
        "public interface Groups {",
        "  @Conv2d(out = 12, kernel = 3, groups = 3) Layer ok();",          // 6: 12 channels
        "  @Conv2d(out = 10, kernel = 3,",                                   // 7
        "      groups = 4) Layer outNotDivisible();",                        // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("out_channels must be divisible by groups. Received: groups=4, out=10")
        .inFile(src).onLine(8);
    // The input side needs the shape chain: 12 channels reach a layer with 5 groups.
    JavaFileObject in = source("GroupsIn",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {6, 8, 8})",
        "public interface GroupsIn {",
        "  @Conv2d(out = 12, kernel = 3, groups = 3) Layer ok();",          // 6: 12 channels
        "  @Conv2d(out = 10, kernel = 3, groups = 5) Layer inNotDivisible();", // 7
        "}");
    Compilation ci = compile(in);
    assertThat(ci).hadErrorContaining("the input's 12 channels must be divisible by groups. Received: groups=5, "
        + "input channels=12").inFile(in).onLine(7);
  }

  @Test
  void kerasGroupsNameTheFilters() {
    JavaFileObject src = source("KerasGroups",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {8, 8, 6})",
        "public interface KerasGroups {",
        "  @Conv2D(filters = 8, kernelSize = 3, groups = 3) Layer conv();",  // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("filters must be divisible by groups. Received: groups=3, filters=8")
        .inFile(src).onLine(6);
  }

  @Test
  void preluParametersMustBeTheChannelCount() {
    JavaFileObject src = source("Prelu",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 8, 8})",
        "public interface Prelu {",
        "  @Conv2d(out = 4, kernel = 3) Layer conv();",                      // 6
        "  @PReLU(numParameters = 3) Layer act();",                         // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("PReLU(num_parameters=3) needs 3 channels on axis 1, but the input is [4,6,6]")
        .inFile(src).onLine(7);
  }
}
