package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The recurrent layers' mistakes (LSTM, GRU, SimpleRNN, Bidirectional; nn.LSTM, nn.GRU, nn.RNN) as
 * javac errors with the message, file and line, as in {@link DiagnosticsTest}; one line per array
 * entry, so line N is element N-1.
 */
class RecurrentDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  @Test
  void anInputThatIsNotTimeByFeatures() {
    JavaFileObject src = source("Image",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.keras.*;",
        "@Sequential(input = {8, 8, 3})",
        "public interface Image {",
        "  @LSTM(units = 4) Layer lstm();",                                     // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("lstm (LSTM): input is [8,8,3]; LSTM takes (time, features) samples")
        .inFile(src).onLine(6);
  }

  @Test
  void initialStatesAreAsManyAsTheCellCarries() {
    JavaFileObject src = source("States",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@dev.sequent.dsl.Module(input = {10, 6})",
        "public interface States {",
        "  @GRU(hiddenSize = 8, batchFirst = true, take = \"h_n\") Layer enc();",
        "  @LSTM(hiddenSize = 8, initialState = {\"enc\"}) @From(\"input\") Layer one();",      // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("one (@LSTM): LSTM takes 2 initial state(s) (h, c); initialState names 1")
        .inFile(src).onLine(7);
  }

  @Test
  void anInitialStateHasTheLayersUnits() {
    JavaFileObject src = source("Narrow",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@dev.sequent.dsl.Module(input = {10, 6})",
        "public interface Narrow {",
        "  @GRU(hiddenSize = 8, batchFirst = true, take = \"h_n\") Layer enc();",
        "  @Linear(out = 3) Layer small();",
        "  @GRU(hiddenSize = 8, initialState = {\"small\"}) @From(\"input\") Layer narrow();", // 8
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("initial state h is [3]; this GRU of 8 units takes (8)").inFile(src).onLine(8);
  }

  @Test
  void aFinalStateIsNoSequenceForTheNextLayer() {
    JavaFileObject src = source("Stacked",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {10, 6})",
        "public interface Stacked {",
        "  @GRU(hiddenSize = 8, take = \"h_n\") Layer first();",
        "  @GRU(hiddenSize = 4) Layer second();",                                // 7
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("input is [8]; GRU takes (time, features) samples").inFile(src).onLine(7);
  }

  @Test
  void aFeatureSizeMismatch() {
    JavaFileObject src = source("Mismatch",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Sequential(input = {10, 6})",
        "public interface Mismatch {",
        "  @LSTM(inputSize = 5, hiddenSize = 8) Layer lstm();",                 // 6
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("input has 6 features, expected input_size 5").inFile(src).onLine(6);
  }

  @Test
  void optionsSequentRefuses() {
    JavaFileObject src = source("Options",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Sequential(input = {10, 6})",
        "public interface Options {",
        "  @dev.sequent.dsl.torch.LSTM(hiddenSize = 8, projSize = 4) Layer a();",              // 5
        "  @dev.sequent.dsl.torch.RNN(hiddenSize = 8, nonlinearity = \"sigmoid\") Layer b();",    // 6
        "  @dev.sequent.dsl.torch.GRU(hiddenSize = 8, take = \"c_n\") Layer c();",               // 7
        "  @dev.sequent.dsl.keras.Bidirectional(layer = \"Dense\", units = 3) Layer d();",       // 8
        "  @dev.sequent.dsl.keras.Bidirectional(layer = \"LSTM\", units = 3, mergeMode = \"None\") Layer e();", // 9
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a (@LSTM): proj_size is not supported").inFile(src).onLine(5);
    assertThat(c).hadErrorContaining("b (@RNN): nonlinearity is \"tanh\" or \"relu\". Received: "
        + "nonlinearity=\"sigmoid\"").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("c (@GRU): take is \"output\"").inFile(src).onLine(7);
    assertThat(c).hadErrorContaining("d (@Bidirectional): Bidirectional wraps SimpleRNN, LSTM or GRU. Received: "
        + "layer=\"Dense\"").inFile(src).onLine(8);
    assertThat(c).hadErrorContaining("e (@Bidirectional): merge_mode is concat, sum, mul or ave").inFile(src)
        .onLine(9);
  }

  @Test
  void bothVocabulariesCompile() {
    JavaFileObject src = source("Fine",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Sequential(input = {10, 6})",
        "public interface Fine {",
        "  @dev.sequent.dsl.keras.Bidirectional(layer = \"GRU\", units = 4, returnSequences = true) Layer a();",
        "  @dev.sequent.dsl.keras.SimpleRNN(units = 3, returnSequences = true, goBackwards = true) Layer b();",
        "  @dev.sequent.dsl.torch.LSTM(hiddenSize = 5, numLayers = 2, bidirectional = true, take = \"h_n\") Layer c();",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
  }
}
