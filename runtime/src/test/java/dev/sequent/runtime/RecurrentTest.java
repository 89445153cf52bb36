package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.ParameterNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Recurrent models saved whole by real Keras 3 ({@code .keras}) and tf_keras ({@code .h5})
 * (fixtures/make_recurrent_fixtures.py): LSTM, GRU with reset_after both ways, SimpleRNN with
 * go_backwards, Bidirectional with every merge mode, recurrent_activation choices, no biases. Each
 * runs at batch 8, one sample at a time (the plain-Java path, asserted) and tiled past the
 * model's Java limit (the plan's ND4J path; {@code RecurrentOpTest} forces the ND4J products on
 * these small layers), and must give Keras' output within 1e-5 (1e-4 relative above 1).
 */
class RecurrentTest {
  static final Path DIR = root().resolve("recurrent");

  @ParameterizedTest
  @ValueSource(strings = {
      "keras_lstm.keras", "keras_lstm.h5", "keras_gru.keras", "keras_gru.h5", "keras_gru_reset_after.keras",
      "keras_gru_reset_after.h5", "keras_simple_rnn.keras", "keras_simple_rnn.h5", "keras_bidirectional.keras",
      "keras_bidirectional.h5", "keras_bidirectional_modes.keras", "keras_bidirectional_modes.h5",
      "keras_lstm_activations.keras", "keras_lstm_no_bias.keras", "keras_lstm_no_bias.h5"})
  void kerasFilesGiveKerasOutput(String file) {
    String stem = file.substring(0, file.lastIndexOf('.'));
    INDArray x = npy(stem + "_input.npy");
    INDArray expected = npy(stem + "_output.npy");
    Network net = Network.load(DIR.resolve(file));
    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isGreaterThanOrEqualTo(1);
    check(expected, net.forward(x), file + " batch of 8");
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      check(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one), file + " sample " + i);
    }
    int copies = Math.max(50, javaLimit / (int) x.size(0) + 1);
    INDArray big = Nd4j.concat(0, java.util.Collections.nCopies(copies, x).toArray(INDArray[]::new));
    assertThat(big.size(0)).as("past the Java limit").isGreaterThan(javaLimit);
    check(Nd4j.concat(0, java.util.Collections.nCopies(copies, expected).toArray(INDArray[]::new)),
        net.forward(big), file + " batch of " + big.size(0) + " (ND4J path)");
  }

  /** Keras' summary() counts: LSTM 4*(F*H + H*H + H); GRU reset_after=True has 2*3H biases, False 3H. */
  @Test
  void kerasSummaryCountsAreKeras() {
    Network gru = Network.load(DIR.resolve("keras_gru.keras"));
    // keras_gru: GRU(5, reset_after=True) on 4 features, GRU(4, reset_after=False) on 5, Dense(3).
    assertThat(KerasSummary.rows(gru.model()).stream().map(KerasSummary.Row::params))
        .containsExactly(3L * (4 * 5 + 5 * 5 + 2 * 5), 3L * (5 * 4 + 4 * 4 + 4), 4L * 3 + 3);
    Network bi = Network.load(DIR.resolve("keras_bidirectional.keras"));
    assertThat(KerasSummary.rows(bi.model()).stream().map(KerasSummary.Row::params))
        .containsExactly(2L * 4 * (4 * 5 + 5 * 5 + 5), 2L * 3 * (10 * 4 + 4 * 4 + 2 * 4), 4L * 3 + 3);
    // PyTorch counts two biases per LSTM direction.
    assertThat(ParameterNames.count(bi.model().nodes().get(0), Framework.TORCH, true))
        .isEqualTo(2L * 4 * (4 * 5 + 5 * 5 + 2 * 5));
  }

  /**
   * The state_dict of a Keras LSTM stack names the modules of the equivalent nn.Sequential: the
   * cell's activation is no module of its own (check_recurrent_writes.py loads these into real
   * torch modules with strict=True).
   */
  @Test
  void theStateDictOfAKerasStackNamesTheEquivalentModules() {
    Network lstm = Network.load(DIR.resolve("keras_lstm.keras"));
    assertThat(lstm.stateDict().keySet()).containsExactly("0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0",
        "0.bias_hh_l0", "1.weight_ih_l0", "1.weight_hh_l0", "1.bias_ih_l0", "1.bias_hh_l0", "2.weight", "2.bias");
    assertThat(lstm.stateDict().get("0.bias_hh_l0").sumNumber().doubleValue()).isZero();
    Network bi = Network.load(DIR.resolve("keras_bidirectional.keras"));
    assertThat(bi.stateDict().keySet()).contains("0.weight_ih_l0_reverse", "1.bias_hh_l0_reverse");
    assertThat(bi.stateDict().get("1.weight_ih_l0").shape()).containsExactly(12, 10);
  }

  /** GRU(reset_after=False) runs, but no PyTorch GRU computes it: saving to .pt says so in one line. */
  @Test
  void resetBeforeGruRefusesPyTorch(@org.junit.jupiter.api.io.TempDir Path tmp) {
    Network gru = Network.load(DIR.resolve("keras_gru.keras"));
    assertThatThrownBy(() -> gru.saveWeights(tmp.resolve("gru.pt")))
        .hasMessageContaining("layer gru_1 (GRU) cannot be converted to PyTorch")
        .hasMessageContaining("reset_after=False");
    assertThat(Files.exists(tmp.resolve("gru.pt"))).isFalse();
  }

  /** ... nor is a PyTorch state_dict loaded into it: the mismatch report gives the reason, and the weights stay. */
  @Test
  void resetBeforeGruRefusesAPytorchStateDict() {
    Network gru = Network.load(DIR.resolve("keras_gru.keras"));
    INDArray before = gru.forward(npy("keras_gru_input.npy"));
    java.util.Map<String, INDArray> stateDict = new java.util.LinkedHashMap<>();
    for (dev.sequent.model.report.NamedParam p : ParameterNames.of(gru.model(), Framework.TORCH)) {
      stateDict.put(p.torchName(), Nd4j.zeros(DataType.FLOAT,
          p.spec().shape(Framework.TORCH).dims().stream().mapToLong(Integer::longValue).toArray()));
    }
    assertThat(stateDict).containsKeys("1.weight_ih_l0", "1.bias_hh_l0");
    assertThatThrownBy(() -> gru.loadStateDict(stateDict))
        .hasMessageContaining("layer gru_1 (GRU) cannot be converted to Keras: GRU(reset_after=False)");
    check(before, gru.forward(npy("keras_gru_input.npy")), "weights kept");
  }

  @Test
  void bidirectionalKerasFileReadsAsOneRecord() {
    Network bi = Network.load(DIR.resolve("keras_bidirectional.keras"));
    Recurrent first = (Recurrent) bi.model().nodes().get(0).spec();
    Recurrent second = (Recurrent) bi.model().nodes().get(1).spec();
    assertThat(first.bidirectional()).isTrue();
    assertThat(first.output()).isEqualTo(Recurrent.Output.SEQUENCE);
    assertThat(second.merge()).isEqualTo(Recurrent.Merge.SUM);
    assertThat(second.cell()).isEqualTo(Recurrent.Cell.GRU);
  }

  static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }

  /** 1e-5 absolute, 1e-4 relative where the expected value is above 1. */
  static void check(INDArray expected, INDArray actual, String what) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    float[] e = expected.dup('c').data().asFloat();
    float[] a = actual.dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs(e[i] - a[i]);
      double tol = Math.max(1e-5, 1e-4 * Math.abs(e[i]));
      assertThat(d).as("%s value %d: expected %s, got %s", what, i, e[i], a[i]).isLessThanOrEqualTo(tol);
    }
  }
}
