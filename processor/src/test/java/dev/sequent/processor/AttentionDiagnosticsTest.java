package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The attention layers' mistakes (Keras MultiHeadAttention, nn.MultiheadAttention) as javac errors
 * with the message, file and line, as in {@link DiagnosticsTest}; one line per array entry, so
 * line N is element N-1.
 */
class AttentionDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void headsThatDoNotDivideTheModelDimension() {
    JavaFileObject src = source("Heads",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {6, 10})",
        "public interface Heads {",
        "  @MultiheadAttention(embedDim = 10, numHeads = 3) Layer self_attn();",      // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("embed_dim must be divisible by num_heads").inFile(src).onLine(7);
    assertThat(c).hadErrorContaining("Received: embedDim=10, numHeads=3").inFile(src).onLine(7);
  }

  @Test
  void aKeyWhoseFeaturesAreNotTheQuerys() {
    JavaFileObject src = source("Cross",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module",
        "public interface Cross {",
        "  @Input({5, 8}) Layer q();",
        "  @Input({7, 6}) Layer memory();",
        "  @MultiheadAttention(embedDim = 8, numHeads = 2, from = {\"q\", \"memory\", \"memory\"}) Layer attn();", // 9
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("attn (MultiheadAttention): key has 6 features but the query has 8: expected "
        + "kdim 8 (embed_dim, as no kdim is given)").inFile(src).onLine(9);
  }

  @Test
  void aQueryOfAnotherWidthThanEmbedDim() {
    JavaFileObject src = source("Width",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {6, 12})",
        "public interface Width {",
        "  @MultiheadAttention(embedDim = 8, numHeads = 2) Layer mha();",              // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("mha (MultiheadAttention): query has 12 features, expected embed_dim 8")
        .inFile(src).onLine(7);
  }

  @Test
  void kerasKeyAndValueOfDifferentLengths() {
    JavaFileObject src = source("Lengths",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module",
        "public interface Lengths {",
        "  @Input({5, 8}) Layer q();",
        "  @Input({7, 8}) Layer v();",
        "  @Input({6, 8}) Layer k();",
        "  @MultiHeadAttention(numHeads = 2, keyDim = 4, from = {\"q\", \"v\", \"k\"}) Layer mha();",   // 10
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("key has 6 steps but value has 7").inFile(src).onLine(10);
  }

  @Test
  void aMaskOfTheWrongShape() {
    JavaFileObject src = source("Mask",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module",
        "public interface Mask {",
        "  @Input({5, 8}) Layer q();",
        "  @Input({7, 8}) Layer v();",
        "  @Input({7, 5}) Layer m();",
        "  @MultiHeadAttention(numHeads = 2, keyDim = 4, from = {\"q\", \"v\", \"m\"}, attentionMask = true)",
        "  Layer mha();",                                                                               // 11
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("attention_mask is [7,5], expected (query time, key time) [5,7]")
        .inFile(src).onLine(10);
  }

  @Test
  void aPytorchCallWithTwoTensors() {
    JavaFileObject src = source("Two",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module",
        "public interface Two {",
        "  @Input({5, 8}) Layer q();",
        "  @Input({7, 8}) Layer kv();",
        "  @MultiheadAttention(embedDim = 8, numHeads = 2, from = {\"q\", \"kv\"}) Layer mha();",       // 9
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("from names the query, key and value").inFile(src).onLine(9);
  }

  @Test
  void selfAttentionBlocksCompile() {
    JavaFileObject src = source("Encoder",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.keras.*;",
        "@Module(input = {6, 16})",
        "public interface Encoder {",
        "  @MultiHeadAttention(numHeads = 4, keyDim = 4, useCausalMask = true) Layer mha();",
        "  @Add(from = {\"input\", \"mha\"}) Layer add();",
        "  @LayerNormalization Layer norm();",
        "  @GlobalAveragePooling1D Layer pool();",
        "  @Dense(units = 3) Layer head();",
        "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
