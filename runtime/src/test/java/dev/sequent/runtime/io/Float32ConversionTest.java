package dev.sequent.runtime.io;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.torchIo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dtype policy on real files: torch.save and safetensors.torch.save_file of the batchnorm
 * reference state_dict cast to float64 / float16 / bfloat16 (fixtures/io/make_torch_io_fixtures.py).
 */
class Float32ConversionTest {

  /** What the warning reports goes to slf4j-simple, which writes to the current System.err. */
  private static <T> T capturingWarnings(StringBuilder log, Supplier<T> action) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return action.get();
    } finally {
      System.setErr(original);
      log.append(err.toString(StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "float64.pt, float64, 0", "float64.safetensors, float64, 0",
      // float16: 11 significant bits; bfloat16: 8 (round to nearest: half an ulp)
      "float16.pt, float16, 4.8828125e-4", "float16.safetensors, float16, 4.8828125e-4",
      "bfloat16.pt, bfloat16, 3.90625e-3", "bfloat16.safetensors, bfloat16, 3.90625e-3"})
  void otherFloatsBecomeFloat32WithOneWarningNamingFileAndTensors(String file, String dtype, double relative) {
    Path path = torchIo("dtypes", file);
    StringBuilder log = new StringBuilder();
    WeightFile read = capturingWarnings(log, () -> WeightFiles.read(path));
    WeightFile original = WeightFiles.read(reference("batchnorm", "torch_state_dict.pt"));
    assertThat(read.tensors().keySet()).containsExactlyInAnyOrderElementsOf(original.tensors().keySet());
    for (NamedTensor want : original.tensors().values()) {
      float[] got = read.tensors().get(want.name()).data();
      assertThat(read.tensors().get(want.name()).shape()).isEqualTo(want.shape());
      for (int i = 0; i < got.length; i++) {
        double e = want.data()[i];
        // half an ulp relative, or float16's smallest subnormal for tiny values
        assertThat((double) got[i]).as(file + " " + want.name() + "[" + i + "]")
            .isCloseTo(e, org.assertj.core.data.Offset.offset(Math.abs(e) * relative + (relative > 0 ? 6e-8 : 0)));
      }
    }
    assertThat(read.tensors().get("0.num_batches_tracked").data()).containsExactly(37f);
    String warning = log.toString();
    assertThat(warning).contains("WARN").contains(path.toString()).contains("converted to float32")
        .contains(": " + dtype + " ").doesNotContain("num_batches_tracked");
    for (String tensor : new String[] {"0.weight", "0.bias", "0.running_mean", "0.running_var", "1.weight", "1.bias"}) {
      assertThat(warning).contains(tensor); // in file order: a safetensors file orders by dtype, then name
    }
    assertThat(warning.lines().filter(l -> l.contains("converted to float32"))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"torch_state_dict.pt", "torch_model.safetensors"})
  void float32FilesGiveNoWarning(String file) {
    StringBuilder log = new StringBuilder();
    capturingWarnings(log, () -> WeightFiles.read(reference("batchnorm", file)));
    assertThat(log.toString()).doesNotContain("converted to float32");
  }

  @ParameterizedTest
  @ValueSource(strings = {"int_weight.pt"})
  void integerWeightsAreRefused(String file) {
    Path path = torchIo("dtypes", file);
    WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFiles.read(path));
    assertThat(e.getMessage()).startsWith(path.toString()).contains("tensor 0.weight is int64")
        .contains("integer tensors are not weights");
  }
}
