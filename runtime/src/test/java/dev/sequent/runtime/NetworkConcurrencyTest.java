package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.model.Shape;
import dev.sequent.runtime.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One Network shared by 8 threads gives exactly the single-threaded results: the same shape and
 * the same float32 values bit for bit ({@link Fixtures#assertBitForBit}: {@code Arrays.equals} of
 * the raw data, not ND4J's tolerant {@code equals}).
 */
class NetworkConcurrencyTest {

  /**
   * Batch 1 runs the plain-Java pass (ExecutionPlan.forwardInJava); batch 8 the ND4J one with the
   * scalar kernels, the chunked plain-Java pass with the SIMD kernels' higher convolution limits;
   * {@code -1}: the fixture's batch tiled past the plan's Java limit, the ND4J pass with either.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 8, -1})
  void eightThreadsOnDifferentInputsMatchSingleThreadedResults(int given) throws Exception {
    Network net = Network.load(reference("lenet5", "torch_model.pt"), Shape.of(1, 28, 28));
    int javaLimit = JavaPath.maxBatch(net.model());
    INDArray batch = npy("lenet5", "input_torch.npy");
    if (given < 0) {
      batch = JavaPath.pastLimit(batch, javaLimit);
    }
    int samples = given < 0 ? (int) batch.size(0) : given;
    assertTrue(given != 1 || javaLimit >= 1, "batch 1 in plain Java; limit " + javaLimit);
    assertTrue(given >= 0 || samples > javaLimit, "the tiled batch in ND4J; limit " + javaLimit);
    int threads = 8;
    List<INDArray> inputs = new ArrayList<>();
    List<INDArray> expected = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      // Different inputs per thread: a sample (or the whole batch) each, scaled differently.
      INDArray x = batch.get(NDArrayIndex.interval(samples == 1 ? i : 0, samples == 1 ? i + 1 : samples),
          NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).mul(1 + 0.25 * i);
      inputs.add(x);
      expected.add(net.forward(x));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<INDArray>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Callable<List<INDArray>> work = () -> {
          List<INDArray> outs = new ArrayList<>();
          for (int round = 0; round < 25; round++) {
            outs.add(net.forward(inputs.get((id + round) % threads)));
          }
          return outs;
        };
        futures.add(pool.submit(work));
      }
      for (int t = 0; t < threads; t++) {
        List<INDArray> outs = futures.get(t).get(2, TimeUnit.MINUTES);
        for (int round = 0; round < outs.size(); round++) {
          Fixtures.assertBitForBit(expected.get((t + round) % threads), outs.get(round),
              "thread " + t + " round " + round + " differs from the single-threaded result");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Several samples per call in plain Java, so that a caller alone splits its batch into chunks
   * and callers at once share the intra-op threads ({@code ExecutionPlan.chunks}): 8 callers with 4
   * intra-op threads still get the single-threaded results bit for bit, whichever split each call
   * got.
   */
  @org.junit.jupiter.api.Test
  void concurrentPlainJavaBatchesMatchSingleThreadedResultsWhateverTheirSplit() throws Exception {
    Network net = Network.load(reference("mlp", "torch_model.pt"));
    int samples = Math.min(8, JavaPath.maxBatch(net.model()));
    assertTrue(samples >= 2, "the MLP runs a batch of several samples in plain Java");
    INDArray batch = npy("mlp", "input_torch.npy").get(NDArrayIndex.interval(0, samples), NDArrayIndex.all());
    var env = org.nd4j.linalg.factory.Nd4j.getEnvironment();
    int before = env.maxThreads();
    env.setMaxThreads(4);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<INDArray> inputs = new ArrayList<>();
      List<INDArray> expected = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        inputs.add(batch.mul(1 + 0.25 * i));
        expected.add(net.forward(inputs.get(i))); // one caller: 4 chunks
      }
      List<Future<List<INDArray>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          List<INDArray> outs = new ArrayList<>();
          for (int round = 0; round < 50; round++) {
            outs.add(net.forward(inputs.get((id + round) % threads)));
          }
          return outs;
        }));
      }
      for (int t = 0; t < threads; t++) {
        List<INDArray> outs = futures.get(t).get(2, TimeUnit.MINUTES);
        for (int round = 0; round < outs.size(); round++) {
          Fixtures.assertBitForBit(expected.get((t + round) % threads), outs.get(round),
              "thread " + t + " round " + round + " differs from the single-threaded result");
        }
      }
      Fixtures.assertClose(npy("mlp", "output_torch.npy").get(NDArrayIndex.interval(0, samples), NDArrayIndex.all()),
          net.forward(batch), "the MLP against PyTorch, 4 intra-op threads");
    } finally {
      pool.shutdownNow();
      env.setMaxThreads(before);
    }
  }

  /** The intra-op threads shared by the passes in flight: all for one caller, none to spare for as many callers. */
  @org.junit.jupiter.api.Test
  void callersRunningAtOnceShareTheIntraOpThreads() {
    org.junit.jupiter.api.Assertions.assertEquals(2, ExecutionPlan.chunks(8, 2, 1));
    org.junit.jupiter.api.Assertions.assertEquals(1, ExecutionPlan.chunks(8, 2, 2));
    org.junit.jupiter.api.Assertions.assertEquals(1, ExecutionPlan.chunks(8, 2, 4));
    org.junit.jupiter.api.Assertions.assertEquals(2, ExecutionPlan.chunks(8, 4, 2));
    org.junit.jupiter.api.Assertions.assertEquals(3, ExecutionPlan.chunks(3, 8, 1)); // at most one per sample
    org.junit.jupiter.api.Assertions.assertEquals(1, ExecutionPlan.chunks(1, 4, 1));
    org.junit.jupiter.api.Assertions.assertEquals(1, ExecutionPlan.chunks(8, 0, 1)); // no ND4J setting: one
  }

  /**
   * A pass's chunks, where its layers limit them: as many per thread (three chunks on two threads
   * left one thread idle for a chunk's time), each within the limit, at most one per sample.
   */
  @org.junit.jupiter.api.Test
  void chunksUnderALimitAreSharedEvenlyAmongThePassThreads() {
    org.junit.jupiter.api.Assertions.assertEquals(2, ExecutionPlan.parts(32, 100, 2, 1)); // no limit reached
    org.junit.jupiter.api.Assertions.assertEquals(4, ExecutionPlan.parts(32, 14, 2, 1)); // 3 needed, 4 of 8
    org.junit.jupiter.api.Assertions.assertEquals(4, ExecutionPlan.parts(8, 3, 2, 1)); // 3 needed, 4 of 2
    org.junit.jupiter.api.Assertions.assertEquals(12, ExecutionPlan.parts(32, 3, 2, 1)); // 11 needed
    org.junit.jupiter.api.Assertions.assertEquals(12, ExecutionPlan.parts(32, 3, 4, 1)); // 11 needed, 3 rounds of 4
    org.junit.jupiter.api.Assertions.assertEquals(3, ExecutionPlan.parts(32, 14, 2, 2)); // a thread each: as needed
    org.junit.jupiter.api.Assertions.assertEquals(3, ExecutionPlan.parts(3, 1, 2, 1)); // at most one per sample
    org.junit.jupiter.api.Assertions.assertEquals(1, ExecutionPlan.parts(1, 1, 2, 1));
    for (int samples = 1; samples <= 40; samples++) {
      for (int limit = 1; limit <= samples; limit++) {
        for (int threads = 1; threads <= 4; threads++) {
          int parts = ExecutionPlan.parts(samples, limit, threads, 1);
          int largest = (samples + parts - 1) / parts; // javaPass's chunks differ by at most one sample
          org.junit.jupiter.api.Assertions.assertTrue(largest <= limit && parts <= samples,
              samples + " samples, limit " + limit + ", " + threads + " threads: " + parts + " chunks");
          org.junit.jupiter.api.Assertions.assertTrue(parts % threads == 0 || parts == samples,
              samples + " samples, " + threads + " threads: " + parts + " chunks, not as many per thread");
        }
      }
    }
  }
}
