package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.torchIo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The command-line contract: exit codes, one-line reasons, .npy in and out. */
class SequentCliTest {
  @TempDir Path tmp;

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(SequentCli.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
    }
  }

  @Test
  void predictOnAWholePickledModelReproducesPyTorch() {
    Path out = tmp.resolve("y.npy");
    Run r = run("predict", reference("lenet5", "torch_model.pt").toString(),
        "--input", reference("lenet5", "input_torch.npy").toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertClose(npy("lenet5", "output_torch.npy"), Nd4j.createFromNpyFile(out.toFile()), "predict lenet5");
  }

  @Test
  void predictOnTorchScriptAndLegacyModelsReproducesPyTorch() {
    for (Path model : new Path[] {reference("lenet5", "torchscript.pt"), torchIo("lenet5", "torchscript_traced.pt"),
        torchIo("lenet5", "legacy_model.pt")}) {
      Path out = tmp.resolve(model.getFileName() + ".npy");
      Run r = run("predict", model.toString(), "--input", reference("lenet5", "input_torch.npy").toString(),
          "--output", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertClose(npy("lenet5", "output_torch.npy"), Nd4j.createFromNpyFile(out.toFile()), "predict " + model);
    }
  }

  @Test
  void summaryPrintsKerasTableForTheGivenColumns() throws IOException {
    // fixtures/make_summary_fixtures.py: Keras 3's summary() of the same file in an 80-column terminal
    Path model = dev.sequent.runtime.testing.Fixtures.root().resolve("graphs").resolve("shared_conv.keras");
    String expected = Files.readString(dev.sequent.runtime.testing.Fixtures.root().resolve("summaries")
        .resolve("graphs__shared_conv.keras.keras80.txt"));
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Run r;
    try {
      r = run("summary", model.toString(), "--columns", "80");
    } finally {
      System.setOut(originalOut);
    }
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void checkpointOptionsReachTheReader() {
    Path checkpoint = torchIo("checkpoint", "checkpoint.pt");
    Run r = run("summary", checkpoint.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("\"model\" (4 tensors)").contains("\"ema\" (4 tensors)").contains("--entry KEY");
    r = run("summary", checkpoint.toString(), "--entry", "ema");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("holds weights only (torch-zip/checkpoint[ema])").contains("--class");
    r = run("summary", torchIo("checkpoint", "model_in_checkpoint.pt").toString(), "--entry", "model");
    assertThat(r.code()).as(r.err()).isZero();
    r = run("summary", reference("lenet5", "keras2.h5").toString(), "--strip-prefix", "module.");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("apply to PyTorch files only");
  }

  @Test
  void failuresExitNonZeroWithOneLineReason() throws IOException {
    Path out = tmp.resolve("y.npy");
    Path missing = tmp.resolve("nope.pt");
    Run r = run("predict", missing.toString(), "--input", reference("lenet5", "input_torch.npy").toString(),
        "--output", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("sequent: ").contains("nope.pt").contains("no such file");
    assertThat(r.err().strip().lines()).hasSize(1);

    Path notNpy = Files.writeString(tmp.resolve("x.npy"), "not numpy");
    r = run("predict", reference("lenet5", "torch_model.pt").toString(), "--input", notNpy.toString(),
        "--output", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("not a NumPy .npy file");

    r = run("predict", reference("lenet5", "torch_state_dict.pt").toString(), "--input",
        reference("lenet5", "input_torch.npy").toString(), "--output", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("weights only").contains("--class");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void wrongInputLayoutIsExplained() {
    Run r = run("predict", reference("lenet5", "torch_model.pt").toString(),
        "--input", reference("lenet5", "input_keras.npy").toString(), "--output", tmp.resolve("y.npy").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("input has 28 channels, expected 1").contains("channels-first input")
        .doesNotContain("Exception");
  }

  @Test
  void successIsSilentOnStderrEvenReadingTheH5FilesSequentWrites() {
    // jhdf pads the attribute messages it writes and warns about the padding when reading them back
    Path h5 = tmp.resolve("lenet5.h5");
    Run r = run("convert", reference("lenet5", "torch_model.pt").toString(), h5.toString(), "--input-shape", "1,28,28");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    r = run("summary", h5.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
  }

  /**
   * In a fresh JVM with Sequent's own classpath (no test logging config), {@code predict} writes
   * nothing on stdout: jhdf's bundled simplelogger.properties sends logging to System.out, and
   * reading the input .npy used to start ND4J (and its INFO banner) before Sequent set its defaults.
   */
  @Test
  void predictPrintsNothingOnStdoutInAFreshJvm() throws Exception {
    String classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(p -> !p.contains("test-classes")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    Path out = tmp.resolve("ln.npy");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "dev.sequent.runtime.cli.SequentCli", "predict",
        reference("layernorm", "torch_model.pt").toString(), "--input", reference("layernorm", "input_torch.npy").toString(),
        "--output", out.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String stdout = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(stdout).isEmpty();
    assertThat(Files.size(out)).isPositive();
  }

  /**
   * {@code convert --report}: the mapping, each tensor's transformation (the Linear after the
   * flattened image has its input rows reordered), the twin's architecture and the output
   * difference Sequent measures between the PyTorch LeNet-5 and the .keras read back.
   */
  @Test
  void convertWritesAReportWithTheMappingTheTwinAndTheMeasuredDifference() throws IOException {
    Path keras = tmp.resolve("lenet5.keras");
    Path report = tmp.resolve("lenet5.json");
    Run r = run("convert", reference("lenet5", "torch_model.pt").toString(), keras.toString(), "--input-shape",
        "1,28,28", "--report", report.toString());
    assertThat(r.code()).as(r.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
    assertThat(json.get("whole_model").asBoolean()).isTrue();
    assertThat(json.get("target_format").asText()).isEqualTo("keras-archive");
    assertThat(json.get("source_framework").asText()).isEqualTo("torch");
    com.fasterxml.jackson.databind.JsonNode first = json.get("tensors").get(0);
    assertThat(first.get("source").asText()).isEqualTo("0.weight");
    assertThat(first.get("target").asText()).isEqualTo("layers/conv2d/vars/0");
    assertThat(first.get("source_shape").asText()).isEqualTo("[6,1,5,5]");
    assertThat(first.get("transformation").asText()).contains("OIHW -> HWIO");
    assertThat(json.get("tensors").findValuesAsText("transformation")).anyMatch(t -> t.contains("CHW -> HWC"));
    assertThat(json.get("keras_twin").get("inputs").get(0).get("shape").asText()).isEqualTo("[28,28,1]");
    assertThat(json.get("keras_twin").get("layers").findValuesAsText("class_name"))
        .containsSubsequence("Conv2D", "AveragePooling2D", "Flatten", "Dense");
    com.fasterxml.jackson.databind.JsonNode measured = json.get("measured");
    assertThat(measured.get("within_tolerance").asBoolean()).as(measured.toString()).isTrue();
    assertThat(measured.get("max_abs_diff").asDouble()).isLessThan(1e-5);
    assertThat(measured.get("seed").asLong()).isEqualTo(ConvertReport.SEED);
  }

  /** The refused .keras of a model without a twin names the layer and why, in one line; no report then. */
  @Test
  void convertOfAModelWithoutATwinToKerasFailsInOneLine() {
    Path keras = tmp.resolve("tconv.keras");
    Run r = run("convert", dev.sequent.runtime.testing.Fixtures.root().resolve("conv_transpose/torch_tconv.pt")
        .toString(), keras.toString(), "--input-shape", "3,5,5", "--report", tmp.resolve("r.json").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains("layer 3 (ConvTranspose2d)")
        .contains("strides > 1 with dilation > 1");
    assertThat(keras).doesNotExist();
    assertThat(tmp.resolve("r.json")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("predict").code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
  }
}
