package dev.sequent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in using blocks ({@code @Block}, {@code @Use}, {@code @Stage}, {@code @Bind},
 * {@code @If}) as javac errors with message, file and line. An error that a use's arguments cause
 * inside a block is reported on that use in the model, naming the nesting and the block's own line.
 */
class BlockDiagnosticsTest {

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new SequentProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  /** A residual block without a downsample path: right only while channels do not change. */
  private static JavaFileObject residual() {
    return source("Res",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\", \"int stride = 1\"})",
        "public interface Res {",
        "  @Conv2d(kernel = 3, padding = 1) @Bind(\"out = planes, stride = stride\") Layer conv();",  // 6
        "  @ReLU Layer relu();",                                                                     // 7
        "  @Add(from = {\"input\", \"relu\"}) Layer add();",                                        // 8
        "}");
  }

  @Test
  void anArgumentOfTheWrongType() {
    JavaFileObject model = source("WrongType",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface WrongType {",
        "  @Use(value = Res.class, args = \"planes = true\") Layer a();",   // 7
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a (Res): argument planes of Res is int but true is boolean")
        .inFile(model).onLine(7);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void unknownAndMissingArguments() {
    JavaFileObject model = source("Args",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface Args {",
        "  @Use(value = Res.class, args = \"planes = 8, strid = 2\") Layer a();",   // 7
        "  @Use(value = Res.class) Layer b();",                                   // 8
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).hadErrorContaining("a (Res): Res has no parameter strid (it has: planes, stride); "
        + "did you mean \"stride\"?").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("b (Res): argument planes is required: Res(planes, stride)")
        .inFile(model).onLine(8);
  }

  @Test
  void aBlockWhoseOutputDoesNotFitTheNextLayer() {
    JavaFileObject model = source("Misfit",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {8, 8, 8})",
        "public interface Misfit {",
        "  @Use(value = Res.class, args = \"planes = 8\") Layer block();",
        "  @Conv2d(in = 16, out = 4, kernel = 1) Layer head();",      // 9
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("head (Conv2d): ").inFile(model).onLine(9);
    assertThat(c).hadErrorContaining("shape chain: input [8,8,8] -> block.add [8,8,8]").inFile(model).onLine(9);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void aResidualAddOfMismatchedShapesInsideTheThirdUse() {
    JavaFileObject model = source("ThirdUse",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface ThirdUse {",
        "  @Use(value = Res.class, args = \"planes = 8\") Layer a();",
        "  @Use(value = Res.class, args = \"planes = 8\") Layer b();",
        "  @Use(value = Res.class, args = \"planes = 16\") Layer c();",   // 9
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("c.add (Add): ").inFile(model).onLine(9);
    assertThat(c).hadErrorContaining("inputs: b.add [8,8,8], c.relu [16,8,8]").inFile(model).onLine(9);
    assertThat(c).hadErrorContaining("in c = Res(planes = 16) at ThirdUse.java:9").inFile(model).onLine(9);
    assertThat(c).hadErrorContaining("block layer: Res.add() at Res.java:8").inFile(model).onLine(9);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void aStrideTooLargeForTheInputIsReportedOnTheArgument() {
    JavaFileObject model = source("Stride",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Stage;",
        "@Module(input = {8, 4, 4})",
        "public interface Stride {",
        "  @Stage(block = Res.class, count = 2, args = \"planes = 8\",",
        "      first = \"stride = 0\") Layer layer1();",                  // 8: the first attribute
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("layer1.0.conv (@Conv2d): stride must be positive. Received: stride=0")
        .inFile(model).onLine(8);
    assertThat(c).hadErrorContaining("in layer1.0 = Res(planes = 8, stride = 0) at Stride.java:7");
  }

  @Test
  void aStrideThatBreaksTheResidualAddIsReportedOnTheArgument() {
    JavaFileObject model = source("StridedStage",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Stage;",
        "@Module(input = {8, 8, 8})",
        "public interface StridedStage {",
        "  @Stage(block = Res.class, count = 2, args = \"planes = 8\",",
        "      first = \"stride = 2\") Layer layer1();",                  // 8
        "}");
    Compilation c = compile(model, residual());
    assertThat(c).hadErrorContaining("layer1.0.add (Add): inputs have different shapes: [8,8,8] and [8,4,4]")
        .inFile(model).onLine(8);
    assertThat(c).hadErrorContaining("in layer1.0 = Res(planes = 8, stride = 2) at StridedStage.java:7");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void nestedBlocksNameEveryUseOnTheWay() {
    JavaFileObject outer = source("Pair",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Block(params = {\"int width\"})",
        "public interface Pair {",
        "  @Use(value = Res.class, args = \"planes = width\") Layer first();",
        "  @Use(value = Res.class, args = \"planes = width * 2\") Layer second();",   // 6
        "}");
    JavaFileObject model = source("Nested",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface Nested {",
        "  @Use(value = Pair.class, args = \"width = 8\") Layer pair();",   // 7
        "}");
    Compilation c = compile(model, outer, residual());
    assertThat(c).hadErrorContaining("pair.second.add (Add): ").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("in pair = Pair(width = 8) at Nested.java:7").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("in pair.second = Res(planes = width * 2) at Pair.java:6").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("block layer: Res.add() at Res.java:8").inFile(model).onLine(7);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void bindChecksTheAttributeAndItsType() {
    JavaFileObject block = source("BadBind",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\", \"boolean wide = false\"})",
        "public interface BadBind {",
        "  @Conv2d(kernel = 1) @Bind(\"out = wide\") Layer conv();",      // 6
        "}");
    JavaFileObject model = source("UsesBadBind",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface UsesBadBind {",
        "  @Use(value = BadBind.class, args = \"planes = 4\") Layer b();",   // 7
        "}");
    Compilation c = compile(model, block);
    assertThat(c).hadErrorContaining("@Bind on conv(): @Conv2d.out is int but wide is boolean")
        .inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("block layer: BadBind.conv() at BadBind.java:6");
  }

  @Test
  void anOptionalLayerThatIsAbsentIsTheIdentity() {
    JavaFileObject block = source("Opt",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\"})",
        "public interface Opt {",
        "  @Conv2d(kernel = 3, padding = 1) @Bind(\"out = planes\") Layer conv();",
        "  @If(\"in[0] != planes\") @From(\"input\") @Conv2d(kernel = 1) @Bind(\"out = planes\") Layer proj();",
        "  @Add(from = {\"conv\", \"proj\"}) Layer add();",
        "}");
    JavaFileObject model = source("Opts",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8, 8, 8})",
        "public interface Opts {",
        "  @Use(value = Opt.class, args = \"planes = 8\") Layer same();",
        "  @Use(value = Opt.class, args = \"planes = 16\") Layer wider();",
        "}");
    Compilation c = compile(model, block);
    assertThat(c).succeeded();
    String generated = source(c);
    org.assertj.core.api.Assertions.assertThat(generated)
        .contains("new Node(\"same.add\", new ElementwiseMerge(Framework.TORCH, MergeOperator.ADD, 2), List.of(\"same.conv\", \"input\"))")
        .contains("new Node(\"wider.proj\"")
        .contains("List.of(\"wider.conv\", \"wider.proj\")")
        .doesNotContain("\"same.proj\"")
        .contains("new ModuleTree.Container(\"same\", \"Opt\", \"same.add\")");
  }

  @Test
  void bindOutsideABlockAndAStageWithoutBlocks() {
    JavaFileObject model = source("Outside",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.torch.*;",
        "@Module(input = {8, 8, 8})",
        "public interface Outside {",
        "  @Conv2d(out = 4, kernel = 1) @Bind(\"out = planes\") Layer conv();",   // 7
        "  @Stage(count = 2) Layer stage();",                                      // 8
        "}");
    Compilation c = compile(model);
    assertThat(c).hadErrorContaining("@Bind on conv(): only layers inside a @Block take it").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("@Stage stage: give either value = {@Use(...), ...} or block = X.class")
        .inFile(model).onLine(8);
  }

  @Test
  void notABlockAndABlockThatUsesItself() {
    JavaFileObject loop = source("Loop",
        "package test;",
        "import dev.sequent.dsl.*;",
        "@Block(params = {\"int n\"})",
        "public interface Loop {",
        "  @Use(value = Loop.class, args = \"n = n\") Layer again();",
        "}");
    JavaFileObject plain = source("Plain",
        "package test;",
        "import dev.sequent.dsl.*;",
        "public interface Plain {",
        "  @ReLU Layer relu();",
        "}");
    JavaFileObject model = source("Loops",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "@Module(input = {8})",
        "public interface Loops {",
        "  @Use(value = Loop.class, args = \"n = 1\") Layer a();",   // 7
        "  @Use(Plain.class) Layer b();",                              // 8
        "}");
    Compilation c = compile(model, loop, plain);
    assertThat(c).hadErrorContaining("block Loop uses itself (at a.again)").inFile(model).onLine(7);
    assertThat(c).hadErrorContaining("Plain used by b() is not a block: annotate the interface test.Plain with @Block")
        .inFile(model).onLine(8);
  }

  @Test
  void defaultsOutputAndNumberedChildren() {
    JavaFileObject block = source("Wide",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int planes\", \"int width = planes * 2\"}, output = \"hidden\")",
        "public interface Wide {",
        "  @Linear @Bind(\"out = width\") Layer hidden();",
        "  @ReLU Layer act();",
        "}");
    JavaFileObject seq = source("Seq",
        "package test;",
        "import dev.sequent.dsl.*;",
        "import dev.sequent.dsl.torch.*;",
        "@Block(params = {\"int n\"}, sequential = true)",
        "public interface Seq {",
        "  @Linear @Bind(\"out = n\") Layer fc();",
        "  @ReLU @Functional Layer act();",
        "  @If(\"n > 100\") @Dropout Layer drop();",
        "  @Use(value = Wide.class, args = \"planes = n\") Layer wide();",
        "}");
    JavaFileObject model = source("Defaults",
        "package test;",
        "import dev.sequent.dsl.Layer;",
        "import dev.sequent.dsl.Module;",
        "import dev.sequent.dsl.Use;",
        "import dev.sequent.dsl.torch.Linear;",
        "@Module(input = {4})",
        "public interface Defaults {",
        "  @Use(value = Seq.class, args = \"n = 3\") Layer seq();",
        "  @Linear(out = 2) Layer head();",
        "}");
    Compilation c = compile(model, block, seq);
    assertThat(c).succeeded();
    String generated = source(c, "DefaultsNet.java");
    org.assertj.core.api.Assertions.assertThat(generated)
        // children numbered among modules only: the functional ReLU and the absent Dropout take none
        .contains("new Node(\"seq.0\", new Dense(Framework.TORCH, 3, 0, true, Activation.LINEAR), List.of(\"input\"))")
        .contains("new Node(\"seq.act\"")
        .contains("new Node(\"seq.1.hidden\", new Dense(Framework.TORCH, 6, 0, true, Activation.LINEAR), List.of(\"seq.act\"))")
        .doesNotContain("seq.drop")
        // the block's declared output is its hidden layer, not the last one
        .contains("new Node(\"head\", new Dense(Framework.TORCH, 2, 0, true, Activation.LINEAR), List.of(\"seq.1.hidden\"))")
        .contains("new ModuleTree.Container(\"seq.1\", \"Wide\", \"seq.1.hidden\")")
        .contains("List.of(\"seq.act\")");
  }

  private static String source(Compilation c) {
    return source(c, "OptsNet.java");
  }

  private static String source(Compilation c, String file) {
    return c.generatedFiles().stream()
        .filter(f -> f.getName().endsWith(file) && f.getKind() == JavaFileObject.Kind.SOURCE)
        .findFirst().map(f -> {
          try {
            return f.getCharContent(true).toString();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).orElseThrow(() -> new AssertionError("no " + file + " in " + StandardLocation.SOURCE_OUTPUT));
  }
}
