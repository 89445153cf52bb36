package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sequent import}: the source file under the package's folders, its path on stdout; refusals on stderr. */
class ImportCliTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = SequentCli.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void writesTheInterfaceUnderThePackage(@TempDir Path dir) throws Exception {
    Run r = run("import", root().resolve("export/lstm_classifier.pt2").toString(), "--package", "com.example.m",
        "--name", "Lstm", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path file = dir.resolve("com/example/m/Lstm.java");
    assertThat(r.out()).isEqualTo(file + System.lineSeparator());
    assertThat(Files.readString(file)).contains("package com.example.m;")
        .contains("@Module(input = 5, name = \"lstm_classifier\")\npublic interface Lstm {")
        .contains("  @LSTM(inputSize = 8, hiddenSize = 12, batchFirst = true, take = \"output[:, -1]\") Layer lstm();\n");
  }

  @Test
  void aLayerWithoutAnAnnotationIsAOneLineError(@TempDir Path dir) {
    Run r = run("import", root().resolve("applications/inception_resnet_mini.keras").toString(), "--package", "p",
        "--name", "M", "--out", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("sequent: layer custom_scale_layer (CustomScaleLayer, kind ScaledSumKind) has no "
        + "DSL annotation");
    assertThat(dir.resolve("p")).doesNotExist();
  }

  @Test
  void theOptionsAreRequired() {
    Run r = run("import", root().resolve("export/lstm_classifier.pt2").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required options");
  }
}
