package dev.sequent.runtime.cli;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code predict} on models that start with an embedding reads the ids as the frameworks saved
 * them, int32 (Keras) and int64 (PyTorch) {@code .npy} files, and an id outside the table is a
 * one-line refusal naming the layer, the id and the range.
 */
class SequenceCliTest {
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

  private static Path sequence(String file) {
    return root().resolve("sequence").resolve(file);
  }

  @Test
  void predictTakesInt32AndInt64Ids() {
    Path out = tmp.resolve("k.npy");
    Run r = run("predict", sequence("keras_embedding_conv1d.h5").toString(), "--input",
        sequence("keras_embedding_conv1d_input.npy").toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertClose(floats(sequence("keras_embedding_conv1d_output.npy")), floats(out), "predict int32 ids");

    out = tmp.resolve("t.npy");
    r = run("predict", sequence("torch_embedding.pt").toString(), "--input-shape", "20", "--input",
        sequence("torch_embedding_input.npy").toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertClose(floats(sequence("torch_embedding_output.npy")), floats(out), "predict int64 ids");
  }

  /**
   * With no Java source: the reference LSTM text classifier as real Keras 3 and tf_keras saved it
   * (fixtures/text_lstm), and a model whose Embedding(mask_zero=True) masks the LSTM's steps.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text_lstm/keras_text_lstm.keras", "text_lstm/keras_text_lstm.h5",
      "recurrent_graphs/keras_embedding_mask.keras", "recurrent_graphs/keras_embedding_mask.h5"})
  void predictRunsRecurrentKerasFiles(String file) {
    Path model = root().resolve(file);
    String stem = model.getFileName().toString().replaceFirst("\\.[a-z0-9]+$", "");
    Path out = tmp.resolve(stem + ".npy");
    Run r = run("predict", model.toString(), "--input", model.resolveSibling(stem + "_input.npy").toString(),
        "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertClose(floats(model.resolveSibling(stem + "_output.npy")), floats(out), "predict " + file);
  }

  @Test
  void anIdOutsideTheTableIsAOneLineRefusal() throws Exception {
    INDArray ids = Nd4j.createFromNpyFile(sequence("torch_embedding_input.npy").toFile());
    ids.putScalar(new long[] {2, 5}, 100);
    Path bad = tmp.resolve("bad.npy");
    Nd4j.writeAsNumpy(ids, bad.toFile());
    Run r = run("predict", sequence("torch_embedding.pt").toString(), "--input-shape", "20", "--input",
        bad.toString(), "--output", tmp.resolve("y.npy").toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err().strip()).isEqualTo("sequent: layer 0 (Embedding): input 100.0 (sample 2, step 5) is not an "
        + "id in [0, 100): ids must be integers below the vocabulary size");
  }

  private static INDArray floats(Path file) {
    return Nd4j.createFromNpyFile(file.toFile()).castTo(DataType.FLOAT);
  }
}
