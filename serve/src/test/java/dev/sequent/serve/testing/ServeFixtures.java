package dev.sequent.serve.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The real models the serving tests run: LeNet-5 as PyTorch saved it (a whole pickled model,
 * channels-first) and as Keras 3 saved it ({@code .keras}, channels-last), from the committed
 * reference fixtures; and inputs that differ per sample, so an answer handed to the wrong
 * request cannot pass.
 */
public final class ServeFixtures {
  private static Network torch;
  private static Network keras;

  private ServeFixtures() {}

  public static synchronized Network torchLeNet() {
    if (torch == null) {
      torch = Network.load(Fixtures.reference("lenet5", "torch_model.pt"), Shape.of(1, 28, 28));
    }
    return torch;
  }

  public static synchronized Network kerasLeNet() {
    if (keras == null) {
      keras = Network.load(Fixtures.reference("lenet5", "keras3.keras"));
    }
    return keras;
  }

  /** {@code n} samples for {@code network}, uniform in [0, 1), from {@code seed}. */
  public static INDArray samples(Network network, int n, long seed) {
    long[] shape = network.inputShape().withBatch(n);
    float[] values = new float[Math.toIntExact(network.inputShape().size() * n)];
    Random random = new Random(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    return Nd4j.create(values, shape, 'c');
  }

  /** Rows {@code [from, from + count)} of {@code batch}, as a new array. */
  public static INDArray rows(INDArray batch, long from, long count) {
    INDArrayIndex[] index = new INDArrayIndex[batch.rank()];
    index[0] = NDArrayIndex.interval(from, from + count);
    for (int i = 1; i < index.length; i++) {
      index[i] = NDArrayIndex.all();
    }
    return batch.get(index).dup('c');
  }

  /** Asserts equal shapes and every value within {@code tolerance}; returns the largest difference. */
  public static double assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    return assertClose(Nd4j.toFlattened('c', expected).toFloatVector(), Nd4j.toFlattened('c', actual).toFloatVector(),
        tolerance, what);
  }

  public static double assertClose(float[] expected, float[] actual, double tolerance, String what) {
    if (expected.length != actual.length) {
      fail(what + ": " + actual.length + " values, expected " + expected.length);
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      worst = Math.max(worst, diff);
      if (!(diff <= tolerance)) {
        fail(what + ": value " + i + " is " + actual[i] + ", expected " + expected[i] + " (diff " + diff + ")");
      }
    }
    return worst;
  }
}
