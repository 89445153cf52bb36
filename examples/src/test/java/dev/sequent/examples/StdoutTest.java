package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.cli.SequentCli;
import dev.sequent.runtime.testing.Fixtures;
import dev.sequent.runtime.testing.FreshJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./sequent} and {@code ./demo} print their result and nothing else on stdout: each
 * command on a Keras 3, a Keras 2 and a PyTorch file, and the demo, in a JVM of its own on exactly
 * the scripts' classpath (this module's classes and target/sequent.classpath, so the logging
 * binding they ship and the logging configuration jhdf's jar bundles, with no test configuration).
 * The expected stdout is the same command run in this JVM.
 */
@Timeout(FreshJvm.TIMEOUT_SECONDS + 60)
class StdoutTest {
  private static final String CLI = "dev.sequent.runtime.cli.SequentCli";
  /** Every tensor of LeNet-5: five layers with a weight and a bias each. */
  private static final int LENET5_TENSORS = 10;

  @TempDir Path tmp;

  /** The classpath of ./sequent and ./demo. */
  private static List<Path> scriptsClasspath() throws IOException {
    return FreshJvm.classpath(Path.of("target", "classes"), Path.of("target", "sequent.classpath"));
  }

  private static FreshJvm fresh(String mainClass, String... args) throws Exception {
    FreshJvm r = FreshJvm.run(scriptsClasspath(), mainClass, args);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(FreshJvm.logLines(r.out())).as("log lines on stdout").isEmpty();
    // the scripts bring exactly one binding: SLF4J reports none or several on stderr
    assertThat(r.err()).doesNotContain("SLF4J");
    return r;
  }

  /** What {@code call} prints on stdout in this JVM. */
  private static String stdoutOf(Callable<?> call) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      call.call();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String cliStdout(String... args) throws Exception {
    return stdoutOf(() -> {
      assertThat(SequentCli.run(args)).isZero();
      return null;
    });
  }

  private static boolean keras(String file) {
    return file.startsWith("keras");
  }

  /** The arguments that open {@code file}: a pickled PyTorch model starting with a convolution needs its input shape. */
  private static List<String> open(String file) {
    List<String> args = new ArrayList<>(List.of(reference("lenet5", file).toString()));
    if (!keras(file)) {
      args.addAll(List.of("--input-shape", "1,28,28"));
    }
    return args;
  }

  private static String[] array(List<String> args) {
    return args.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras3.keras", "keras2.h5", "torch_model.pt"})
  void summaryPrintsTheTableOnly(String file) throws Exception {
    List<String> args = new ArrayList<>(List.of("summary"));
    args.addAll(open(file));
    String table = keras(file) ? Network.load(reference("lenet5", file)).summary()
        : Network.load(reference("lenet5", file), Shape.of(1, 28, 28)).summary();
    assertThat(cliStdout(array(args))).isEqualTo(table);

    assertThat(fresh(CLI, array(args)).out()).isEqualTo(table);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras3.keras", "keras2.h5", "torch_model.pt"})
  void predictPrintsNothing(String file) throws Exception {
    Path output = tmp.resolve("y.npy");
    FreshJvm r = fresh(CLI, "predict", reference("lenet5", file).toString(),
        "--input", reference("lenet5", keras(file) ? "input_keras.npy" : "input_torch.npy").toString(),
        "--output", output.toString());
    assertThat(r.out()).isEmpty();
    assertThat(Files.size(output)).isPositive();
  }

  /** convert's result is the mapping it used (docs/cli.md): on stdout, and alone there. */
  @ParameterizedTest
  @ValueSource(strings = {"keras3.keras", "keras2.h5", "torch_model.pt"})
  void convertPrintsItsMappingOnly(String file) throws Exception {
    String target = switch (file) {
      case "keras3.keras" -> "lenet5.pt";
      case "keras2.h5" -> "lenet5.safetensors";
      default -> "lenet5.h5";
    };
    Path out = tmp.resolve(target);
    List<String> args = new ArrayList<>(List.of("convert"));
    args.addAll(open(file));
    args.add(1 + 1, out.toString()); // convert MODEL OUT [options]
    String expected = cliStdout(array(args));
    List<String> lines = expected.lines().toList();
    assertThat(lines.get(0)).startsWith("wrote " + out + " for the " + (keras(file) ? "PyTorch" : "Keras")
        + " equivalent of ").endsWith(":");
    List<String> mapping = lines.subList(target.endsWith(".h5") ? 2 : 1, lines.size());
    assertThat(mapping).hasSize(LENET5_TENSORS).allMatch(l -> l.matches("  \\S+ +-> \\S+ +\\[[0-9,]+\\] +.*"));
    Files.delete(out);

    assertThat(fresh(CLI, array(args)).out()).isEqualTo(expected);
    assertThat(Files.size(out)).isPositive();
  }

  @Test
  void verboseLogsGoToStderr() throws Exception {
    Path model = reference("lenet5", "keras2.h5");
    FreshJvm r = FreshJvm.run(scriptsClasspath(), CLI, "summary", "-v", model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("] INFO io.jhdf.HdfFile - Opening HDF5 file").contains("] INFO org.nd4j");
    assertThat(r.out()).isEqualTo(Network.load(model).summary());
  }

  @Test
  void demoPrintsItsReportOnly() throws Exception {
    String fixtures = Fixtures.root().toString();
    String report = stdoutOf(() -> {
      Demo.main(new String[] {fixtures});
      return null;
    });
    assertThat(report).startsWith("LeNet-5, declared in Java; shapes checked by javac:" + System.lineSeparator());
    assertThat(report.lines().filter(l -> l.startsWith("Weights from "))).hasSize(3);
    assertThat(report.lines().filter(l -> l.startsWith("  max |Sequent - framework| over 8 x 10 outputs: ")))
        .hasSize(3);

    assertThat(fresh("dev.sequent.examples.Demo", fixtures).out()).isEqualTo(report);
  }
}
