package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The embedding's and the 1-D layers' mistakes as javac errors in the right file, on the line of the
 * layer at fault: an embedding that does not read the model's ids, or reads ids of the wrong rank;
 * a 1-D layer on an image; a kernel longer than the sequence.
 */
class SequenceDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void anEmbeddingMustReadTheModelInputItself() {
    JavaFileObject src = source("Late",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {12})",
        "public interface Late {",
        "  @Dense(units = 12) Layer dense();",                                       // 6
        "  @Embedding(inputDim = 50, outputDim = 4) Layer emb();",                   // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("emb (Embedding): Embedding reads integer ids, so it must take the model input "
        + "directly, but it is wired to [dense]").inFile(src).onLine(7);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void anEmbeddingReadsASequenceOfIds() {
    JavaFileObject src = source("Rank",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@dev.sequent.dsl.Module(input = {4, 6})",
        "public interface Rank {",
        "  @Embedding(numEmbeddings = 50, embeddingDim = 4) Layer emb();",           // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("emb (Embedding): expected a sequence of ids [steps] but input is [4,6]")
        .inFile(src).onLine(6);

    JavaFileObject empty = source("Empty",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {6})",
        "public interface Empty {",
        "  @Embedding(numEmbeddings = 0, embeddingDim = 4) Layer none();",           // 6
        "}");
    assertThat(compile(empty)).hadErrorContaining("none (@Embedding): the vocabulary size must be positive. "
        + "Received: numEmbeddings=0").inFile(empty).onLine(6);
  }

  @Test
  void oneDimensionalLayersTakeSequencesThatFitTheirKernel() {
    JavaFileObject src = source("Conv",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@dev.sequent.dsl.Module(input = {8, 8, 3})",
        "public interface Conv {",
        "  @Conv1D(filters = 4, kernelSize = 3) Layer image();",                     // 6
        "  @Embedding(inputDim = 9, outputDim = 2) @From(\"input\") Layer emb();",   // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("image (Conv1D): expected a rank-2 sequence [steps, channels] but input is "
        + "[8,8,3]").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("emb (Embedding): expected a sequence of ids [steps] but input is [8,8,3]")
        .inFile(src).onLine(7);

    JavaFileObject longKernel = source("Long",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {2, 6})",
        "public interface Long {",
        "  @Conv1d(out = 4, kernel = 3, dilation = 3) Layer conv();",                // 6
        "}");
    assertThat(compile(longKernel)).hadErrorContaining("conv (Conv1d): kernel 7 (dilated) is longer than the input "
        + "length 6").inFile(longKernel).onLine(6);
  }

  @Test
  void kerasRefusesStridesWithDilation() {
    JavaFileObject src = source("Strided",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {20, 3})",
        "public interface Strided {",
        "  @Conv1D(filters = 4, kernelSize = 3, strides = 2, dilationRate = 2) Layer conv();", // 6
        "}");
    assertThat(compile(src)).hadErrorContaining("conv (@Conv1D): strides > 1 is not supported in conjunction with "
        + "dilation_rate > 1, as in Keras. Received: strides=2 and dilationRate=2").inFile(src).onLine(6);
  }

  @Test
  void aWellFormedTextModelCompiles() {
    JavaFileObject src = source("Text",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {20})",
        "public interface Text {",
        "  @Embedding(inputDim = 100, outputDim = 8) Layer emb();",
        "  @Conv1D(filters = 6, kernelSize = 3, padding = \"causal\") Layer conv();",
        "  @MaxPooling1D Layer pool();",
        "  @GlobalAveragePooling1D Layer gap();",
        "  @Dense(units = 2) Layer out();",
        "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
