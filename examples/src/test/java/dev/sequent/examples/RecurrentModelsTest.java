package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.examples.keras.KerasBiGruNet;
import dev.sequent.examples.keras.KerasBiLstmNet;
import dev.sequent.examples.keras.KerasGruNet;
import dev.sequent.examples.keras.KerasLstmNet;
import dev.sequent.examples.torch.TorchBiGruNet;
import dev.sequent.examples.torch.TorchGruNet;
import dev.sequent.examples.torch.TorchRnnNet;
import dev.sequent.examples.torch.TorchLstmNet;
import dev.sequent.examples.torch.TorchStackedLstmNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.TorchSummary;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recurrent models declared in Java, in both vocabularies, load the files real Keras 3,
 * tf_keras and PyTorch saved (fixtures/recurrent) — their own framework's and the other's: the
 * PyTorch state_dict into the Keras-vocabulary twin, Keras' {@code .weights.h5} into the
 * PyTorch-vocabulary twin — and reproduce the source framework's output; what Sequent writes for
 * the other framework loads back into that framework's twin with the same output.
 */
class RecurrentModelsTest {
  private static Path dir() {
    return root().resolve("recurrent");
  }

  private static void reproduces(Network net, String stem, String what) {
    assertClose(npy(dir().resolve(stem + "_output.npy")), net.forward(npy(dir().resolve(stem + "_input.npy"))), what);
  }

  @Test
  void kerasLstmFromKerasAndItsPytorchTwinFromTheKerasWeights(@TempDir Path tmp) throws Exception {
    assertThat(KerasLstmNet.model().layer("lstm").outputShape()).isEqualTo(Shape.of(6, 5));
    assertThat(KerasLstmNet.OUTPUT_SHAPE).isEqualTo(Shape.of(3));
    for (String file : new String[] {"keras_lstm.keras", "keras_lstm.h5", "keras_lstm.weights.h5"}) {
      reproduces(Network.create(KerasLstmNet.model(), 1).loadWeights(dir().resolve(file)), "keras_lstm",
          "KerasLstm from " + file);
    }
    Network torch = Network.create(TorchStackedLstmNet.model(), 1).loadWeights(dir().resolve("keras_lstm.weights.h5"));
    reproduces(torch, "keras_lstm", "TorchStackedLstm from keras_lstm.weights.h5");
    // Sequent's own .pt of the Keras model, into the PyTorch twin.
    Network keras = Network.create(KerasLstmNet.model(), 1).loadWeights(dir().resolve("keras_lstm.keras"));
    keras.saveWeights(tmp.resolve("lstm.pt"));
    reproduces(Network.create(TorchStackedLstmNet.model(), 2).loadWeights(tmp.resolve("lstm.pt")), "keras_lstm",
        "TorchStackedLstm from Sequent's .pt");
    // ... and the PyTorch twin's .weights.h5 back into the Keras model.
    torch.saveWeights(tmp.resolve("lstm.weights.h5"));
    reproduces(Network.create(KerasLstmNet.model(), 3).loadWeights(tmp.resolve("lstm.weights.h5")), "keras_lstm",
        "KerasLstm from Sequent's .weights.h5");
  }

  @Test
  void pytorchLstmFromItsStateDictAndItsKerasTwinFromTheStateDict(@TempDir Path tmp) throws Exception {
    InferredModel model = TorchLstmNet.model();
    assertThat(model.outputShape()).isEqualTo(Shape.of(3));
    Network torch = Network.create(model, 1).loadWeights(dir().resolve("torch_lstm.pt"));
    reproduces(torch, "torch_lstm", "TorchLstm from torch_lstm.pt");
    Network keras = Network.create(KerasBiLstmNet.model(), 1).loadWeights(dir().resolve("torch_lstm.pt"));
    reproduces(keras, "torch_lstm", "KerasBiLstm from torch_lstm.pt");
    keras.saveWeights(tmp.resolve("bilstm.weights.h5"));
    reproduces(Network.create(KerasBiLstmNet.model(), 2).loadWeights(tmp.resolve("bilstm.weights.h5")), "torch_lstm",
        "KerasBiLstm from Sequent's .weights.h5");
    // torchinfo (fixtures/recurrent/versions.json): LSTM 1,120 params, 6,720 mult-adds (params x steps).
    assertThat(TorchSummary.rows(model).stream().map(TorchSummary.Row::params)).containsExactly(1120L, 33L);
    assertThat(TorchSummary.rows(model).stream().map(TorchSummary.Row::multAdds)).containsExactly(6720L, 33L);
    assertThat(TorchSummary.totals(model).multAdds()).isEqualTo(6753L);
    assertThat(TorchLstmNet.TORCH_PARAMS).isEqualTo(1153L);
  }

