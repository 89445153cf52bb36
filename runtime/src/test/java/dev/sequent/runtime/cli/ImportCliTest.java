package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sequent import}: the source file under the package's folders, its path on stdout; refusals on stderr. */
class ImportCliTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void writesTheInterfaceUnderThePackage(@TempDir Path dir) throws Exception {
    CliRun r = run("import", root().resolve("export/lstm_classifier.pt2").toString(), "--package", "com.example.m",
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
    CliRun r = run("import", root().resolve("applications/inception_resnet_mini.keras").toString(), "--package", "p",
        "--name", "M", "--out", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("sequent: layer custom_scale_layer (CustomScaleLayer, kind ScaledSumKind) has no "
        + "DSL annotation");
    assertThat(dir.resolve("p")).doesNotExist();
  }

  @Test
  void theOptionsAreRequired() {
    CliRun r = run("import", root().resolve("export/lstm_classifier.pt2").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required options");
  }
}
