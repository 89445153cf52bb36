package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ./sequent predict} with no Java source on the Transformer encoder reference models saved by
 * real Keras 3 ({@code .keras}) and tf_keras ({@code .h5}) (fixtures/attention): Embedding on int32
 * ids or a Dense projection, MultiHeadAttention (causal in the second), residual sums,
 * LayerNormalization, a gelu feed-forward, pooling and a head; the output is Keras'.
 */
class AttentionCliTest {
  @TempDir Path tmp;

  private static Path attention(String file) {
    return root().resolve("attention").resolve(file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_encoder.keras", "keras_encoder.h5", "keras_encoder_causal.keras",
      "keras_encoder_causal.h5"})
  void predictReproducesKeras(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    Path out = tmp.resolve("y.npy");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = SequentCli.run("predict", attention(file).toString(), "--input",
          attention(stem + "_input.npy").toString(), "--output", out.toString());
    } finally {
      System.setErr(originalErr);
    }
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertClose(floats(attention(stem + "_output.npy")), floats(out), "predict " + file);
  }

  private static INDArray floats(Path file) {
    return Nd4j.createFromNpyFile(file.toFile()).castTo(DataType.FLOAT);
  }
}
