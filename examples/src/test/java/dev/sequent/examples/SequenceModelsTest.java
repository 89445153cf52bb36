package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.examples.keras.KerasConv1DPairNet;
import dev.sequent.examples.keras.KerasTextConvNet;
import dev.sequent.examples.keras.KerasTextEmbeddingNet;
import dev.sequent.examples.torch.TorchConv1dPairNet;
import dev.sequent.examples.torch.TorchConv1dPoolsNet;
import dev.sequent.examples.torch.TorchTextEmbeddingNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.InputShapeException;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The text and 1-D models declared in Java compile to the frameworks' shapes, take the weights of
 * the files real Keras 3, tf_keras and PyTorch saved (fixtures/sequence, make_sequence_fixtures.py)
 * and reproduce their outputs on the integer ids the frameworks ran on; the two vocabularies of the
 * embedding model load each other's weights.
 */
class SequenceModelsTest {
  private static final Path DIR = root().resolve("sequence");

  @Test
  void theKerasTextClassifierLoadsKerasFilesByName() {
    InferredModel model = KerasTextConvNet.model();
    assertThat(shapes(model)).containsExactly(Shape.of(64, 16), Shape.of(64, 32), Shape.of(32, 16),
        Shape.of(16, 16), Shape.of(8, 16), Shape.of(16), Shape.of(4));
    INDArray ids = npy("keras_embedding_conv1d_input.npy");
    assertThat(ids.dataType()).isEqualTo(DataType.INT);
    for (String file : new String[] {"keras_embedding_conv1d.keras", "keras_embedding_conv1d.h5"}) {
      Network net = KerasTextConvNet.create().loadWeights(DIR.resolve(file));
      assertClose(floats("keras_embedding_conv1d_output.npy"), net.forward(ids), "KerasTextConv from " + file);
      // The same ids as floats give the same answer.
      assertClose(floats("keras_embedding_conv1d_output.npy"), net.forward(ids.castTo(DataType.FLOAT)), file);
    }
  }

  @Test
  void theEmbeddingModelsLoadEachOthersWeights(@TempDir Path tmp) throws java.io.IOException {
    assertThat(shapes(TorchTextEmbeddingNet.model())).containsExactly(Shape.of(20, 16), Shape.of(320),
        Shape.of(128), Shape.of(128), Shape.of(4));
    INDArray ids = npy("torch_embedding_input.npy");
    assertThat(ids.dataType()).isEqualTo(DataType.LONG);
    INDArray expected = floats("torch_embedding_output.npy");
    Network torch = TorchTextEmbeddingNet.create().loadWeights(DIR.resolve("torch_embedding.pt"));
    assertClose(expected, torch.forward(ids), "TorchTextEmbedding");
    // PyTorch's weights into the Keras vocabulary, and what that writes as Keras weights back into PyTorch's.
    Network keras = KerasTextEmbeddingNet.create().loadWeights(DIR.resolve("torch_embedding.pt"));
    assertClose(expected, keras.forward(ids), "KerasTextEmbedding with the PyTorch state_dict");
    Path h5 = tmp.resolve("text.weights.h5");
    keras.saveWeights(h5);
    assertClose(expected, TorchTextEmbeddingNet.create().loadWeights(h5).forward(ids),
        "TorchTextEmbedding with Keras weights written by Sequent");
    Path pt = tmp.resolve("text.pt");
    torch.saveWeights(pt);
    assertClose(expected, KerasTextEmbeddingNet.create().loadWeights(pt).forward(ids),
        "KerasTextEmbedding with a state_dict written by Sequent");
  }

  @Test
  void anIdOutsideTheTableIsRefusedNamingTheLayer() {
    Network net = TorchTextEmbeddingNet.create();
    INDArray ids = Nd4j.zeros(DataType.LONG, 2, 20);
    ids.putScalar(new long[] {1, 7}, 100);
    assertThatThrownBy(() -> net.forward(ids)).isInstanceOf(InputShapeException.class)
        .hasMessage("layer emb (Embedding): input 100.0 (sample 1, step 7) is not an id in [0, 100): ids must be "
            + "integers below the vocabulary size");
    INDArray fraction = Nd4j.zeros(DataType.FLOAT, 1, 20);
    fraction.putScalar(new long[] {0, 3}, 2.5);
    assertThatThrownBy(() -> net.forward(fraction)).isInstanceOf(InputShapeException.class)
        .hasMessageContaining("input 2.5 (sample 0, step 3) is not an id in [0, 100)");
    // Integer input is for models that read ids; elsewhere it is refused as before.
    assertThatThrownBy(() -> TorchConv1dPoolsNet.create().forward(Nd4j.zeros(DataType.INT, 1, 16, 128)))
        .isInstanceOf(InputShapeException.class).hasMessageContaining("input must be floating point, got INT");
  }

  @Test
  void theTorchConv1dModelLoadsTheState() {
    assertThat(shapes(TorchConv1dPoolsNet.model())).containsExactly(Shape.of(32, 64), Shape.of(32, 64),
        Shape.of(32, 32), Shape.of(32, 32), Shape.of(32, 17), Shape.of(32, 9), Shape.of(32, 5), Shape.of(160),
        Shape.of(3));
    Network net = TorchConv1dPoolsNet.create().loadWeights(DIR.resolve("torch_conv1d_pools.pt"));
    assertClose(floats("torch_conv1d_pools_output.npy"), net.forward(floats("torch_conv1d_pools_input.npy")),
        "TorchConv1dPools");
  }

  /** Channels-first (PyTorch) and channels-last (Keras) 1-D models load each other's weights. */
  @Test
  void theConv1dModelsLoadEachOthersWeights(@TempDir Path tmp) throws java.io.IOException {
    INDArray x = floats("torch_conv1d_pair_input.npy");
    INDArray expected = floats("torch_conv1d_pair_output.npy");
    assertThat(shapes(TorchConv1dPairNet.model())).containsExactly(Shape.of(8, 19), Shape.of(8, 19),
        Shape.of(8, 9), Shape.of(4, 9));
    assertThat(KerasConv1DPairNet.model().outputShape()).isEqualTo(Shape.of(9, 4));
    Network torch = TorchConv1dPairNet.create().loadWeights(DIR.resolve("torch_conv1d_pair.pt"));
    assertClose(expected, torch.forward(x), "TorchConv1dPair");
    Network keras = KerasConv1DPairNet.create().loadWeights(DIR.resolve("torch_conv1d_pair.pt"));
    INDArray stepsLast = x.permute(0, 2, 1).dup('c');
    assertClose(expected, keras.forward(stepsLast).permute(0, 2, 1).dup('c'),
        "KerasConv1DPair with the PyTorch weights, on the transposed input");
    Path h5 = tmp.resolve("pair.weights.h5");
    keras.saveWeights(h5);
    assertClose(expected, TorchConv1dPairNet.create().loadWeights(h5).forward(x),
        "TorchConv1dPair with Keras weights written by Sequent");
  }

  private static List<Shape> shapes(InferredModel model) {
    return model.nodes().stream().map(InferredModel.Layer::outputShape).toList();
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile());
  }

  private static INDArray floats(String name) {
    return npy(name).castTo(DataType.FLOAT);
  }
}
