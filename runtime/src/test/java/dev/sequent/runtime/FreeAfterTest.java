package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J pass frees each intermediate value after its last reader ({@link PlanBinder#freeAfter}):
 * the schedule names every value once, at its last reader, never a model output; and a pass that
 * frees (repeated, so a freed buffer reused by the allocator would show) still gives the framework's
 * output, on a residual graph (a value read twice, a BatchNorm and ReLU folded into pass-throughs of
 * the convolution's array) and on LeNet-5 (Flatten, a view of the pooled array).
 */
class FreeAfterTest {

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
      "residual, keras3.keras, input_keras.npy, output_keras3.npy",
      "lenet5, torch_model.pt, input_torch.npy, output_torch.npy",
  })
  void everyValueIsFreedOnceAfterItsLastReaderAndOutputsStay(String model, String file, String input,
      String output) {
    INDArray x = npy(model, input);
    boolean torch = file.startsWith("torch");
    long[] s = x.shape();
    int[] sample = new int[s.length - 1];
    for (int i = 1; i < s.length; i++) {
      sample[i - 1] = (int) s[i];
    }
    Network net = torch ? Network.load(reference(model, file), Shape.of(sample)) : Network.load(reference(model, file));
    InferredModel m = net.model();
    List<List<String>> free = PlanBinder.freeAfter(m);
    assertEquals(m.nodes().size(), free.size());
    Map<String, Integer> lastReader = new HashMap<>();
    for (int i = 0; i < m.nodes().size(); i++) {
      for (String in : m.nodes().get(i).node().inputs()) {
        lastReader.put(in, i);
      }
    }
    Map<String, Integer> scheduled = new HashMap<>();
    for (int i = 0; i < free.size(); i++) {
      for (String name : free.get(i)) {
        assertEquals(null, scheduled.put(name, i), name + " scheduled twice");
        assertFalse(m.spec().outputs().contains(name), "model output " + name + " is never freed");
      }
    }
    lastReader.forEach((name, at) -> {
      if (!m.spec().outputs().contains(name)) {
        assertEquals(at, scheduled.get(name), name + " freed after its last reader");
      }
    });
    // past the Java limit: the ND4J pass, which frees; several calls, each against the framework
    INDArray expected = npy(model, output);
    int batch = net.plan().javaMaxBatch() + 1;
    INDArray in = x;
    INDArray want = expected;
    while (in.size(0) < batch) {
      in = Nd4j.concat(0, in, x);
      want = Nd4j.concat(0, want, expected);
    }
    for (int call = 0; call < 3; call++) {
      INDArray y = net.forward(in);
      assertTrue(!y.wasClosed(), "the output is not freed");
      assertClose(want, y, model + " call " + call + " at batch " + in.size(0) + " (ND4J, freeing)");
    }
  }
}
