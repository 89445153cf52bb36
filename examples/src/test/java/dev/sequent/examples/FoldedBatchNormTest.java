package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.rows;

import dev.sequent.examples.torch.TinyResidualNet;
import dev.sequent.runtime.Network;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's Conv2d -> BatchNorm2d -> ReLU (channels-first), which the execution plan folds into
 * one convolution with a fused activation, still gives real PyTorch's output (the residual
 * fixture's seeded weights and running statistics): at batch 1 and 8 through the plain-Java
 * kernels and at 64 through ND4J (TinyResidual's Java limit is 28 samples).
 */
class FoldedBatchNormTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 64})
  void foldedTorchBatchNormMatchesPyTorch(int batch) {
    Network net = Network.create(TinyResidualNet.model(), 3).loadWeights(reference("residual", "torch_state_dict.pt"));
    assertClose(rows(npy("residual", "output_torch.npy"), batch), net.forward(rows(npy("residual", "input_torch.npy"), batch)),
        "TinyResidual, batch " + batch);
  }

}
