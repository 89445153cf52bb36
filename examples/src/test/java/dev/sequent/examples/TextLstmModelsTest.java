package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasTextLstmNet;
import dev.sequent.examples.torch.TorchTextLstmNet;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference LSTM text classifier (Embedding -> LSTM -> Dense) declared in both vocabularies
 * loads the files real Keras 3, tf_keras and PyTorch saved of their own models (fixtures/text_lstm,
 * make_text_lstm_fixtures.py) and gives each framework's outputs on its ids, at batch 8 and one
 * sample at a time; each vocabulary loads the other framework's files, and the files Sequent writes
 * load back into the other twin.
 */
class TextLstmModelsTest {
  private static final Path DIR = root().resolve("text_lstm");

  @ParameterizedTest
  @CsvSource({"keras,keras_text_lstm.keras", "keras,keras_text_lstm.h5", "keras,keras_text_lstm.weights.h5",
      "keras,torch_text_lstm.pt", "torch,torch_text_lstm.pt", "torch,keras_text_lstm.keras",
      "torch,keras_text_lstm.h5", "torch,keras_text_lstm.weights.h5"})
  void eachTwinGivesTheFilesFrameworkOutput(String twin, String file, @TempDir Path tmp) throws java.io.IOException {
    Supplier<Network> make = twin.equals("keras") ? KerasTextLstmNet::create : TorchTextLstmNet::create;
    String stem = file.substring(0, file.indexOf('.'));
    INDArray ids = Nd4j.createFromNpyFile(DIR.resolve(stem + "_input.npy").toFile());
    INDArray expected = Nd4j.createFromNpyFile(DIR.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = make.get().loadWeights(DIR.resolve(file));
    assertBatchAndEachSample(net::forward, ids, expected, twin + " twin with " + file);
    // What this twin writes in the other framework's form loads into the other twin.
    boolean toTorch = twin.equals("keras");
    Path written = tmp.resolve(toTorch ? "w.pt" : "w.weights.h5");
    net.saveWeights(written);
    Network other = (toTorch ? TorchTextLstmNet.create() : KerasTextLstmNet.create()).loadWeights(written);
    assertClose(expected, other.forward(ids), (toTorch ? "torch" : "keras") + " twin with what the " + twin
        + " twin wrote of " + file);
  }

  /**
   * The last run of fixtures/check_text_lstm_writes.py: real PyTorch, Keras 3 and tf_keras read what
   * {@code ./sequent convert} wrote of these models, both directions, with the source's outputs.
   */
  @Test
  void theFrameworksReadWhatConvertWrites() {
    JsonNode results = Fixtures.json(DIR.resolve("sequent_writes_check.json")).get("results");
    assertThat(results.size()).isEqualTo(5);
    results.fields().forEachRemaining(r -> assertThat(r.getValue().get("pass").asBoolean()).as(r.getKey()).isTrue());
  }
}
