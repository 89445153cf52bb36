package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The merge, reshape and preprocessing layers' mistakes as javac errors in the right file, on the
 * line of the layer or of the attribute at fault (sources are one line per array entry: line N is
 * element N-1); and correct models of every new annotation compile.
 */
class MergeDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void concatenateInputsThatDifferOffTheAxisAreRefused() {
    JavaFileObject src = source("Cat",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {6, 6, 3})",
        "public interface Cat {",
        "  @Conv2D(filters = 4, kernelSize = 3, padding = \"same\") Layer a();",   // 7: 6x6x4
        "  @Conv2D(filters = 2, kernelSize = 3) @From(\"input\") Layer b();",      // 8: 4x4x2
        "  @Concatenate(",                                                         // 9
        "      from = {\"a\", \"b\"}) Layer joined();",                            // 10
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("joined (Concatenate): inputs [6,6,4] and [4,4,2] differ on axis 1 (batch axis 0), "
        + "not only on the concatenation axis axis=-1 (axis 3)").inFile(src).onLine(10);
    assertThat(c).hadErrorContaining("inputs: a [6,6,4], b [4,4,2]");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void catDimOutOfRangeOrOnTheBatchAxisIsRefusedAtDim() {
    JavaFileObject src = source("TorchCat",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {3, 8, 8})",
        "public interface TorchCat {",
        "  @Conv2d(out = 4, kernel = 1) Layer a();",                               // 7
        "  @Cat(from = {\"a\", \"input\"},",                                       // 8
        "      dim = 4) Layer joined();",                                          // 9
        "}");
    assertThat(compile(src)).hadErrorContaining("joined (Cat): dim=4 is out of range for inputs of rank 4 (batch "
        + "included): expected -4 to 3").inFile(src).onLine(9);
    // The batch axis is refused when the annotation is read, before any shape is known.
    JavaFileObject batch = source("TorchCatBatch",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {3, 8, 8})",
        "public interface TorchCatBatch {",
        "  @Cat(from = {\"input\", \"input\"},",                                   // 7
        "      dim = 0) Layer batch();",                                           // 8
        "}");
    assertThat(compile(batch)).hadErrorContaining("batch (@Cat): dim=0 is the batch axis").inFile(batch).onLine(8);
  }

  @Test
  void shapesThatDoNotBroadcastAreRefused() {
    JavaFileObject src = source("Se",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {6, 6, 3})",
        "public interface Se {",
        "  @Conv2D(filters = 4, kernelSize = 1) Layer a();",                       // 7
        "  @GlobalAveragePooling2D Layer pool();",                                 // 8: [4]
        "  @Dense(units = 3) Layer scale();",                                      // 9: [3]
        "  @Multiply(from = {\"a\", \"scale\"}) Layer excite();",                  // 10
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("excite (Multiply): inputs have different shapes: [6,6,4] and [3], which do "
        + "not broadcast (axis 3, batch axis 0, is 4 and 3)").inFile(src).onLine(10);
  }

  @Test
  void subtractTakesExactlyTwoInputs() {
    JavaFileObject src = source("Sub3",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {4})",
        "public interface Sub3 {",
        "  @Dense(units = 4) Layer a();",                                          // 7
        "  @Subtract(from = {\"a\", \"input\", \"a\"}) Layer diff();",             // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("diff (@Subtract): Subtract takes exactly 2 input(s). Received: 3")
        .inFile(src).onLine(8);
  }

  @Test
  void reshapeAndUnflattenNameTheTargetAndBothCounts() {
    JavaFileObject keras = source("Re",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6, 4})",
        "public interface Re {",
        "  @Reshape(targetShape = {5, 5}) Layer re();",                            // 6
        "  @Permute(dims = {2, 1, 3}) Layer p();",                                 // 7
        "}");
    Compilation c = compile(keras);
    assertThat(c).hadErrorContaining("re (Reshape): target_shape [5,5] holds 25 values but input [6,4] holds 24")
        .inFile(keras).onLine(6);
    JavaFileObject torch = source("Un",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {12})",
        "public interface Un {",
        "  @Linear(out = 24) Layer fc();",                                         // 6
        "  @Unflatten(dim = 1, sizes = {5, -1}) Layer image();",                   // 7
        "}");
    Compilation u = compile(torch);
    assertThat(u).hadErrorContaining("image (Unflatten): input [24] holds 24 values, which unflattened_size [5,-1] "
        + "cannot hold: 24 is not a multiple of 5").inFile(torch).onLine(7);
    JavaFileObject twoUnknown = source("Re2",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6, 4})",
        "public interface Re2 {",
        "  @Reshape(targetShape = {-1, -1}) Layer re();",                          // 6
        "}");
    assertThat(compile(twoUnknown)).hadErrorContaining("re (@Reshape): target_shape may have one -1")
        .inFile(twoUnknown).onLine(6);
  }

  @Test
  void permuteOfTheWrongRankIsRefused() {
    JavaFileObject src = source("Perm",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {6, 4})",
        "public interface Perm {",
        "  @Permute(dims = {2, 1, 3}) Layer p();",                                 // 6
        "  @Permute(dims = {0, 1}) Layer q();",                                    // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("q (@Permute): dims must be a permutation of 1..2").inFile(src).onLine(7);
  }

  @Test
  void rescalingAndNormalizationCheckTheirLists() {
    JavaFileObject src = source("Pre",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {5, 5, 3})",
        "public interface Pre {",
        "  @Rescaling(scale = {0.5, 2.0}) Layer scale();",                         // 6
        "}");
    assertThat(compile(src)).hadErrorContaining("scale (Rescaling): scale has 2 values, which broadcast against "
        + "the last axis, but input [5,5,3] has 3 there").inFile(src).onLine(6);
    JavaFileObject norm = source("Norm",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {5, 5, 3})",
        "public interface Norm {",
        "  @Normalization(mean = {0.5, 0.5}, variance = {1.0, 1.0}) Layer norm();", // 6
        "  @Normalization(axis = 4) Layer out();",                                  // 7
        "}");
    Compilation c = compile(norm);
    assertThat(c).hadErrorContaining("norm (Normalization): mean has 2 values, expected 1 or 3 (the kept axes [3] of "
        + "input [5,5,3])").inFile(norm).onLine(6);
  }

  @Test
  void correctModelsOfEveryNewAnnotationCompile() {
    JavaFileObject keras = source("AllKeras",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {8, 8, 3})",
        "public interface AllKeras {",
        "  @Rescaling(scale = 0.00392156862745098) Layer scale();",
        "  @Normalization(mean = {0.5, 0.4, 0.3}, variance = {0.1, 0.2, 0.3}) Layer norm();",
        "  @Normalization(axis = {}) Layer all();",
        "  @Conv2D(filters = 8, kernelSize = 3, padding = \"same\") Layer conv();",
        "  @GlobalAveragePooling2D Layer squeeze();",
        "  @Reshape(targetShape = {1, 1, -1}) Layer se();",
        "  @Multiply(from = {\"conv\", \"se\"}) Layer excite();",
        "  @Subtract(from = {\"excite\", \"conv\"}) Layer diff();",
        "  @Average(from = {\"excite\", \"conv\", \"diff\"}) Layer avg();",
        "  @Maximum(from = {\"avg\", \"conv\"}) Layer max();",
        "  @Minimum(from = {\"max\", \"diff\"}) Layer min();",
        "  @Concatenate(from = {\"min\", \"conv\"}) Layer cat();",
        "  @Permute(dims = {3, 1, 2}) Layer p();",
        "  @Reshape(targetShape = {16, 64}) Layer flat();",
        "}");
    assertThat(compile(keras)).succeededWithoutWarnings();
    JavaFileObject torch = source("AllTorch",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {12})",
        "public interface AllTorch {",
        "  @Linear(out = 48) Layer fc();",
        "  @Unflatten(dim = 1, sizes = {3, 4, 4}) Layer image();",
        "  @Conv2d(out = 1, kernel = 1) Layer gate();",
        "  @Mul(from = {\"image\", \"gate\"}) Layer gated();",
        "  @Sub(from = {\"gated\", \"image\"}) Layer diff();",
        "  @Cat(from = {\"diff\", \"image\"}) Layer cat();",
        "}");
    assertThat(compile(torch)).succeededWithoutWarnings();
  }
}
