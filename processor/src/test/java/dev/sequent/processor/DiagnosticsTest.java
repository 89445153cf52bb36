package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/**
 * Every user mistake becomes a javac error with a stable message, in the right file, on the line
 * of the layer (or annotation attribute) at fault. Sources are written one line per array entry,
 * so line N of a source is element N-1.
 */
class DiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void wrongInFeaturesShowsTheShapeChain() {
    JavaFileObject src = source("LeNet",
        "package test;",                                                    // 1
        "import dev.sequent.dsl.*;",                                        // 2
        "import dev.sequent.dsl.torch.*;",                                  // 3
        "@Sequential(input = {1, 28, 28})",                                 // 4
        "public interface LeNet {",                                         // 5
        "  @Conv2d(out = 6, kernel = 5, padding = 2) Layer c1();",          // 6
        "  @AvgPool2d(2) Layer s2();",                                      // 7
        "  @Conv2d(out = 16, kernel = 5) Layer c3();",                      // 8
        "  @AvgPool2d(2) Layer s4();",                                      // 9
        "  @Conv2d(out = 120, kernel = 5) Layer c5();",                     // 10
        "  @Flatten Layer flat();",                                         // 11
        "  @Linear(in = 400, out = 84) Layer f6();",                        // 12
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[sequent] f6 (Linear): input has 120 features, expected 400")
        .inFile(src).onLine(12);
    assertThat(c).hadErrorContaining("shape chain: input [1,28,28] -> c1 [6,28,28] -> s2 [6,14,14]");
    assertThat(c).hadErrorContaining("-> c5 [120,1,1] -> flat [120]");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void kernelLargerThanInput() {
    JavaFileObject src = source("Tiny",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {4, 4, 3})",
        "public interface Tiny {",
        "  @Conv2D(filters = 8, kernelSize = 5) Layer conv();",            // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("conv (Conv2D): kernel 5x5 is larger than the input 4x4").inFile(src).onLine(6);
  }

  @Test
  void zeroAndNegativeSizesAreRefusedAtTheAttribute() {
    JavaFileObject src = source("Sizes",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {10})",
        "public interface Sizes {",
        "  @Dense(units = 0) Layer a();",                                   // 6
        "  @Dense(",                                                        // 7
        "      units = -3) Layer b();",                                     // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("a (@Dense): the number of output features must be positive. Received: units=0")
        .inFile(src).onLine(6);
    // Pointed at the attribute's own line, not the annotation's.
    assertThat(c).hadErrorContaining("b (@Dense): the number of output features must be positive. Received: units=-3")
        .inFile(src).onLine(8);
  }

  @Test
  void channelMismatchIntoResidualAdd() {
    JavaFileObject src = source("Res",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module; // java.lang.Module would be ambiguous with the wildcard",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {3, 32, 32})",
        "public interface Res {",
        "  @Conv2d(out = 16, kernel = 3, padding = 1) Layer stem();",
        "  @ReLU Layer act();",
        "  @Conv2d(out = 8, kernel = 3, padding = 1) Layer branch();",
        "  @Add(from = {\"act\", \"branch\"}) Layer skip();",                 // 10
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("skip (Add): inputs have different shapes: [16,32,32] and [8,32,32]")
        .inFile(src).onLine(10);
    assertThat(c).hadErrorContaining("inputs: act [16,32,32], branch [8,32,32]");
  }

  @Test
  void unknownWiringNameSuggestsTheClosest() {
    JavaFileObject src = source("Wiring",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module; // java.lang.Module would be ambiguous with the wildcard",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {8})",
        "public interface Wiring {",
        "  @Linear(out = 8) Layer stem();",
        "  @ReLU @From(\"stme\") Layer act();",                              // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("no layer named \"stme\"; did you mean \"stem\"?").inFile(src).onLine(8);
  }

  @Test
  void cycleIsReportedWithItsPath() {
    JavaFileObject src = source("Cycle",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module; // java.lang.Module would be ambiguous with the wildcard",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {8})",
        "public interface Cycle {",
        "  @Linear(out = 8) @From(\"b\") Layer a();",                        // 7
        "  @Linear(out = 8) @From(\"a\") Layer b();",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("wiring forms a cycle: a -> b -> a").inFile(src).onLine(7);
  }

  @Test
  void missingInputShape() {
    JavaFileObject src = source("NoInput",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {})",                                          // 4
        "public interface NoInput {",
        "  @Dense(units = 4) Layer d();",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("model NoInput has no input shape; declare it once").inFile(src).onLine(4);
  }

  @Test
  void badPaddingString() {
    JavaFileObject src = source("Pad",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {28, 28, 1})",
        "public interface Pad {",
        "  @Conv2D(filters = 4, kernelSize = 3, padding = \"sam\") Layer conv();", // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("conv (@Conv2D): padding must be \"valid\" or \"same\". Received: padding=\"sam\"")
        .inFile(src).onLine(6);
  }

  @Test
  void flattenOfAFlatTensor() {
    JavaFileObject src = source("Flat",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {784})",
        "public interface Flat {",
        "  @Dense(units = 120) Layer d();",
        "  @Flatten Layer flat();",                                         // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("flat (Flatten): input [120] is already flat").inFile(src).onLine(7);
  }

  /** nn.Flatten(start_dim, end_dim) counted as PyTorch counts them: out of range, or backwards. */
  @Test
  void flattenDimsOutOfRangeOrBackwards() {
    JavaFileObject src = source("Dims",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 6, 6})",
        "public interface Dims {",
        "  @Flatten(startDim = 2, endDim = 4) Layer far();",                // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("far (Flatten): end_dim 4 is out of range for an input of 4 dimensions "
        + "(batch included): [3,6,6]").inFile(src).onLine(6);
    JavaFileObject back = source("Back",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {3, 6, 6})",
        "public interface Back {",
        "  @Flatten(startDim = 3, endDim = -3) Layer back();",              // 6
        "}");
    assertThat(compile(back)).hadErrorContaining("back (Flatten): start_dim 3 comes after end_dim -3")
        .inFile(back).onLine(6);
  }

  @Test
  void customLayerWhoseRuleFails() {
    JavaFileObject layer = source("Pick",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@CustomLayer(output = \"in[2]\")",
        "public final class Pick {}");
    JavaFileObject src = source("UsesPick",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {8})",
        "public interface UsesPick {",
        "  @Custom(Pick.class) Layer pick();",                              // 6
        "}");
    Compilation c = compile(layer, src);
    assertThat(c).hadErrorContaining("pick (Pick): output rule \"in[2]\" reads in[2] but the input [8] has rank 1")
        .inFile(src).onLine(6);
  }

  @Test
  void softmaxAxisOutOfRange() {
    JavaFileObject src = source("Soft",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {10})",
        "public interface Soft {",
        "  @Linear(out = 4) Layer fc();",
        "  @Softmax(dim = 2) Layer probs();",                               // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("probs (Softmax): softmax axis 2 is out of range for a tensor of rank 2")
        .inFile(src).onLine(7);
  }

  @Test
  void duplicateLayerName() {
    JavaFileObject src = source("Dup",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {10})",
        "public interface Dup {",
        "  @Dense(units = 4) Layer dense();",
        "  @Dense(units = 4) @Name(\"dense\") Layer second();",             // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("duplicate layer name \"dense\"").inFile(src).onLine(7);
  }

  @Test
  void bothVocabulariesForImagesAreRefused() {
    JavaFileObject src = source("Mixed",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Sequential(input = {28, 28, 1})",
        "public interface Mixed {",
        "  @dev.sequent.dsl.keras.Conv2D(filters = 4, kernelSize = 3) Layer a();",
        "  @dev.sequent.dsl.torch.Conv2d(out = 4, kernel = 3) Layer b();",   // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("b (Conv2d) is channels_first but a (Conv2D) is channels_last").inFile(src).onLine(6);
  }

  @Test
  void declarationMistakes() {
    JavaFileObject src = source("Decl",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {10})",
        "public interface Decl {",
        "  Layer bare();",                                                  // 6
        "  @ReLU @Tanh Layer both();",                                      // 7
        "  @ReLU Layer withArg(int x);",                                    // 8
        "  @ReLU String notALayer();",                                      // 9
        "  @ReLU @From(\"bare\") Layer wired();",                            // 10
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("layer bare() has no layer annotation").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("layer both() has @ReLU and @Tanh").inFile(src).onLine(7);
    assertThat(c).hadErrorContaining("layer method withArg() must take no parameters").inFile(src).onLine(8);
    assertThat(c).hadErrorContaining("method notALayer() must return dev.sequent.dsl.Layer").inFile(src).onLine(9);
    assertThat(c).hadErrorContaining("@From on wired(): layers of a @Sequential model read the layer before them")
        .inFile(src).onLine(10);
  }

  @Test
  void customClassWithoutCustomLayerAnnotation() {
    JavaFileObject plain = source("Plain", "package test;", "public final class Plain {}");
    JavaFileObject src = source("UsesPlain",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Sequential(input = {8})",
        "public interface UsesPlain {",
        "  @Custom(Plain.class) Layer p();",                                // 5
        "}");
    Compilation c = compile(plain, src);
    assertThat(c).hadErrorContaining("test.Plain is not annotated with @CustomLayer").inFile(src).onLine(5);
  }

  @Test
  void layerNormShapeThatIsNotTheInputsLastDims() {
    JavaFileObject src = source("Seq",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {5, 16})",
        "public interface Seq {",
        "  @LayerNorm(16) Layer ok();",                                       // 6
        "  @LayerNorm(value = {5, 17}) Layer wrong();",                       // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("wrong (LayerNorm): normalized_shape [5, 17] does not match the last 2 dims "
        + "of input [5,16]").inFile(src).onLine(7);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void layerNormalizationOverAxesThatAreNotTheLastOnes() {
    JavaFileObject src = source("SeqK",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {5, 16})",
        "public interface SeqK {",
        "  @LayerNormalization(axis = {1}) Layer ln();",                      // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("ln (LayerNormalization): Sequent normalises over the last axes of the input, "
        + "in order; axes [1] of input [5,16] are not its last 1").inFile(src).onLine(6);
  }

  @Test
  void internalErrorBecomesADiagnosticAndOtherModelsStillGenerate() {
    JavaFileObject bad = source("Boom",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {4})",
        "public interface Boom {",                                          // 5
        "  @ReLU Layer r();",
        "}");
    JavaFileObject good = source("Fine",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {4})",
        "public interface Fine {",
        "  @ReLU Layer r();",
        "}");
    SequentProcessor.failOnModel = "Boom";
    try {
      Compilation c = compile(bad, good);
      assertThat(c).hadErrorContaining("[sequent] internal error while processing test.Boom").inFile(bad).onLine(5);
      assertThat(c).hadErrorContaining("injected failure for Boom");
      // The healthy model is still processed: the injected failure is the only error.
      assertThat(c).hadErrorCount(1);
    } finally {
      SequentProcessor.failOnModel = null;
    }
  }
}
