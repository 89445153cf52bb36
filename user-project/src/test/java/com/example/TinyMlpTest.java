package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.runtime.Network;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The model compiled by Sequent's processor runs on Sequent's runtime, as a user's project uses them. */
class TinyMlpTest {
  @Test
  void theGeneratedClassKnowsTheShapes() {
    assertEquals("[4]", TinyMlpNet.INPUT_SHAPE.toString());
    assertEquals("[3]", TinyMlpNet.OUTPUT_SHAPE.toString());
    assertEquals(4 * 8 + 8 + 8 * 3 + 3, TinyMlpNet.TOTAL_PARAMS);
  }

  @Test
  void forwardIsLinearReluLinear() {
    Network net = TinyMlpNet.create();
    INDArray x = Nd4j.rand(5, 4).subi(0.5);

    INDArray y = net.forward(x);

    assertArrayEquals(new long[] {5, 3}, y.shape());
    Map<String, INDArray> w = net.stateDict(); // as nn.Sequential names them; weight is (out, in)
    INDArray hidden = Transforms.relu(x.mmul(w.get("0.weight").transpose()).addRowVector(w.get("0.bias")));
    INDArray expected = hidden.mmul(w.get("2.weight").transpose()).addRowVector(w.get("2.bias"));
    assertEquals(0, Transforms.abs(y.sub(expected)).maxNumber().doubleValue(), 1e-5);
  }
}
