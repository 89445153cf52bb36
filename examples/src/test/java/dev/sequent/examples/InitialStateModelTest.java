package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.torch.TorchInitialStateNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A PyTorch LSTM called with {@code (h0, c0)} from other layers, declared in Java with
 * {@code initialState}, loads the state_dict real PyTorch saved (fixtures/recurrent_graphs,
 * make_recurrent_graph_fixtures.py torch) and gives PyTorch's output at batch 8 and per sample; the
 * weights it writes load back.
 */
class InitialStateModelTest {
  private static final Path DIR = root().resolve("recurrent_graphs");

  @Test
  void theLstmStartsFromTheStatesItIsGiven(@TempDir Path tmp) throws java.io.IOException {
    InferredModel model = TorchInitialStateNet.model();
    InferredModel.Layer dec = model.layer("dec");
    assertThat(dec.node().inputs()).containsExactly("input", "enc", "cproj");
    assertThat(dec.inputShapes()).containsExactly(Shape.of(6, 4), Shape.of(5), Shape.of(5));
    INDArray x = Nd4j.createFromNpyFile(DIR.resolve("torch_initial_state_input.npy").toFile());
    INDArray expected = Nd4j.createFromNpyFile(DIR.resolve("torch_initial_state_output.npy").toFile())
        .castTo(DataType.FLOAT);
    Network net = TorchInitialStateNet.create().loadWeights(DIR.resolve("torch_initial_state.pt"));
    assertBatchAndEachSample(net::forward, x, expected, "TorchInitialState");
    Path pt = tmp.resolve("w.pt");
    net.saveWeights(pt);
    assertClose(expected, TorchInitialStateNet.create().loadWeights(pt).forward(x), "with the weights it wrote");
  }
}
