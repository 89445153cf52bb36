package dev.sequent.serve;

import static dev.sequent.serve.testing.ServeFixtures.assertClose;
import static dev.sequent.serve.testing.ServeFixtures.rows;
import static dev.sequent.serve.testing.ServeFixtures.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.runtime.InputShapeException;
import dev.sequent.runtime.Network;
import dev.sequent.serve.testing.GatedForward;
import dev.sequent.serve.testing.ServeFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The batching rules on the real LeNet-5 (PyTorch file): merged requests get exactly the rows a
 * forward pass of their own gives (batch 1 runs the plain-Java path, merged batches ND4J's, so
 * equality is within 1e-6), batches close when full or when the oldest request has waited
 * maxDelay, shapes are never mixed, the queue is bounded, deadlines fail queued requests without
 * running them, and close() drains.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchingPredictorTest {
  private static final double TOLERANCE = 1e-6;
  private static Network net;

  @BeforeAll
  static void loadModel() {
    net = ServeFixtures.torchLeNet();
  }

  /** Records every batch the predictor reports. */
  private static final class RecordingObserver implements BatchObserver {
    final List<int[]> batches = Collections.synchronizedList(new ArrayList<>());
    final List<PredictionRejectedException.Reason> rejections = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void batchRun(int samples, int requests, long forwardNanos) {
      batches.add(new int[] {samples, requests});
    }

    @Override
    public void rejected(PredictionRejectedException.Reason reason) {
      rejections.add(reason);
    }

    int totalSamples() {
      synchronized (batches) {
        return batches.stream().mapToInt(b -> b[0]).sum();
      }
    }
  }

  private static PredictionRejectedException.Reason rejection(CompletableFuture<INDArray> future) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
    } catch (java.util.concurrent.CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(PredictionRejectedException.class);
      return ((PredictionRejectedException) e.getCause()).reason();
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void queuedRequestsAreMergedUpToMaxBatchAndEachGetsItsOwnRows() throws Exception {
    GatedForward gate = new GatedForward(net::forward);
    INDArray inputs = samples(net, 32, 1);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(8).build()) {
      List<CompletableFuture<INDArray>> results = new ArrayList<>();
      results.add(predictor.submit(rows(inputs, 0, 1)));
      gate.awaitFirstBatch(); // the worker holds request 0; the other 31 queue behind it
      for (int i = 1; i < 32; i++) {
        results.add(predictor.submit(rows(inputs, i, 1)));
      }
      assertEquals(31, predictor.queueDepth());
      gate.open();
      for (int i = 0; i < 32; i++) {
        INDArray alone = net.forward(rows(inputs, i, 1));
        assertClose(alone, results.get(i).get(30, TimeUnit.SECONDS), TOLERANCE, "request " + i);
      }
      assertThat(gate.batchSizes()).containsExactly(1L, 8L, 8L, 8L, 7L);
    }
  }

  @Test
  void concurrentCallersOnRealThreadsAllGetTheirSingleForwardResults() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    int threads = 16;
    int rounds = 8;
    INDArray inputs = samples(net, threads, 2);
    List<INDArray> expected = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      expected.add(net.forward(rows(inputs, i, 1)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (BatchingPredictor predictor = BatchingPredictor.builder(net).maxBatch(8).maxDelay(Duration.ofMillis(2))
        .observer(observer).build()) {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        callers.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            int sample = (id + r) % threads;
            assertClose(expected.get(sample), predictor.predict(rows(inputs, sample, 1)), TOLERANCE,
                "thread " + id + " round " + r);
          }
          return null;
        }));
      }
      for (Future<?> caller : callers) {
        caller.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * rounds, observer.totalSamples());
    assertThat(observer.batches).allSatisfy(b -> assertThat(b[0]).isBetween(1, 8));
  }

  @Test
  void aFullBatchIsDispatchedWithoutWaitingForMaxDelay() throws Exception {
    GatedForward recorder = new GatedForward(net::forward);
    recorder.open();
    INDArray inputs = samples(net, 4, 3);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", recorder).maxBatch(4)
        .maxDelay(Duration.ofSeconds(30)).build()) {
      long start = System.nanoTime();
      List<CompletableFuture<INDArray>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(predictor.submit(rows(inputs, i, 1)));
      }
      for (int i = 0; i < 4; i++) {
        assertClose(net.forward(rows(inputs, i, 1)), results.get(i).get(20, TimeUnit.SECONDS), TOLERANCE, "request " + i);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(recorder.batchSizes()).containsExactly(4L);
    }
  }

  @Test
  void aPartialBatchIsDispatchedOnceTheOldestRequestHasWaitedMaxDelay() throws Exception {
    GatedForward recorder = new GatedForward(net::forward);
    recorder.open();
    INDArray inputs = samples(net, 3, 4);
    Duration maxDelay = Duration.ofMillis(300);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", recorder).maxBatch(32).maxDelay(maxDelay)
        .build()) {
      long start = System.nanoTime();
      List<CompletableFuture<INDArray>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        results.add(predictor.submit(rows(inputs, i, 1)));
      }
      Thread.sleep(100);
      assertThat(results).noneMatch(CompletableFuture::isDone); // still waiting for company
      for (int i = 0; i < 3; i++) {
        assertClose(net.forward(rows(inputs, i, 1)), results.get(i).get(20, TimeUnit.SECONDS), TOLERANCE, "request " + i);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(maxDelay);
      assertThat(recorder.batchSizes()).containsExactly(3L);
    }
  }

  @Test
  void requestsOfSeveralSamplesKeepTheirRowsAndAnOversizedOneRunsAlone() throws Exception {
    GatedForward gate = new GatedForward(net::forward);
    INDArray inputs = samples(net, 20, 5);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(6).build()) {
      CompletableFuture<INDArray> first = predictor.submit(rows(inputs, 0, 1));
      gate.awaitFirstBatch();
      CompletableFuture<INDArray> three = predictor.submit(rows(inputs, 1, 3));
      CompletableFuture<INDArray> two = predictor.submit(rows(inputs, 4, 2));
      CompletableFuture<INDArray> nine = predictor.submit(rows(inputs, 6, 9)); // more than maxBatch
      CompletableFuture<INDArray> one = predictor.submit(rows(inputs, 15, 1));
      gate.open();
      assertClose(net.forward(rows(inputs, 0, 1)), first.get(30, TimeUnit.SECONDS), TOLERANCE, "first");
      assertClose(net.forward(rows(inputs, 1, 3)), three.get(30, TimeUnit.SECONDS), TOLERANCE, "three samples");
      assertClose(net.forward(rows(inputs, 4, 2)), two.get(30, TimeUnit.SECONDS), TOLERANCE, "two samples");
      assertClose(net.forward(rows(inputs, 6, 9)), nine.get(30, TimeUnit.SECONDS), TOLERANCE, "nine samples");
      assertClose(net.forward(rows(inputs, 15, 1)), one.get(30, TimeUnit.SECONDS), TOLERANCE, "one sample");
      // 3 + 2 fit in 6, the 9 does not join them (it would overflow) and runs alone, then the last
      assertThat(gate.batchSizes()).containsExactly(1L, 5L, 9L, 1L);
    }
  }

  @Test
  void requestsOfDifferentSampleShapesAreNeverMerged() throws Exception {
    GatedForward gate = new GatedForward(net::forward);
    INDArray good = samples(net, 3, 6);
    INDArray wrong = dev.sequent.serve.testing.ServeFixtures.samples(net, 2, 7).reshape(2, 1, 28 * 28, 1);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(8).build()) {
      CompletableFuture<INDArray> first = predictor.submit(rows(good, 0, 1));
      gate.awaitFirstBatch();
      CompletableFuture<INDArray> wrongA = predictor.submit(rows(wrong, 0, 1));
      CompletableFuture<INDArray> goodB = predictor.submit(rows(good, 1, 1));
      CompletableFuture<INDArray> wrongC = predictor.submit(rows(wrong, 1, 1));
      CompletableFuture<INDArray> goodD = predictor.submit(rows(good, 2, 1));
      gate.open();
      assertClose(net.forward(rows(good, 0, 1)), first.get(30, TimeUnit.SECONDS), TOLERANCE, "first");
      assertClose(net.forward(rows(good, 1, 1)), goodB.get(30, TimeUnit.SECONDS), TOLERANCE, "B");
      assertClose(net.forward(rows(good, 2, 1)), goodD.get(30, TimeUnit.SECONDS), TOLERANCE, "D");
      for (CompletableFuture<INDArray> bad : List.of(wrongA, wrongC)) {
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(InputShapeException.class);
      }
      // the oldest (wrong-shaped) request leads a batch of its own shape; the good ones form another
      assertThat(gate.batchShapes()).extracting(s -> List.of(s[0], s[2]))
          .containsExactly(List.of(1L, 28L), List.of(2L, 784L), List.of(2L, 28L));
    }
  }

  @Test
  void aFullQueueRejectsAtOnceAndTheQueuedRequestsStillRun() throws Exception {
    GatedForward gate = new GatedForward(net::forward);
    RecordingObserver observer = new RecordingObserver();
    INDArray inputs = samples(net, 4, 8);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(1).queueCapacity(2)
        .observer(observer).build()) {
      CompletableFuture<INDArray> running = predictor.submit(rows(inputs, 0, 1));
      gate.awaitFirstBatch();
      CompletableFuture<INDArray> queued1 = predictor.submit(rows(inputs, 1, 1));
      CompletableFuture<INDArray> queued2 = predictor.submit(rows(inputs, 2, 1));
      CompletableFuture<INDArray> refused = predictor.submit(rows(inputs, 3, 1));
      assertEquals(PredictionRejectedException.Reason.QUEUE_FULL, rejection(refused));
      assertThatThrownBy(refused::join).hasMessageContaining("queue of lenet is full (2 requests waiting)");
      gate.open();
      for (int i = 0; i < 3; i++) {
        CompletableFuture<INDArray> f = List.of(running, queued1, queued2).get(i);
        assertClose(net.forward(rows(inputs, i, 1)), f.get(30, TimeUnit.SECONDS), TOLERANCE, "request " + i);
      }
    }
    assertThat(observer.rejections).containsExactly(PredictionRejectedException.Reason.QUEUE_FULL);
  }

  @Test
  void aRequestWhoseDeadlinePassesInTheQueueIsFailedAndNeverRun() throws Exception {
    AtomicInteger forwards = new AtomicInteger();
    GatedForward gate = new GatedForward(batch -> {
      forwards.incrementAndGet();
      return net.forward(batch);
    });
    INDArray inputs = samples(net, 3, 9);
    try (BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(8).build()) {
      CompletableFuture<INDArray> running = predictor.submit(rows(inputs, 0, 1));
      gate.awaitFirstBatch();
      CompletableFuture<INDArray> late = predictor.submit(rows(inputs, 1, 1), Duration.ofMillis(50));
      CompletableFuture<INDArray> patient = predictor.submit(rows(inputs, 2, 1), Duration.ofSeconds(60));
      // the worker is held: the short deadline passes while the request waits
      assertThatThrownBy(() -> late.get(20, TimeUnit.SECONDS)).cause()
          .isInstanceOf(PredictionRejectedException.class).hasMessageContaining("timeout of 50 ms");
      assertEquals(PredictionRejectedException.Reason.DEADLINE_EXCEEDED, rejection(late));
      assertEquals(1, predictor.queueDepth()); // only the patient one is left
      gate.open();
      assertClose(net.forward(rows(inputs, 0, 1)), running.get(30, TimeUnit.SECONDS), TOLERANCE, "running");
      assertClose(net.forward(rows(inputs, 2, 1)), patient.get(30, TimeUnit.SECONDS), TOLERANCE, "patient");
    }
    assertEquals(2, forwards.get()); // the running batch and the patient request's: never the late one
    assertThat(gate.batchSizes()).containsExactly(1L, 1L);
  }

  @Test
  void closeRunsEverythingQueuedAtOnceThenRefusesNewRequests() throws Exception {
    INDArray inputs = samples(net, 4, 10);
    BatchingPredictor predictor = BatchingPredictor.builder(net).maxBatch(32).maxDelay(Duration.ofSeconds(60)).build();
    List<CompletableFuture<INDArray>> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      results.add(predictor.submit(rows(inputs, i, 1)));
    }
    long start = System.nanoTime();
    predictor.close(); // does not wait out the 60 s delay
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      assertThat(results.get(i)).isDone();
      assertClose(net.forward(rows(inputs, i, 1)), results.get(i).get(), TOLERANCE, "request " + i);
    }
    assertEquals(PredictionRejectedException.Reason.CLOSED, rejection(predictor.submit(rows(inputs, 3, 1))));
  }

  @Test
  void closeWithATimeoutFailsWhatItCouldNotRun() throws Exception {
    GatedForward gate = new GatedForward(net::forward);
    INDArray inputs = samples(net, 2, 11);
    BatchingPredictor predictor = BatchingPredictor.builder("lenet", gate).maxBatch(1).build();
    CompletableFuture<INDArray> running = predictor.submit(rows(inputs, 0, 1));
    gate.awaitFirstBatch();
    CompletableFuture<INDArray> queued = predictor.submit(rows(inputs, 1, 1));
    assertThat(predictor.close(Duration.ofMillis(100))).isFalse();
    assertEquals(PredictionRejectedException.Reason.CLOSED, rejection(queued));
    gate.open();
    assertClose(net.forward(rows(inputs, 0, 1)), running.get(30, TimeUnit.SECONDS), TOLERANCE, "running");
    assertThat(gate.batchSizes()).containsExactly(1L);
  }

  @Test
  void optionsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> BatchingPredictor.builder(net).maxBatch(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBatch must be at least 1, got 0");
    assertThatThrownBy(() -> BatchingPredictor.builder(net).queueCapacity(0).build())
        .hasMessage("queueCapacity must be at least 1, got 0");
    assertThatThrownBy(() -> BatchingPredictor.builder(net).maxDelay(Duration.ofMillis(-1)).build())
        .hasMessageStartingWith("maxDelay must not be negative");
    assertThatThrownBy(() -> BatchingPredictor.builder(net).instances(0).build())
        .hasMessage("instances must be at least 1, got 0");
    try (BatchingPredictor predictor = BatchingPredictor.builder(net).build()) {
      assertThatThrownBy(() -> predictor.submit(org.nd4j.linalg.factory.Nd4j.scalar(1f)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch [n, ...sample]");
    }
  }
}