  @Test
  void gruBothWays(@TempDir Path tmp) throws Exception {
    reproduces(Network.create(TorchGruNet.model(), 1).loadWeights(dir().resolve("torch_gru.pt")), "torch_gru",
        "TorchGru from torch_gru.pt");
    reproduces(Network.create(KerasGruNet.model(), 1).loadWeights(dir().resolve("torch_gru.pt")), "torch_gru",
        "KerasGru from torch_gru.pt");
    reproduces(Network.create(KerasGruNet.model(), 1).loadWeights(dir().resolve("keras_gru_reset_after.keras")),
        "keras_gru_reset_after", "KerasGru from keras_gru_reset_after.keras");
    Network torch = Network.create(TorchGruNet.model(), 1)
        .loadWeights(dir().resolve("keras_gru_reset_after.weights.h5"));
    reproduces(torch, "keras_gru_reset_after", "TorchGru from keras_gru_reset_after.weights.h5");
    torch.saveWeights(tmp.resolve("gru.weights.h5"));
    reproduces(Network.create(KerasGruNet.model(), 1).loadWeights(tmp.resolve("gru.weights.h5")),
        "keras_gru_reset_after", "KerasGru from Sequent's .weights.h5");
    // torchinfo: GRU(4, 5) 165 params, 990 mult-adds.
    assertThat(TorchSummary.rows(TorchGruNet.model()).get(0).multAdds()).isEqualTo(990L);
  }

  @Test
  void stackedReluRnnAndBidirectionalGru(@TempDir Path tmp) throws Exception {
    reproduces(Network.create(TorchRnnNet.model(), 1).loadWeights(dir().resolve("torch_rnn.pt")), "torch_rnn",
        "TorchRnn from torch_rnn.pt");
    Network torch = Network.create(TorchBiGruNet.model(), 1).loadWeights(dir().resolve("torch_bigru.pt"));
    reproduces(torch, "torch_bigru", "TorchBiGru from torch_bigru.pt");
    Network keras = Network.create(KerasBiGruNet.model(), 1).loadWeights(dir().resolve("torch_bigru.pt"));
    reproduces(keras, "torch_bigru", "KerasBiGru from torch_bigru.pt");
    torch.saveWeights(tmp.resolve("bigru.weights.h5"));
    reproduces(Network.create(KerasBiGruNet.model(), 2).loadWeights(tmp.resolve("bigru.weights.h5")), "torch_bigru",
        "KerasBiGru from Sequent's .weights.h5");
  }

  /** Each Java model's torchinfo rows are torchinfo's for the fixture module (params and mult-adds, versions.json). */
  @Test
  void torchSummariesAreTorchinfos() throws Exception {
    JsonNode infos = checks().get("torchinfo");
    java.util.Map<String, InferredModel> models = java.util.Map.of("torch_lstm", TorchLstmNet.model(),
        "torch_gru", TorchGruNet.model(), "torch_rnn", TorchRnnNet.model(), "torch_bigru", TorchBiGruNet.model());
    models.forEach((name, model) -> {
      JsonNode info = infos.get(name);
      java.util.List<TorchSummary.Row> rows = TorchSummary.rows(model);
      assertThat(rows).as(name).hasSize(info.get("rows").size());
      for (int i = 0; i < rows.size(); i++) {
        JsonNode row = info.get("rows").get(i);
        assertThat(rows.get(i).type()).as(name + " row " + i).isEqualTo(row.get(0).asText());
        assertThat(rows.get(i).params()).as(name + " row " + i + " params").isEqualTo(row.get(1).asLong());
        assertThat(rows.get(i).multAdds()).as(name + " row " + i + " mult-adds").isEqualTo(row.get(2).asLong());
      }
      assertThat(TorchSummary.totals(model).params()).isEqualTo(info.get("total_params").asLong());
      assertThat(TorchSummary.totals(model).multAdds()).isEqualTo(info.get("total_mult_adds").asLong());
    });
  }

  /** The Keras-file models' summary() rows are Keras' (layer class and count_params, versions.json). */
  @Test
  void kerasSummariesAreKeras() throws Exception {
    JsonNode counts = checks().get("keras_param_counts");
    for (java.util.Iterator<String> it = counts.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      InferredModel model = Network.load(dir().resolve(name + ".keras")).model();
      java.util.List<KerasSummary.Row> rows = KerasSummary.rows(model);
      JsonNode layers = counts.get(name).get("layers");
      assertThat(rows).as(name).hasSize(layers.size());
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i).type()).as(name + " row " + i).isEqualTo(layers.get(i).get(1).asText());
        assertThat(rows.get(i).params()).as(name + " row " + i).isEqualTo(layers.get(i).get(2).asLong());
      }
      assertThat(KerasSummary.render(model)).contains(String.format(java.util.Locale.ROOT, "Total params: %,d",
          counts.get(name).get("total").asLong()));
    }
  }

  private static JsonNode checks() throws java.io.IOException {
    return new ObjectMapper().readTree(dir().resolve("versions.json").toFile()).get("checks");
  }
}
