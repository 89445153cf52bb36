package dev.sequent.serve.http;

import static dev.sequent.serve.testing.HttpTestClient.json;
import static dev.sequent.serve.testing.HttpTestClient.jsonInfer;
import static dev.sequent.serve.testing.HttpTestClient.jsonOutput;
import static dev.sequent.serve.testing.HttpTestClient.text;
import static dev.sequent.serve.testing.ServeFixtures.assertClose;
import static dev.sequent.serve.testing.ServeFixtures.rows;
import static dev.sequent.serve.testing.ServeFixtures.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.runtime.Network;
import dev.sequent.serve.BatchingPredictor;
import dev.sequent.serve.testing.GatedForward;
import dev.sequent.serve.testing.HttpTestClient;
import dev.sequent.serve.testing.ServeFixtures;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Load faults over HTTP, with the model's forward pass held at a gate so the queue's state is
 * known: a full queue is 503 and the queued requests are still answered; a Triton {@code timeout}
 * that passes in the queue is 503 and the request never runs; shutdown refuses new requests,
 * answers the ones in flight and queued, then stops listening.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InferenceServerFaultsTest {
  private static final double SAME = 1e-6;

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  private static INDArray answer(CompletableFuture<HttpResponse<byte[]>> pending) throws Exception {
    HttpResponse<byte[]> response = pending.get(30, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), () -> text(response));
    return jsonOutput(response);
  }

  @Test
  void aFullQueueIs503AndAPassedTimeoutIs503WhileQueuedRequestsAreAnswered() throws Exception {
    Network net = ServeFixtures.torchLeNet();
    GatedForward gate = new GatedForward(net::forward);
    INDArray x = samples(net, 5, 20);
    try (InferenceServer server = InferenceServer.builder().port(0)
        .model("lenet", net, BatchingPredictor.builder("lenet", gate).maxBatch(1).queueCapacity(2)).start()) {
      BatchingPredictor predictor = server.models().get("lenet").predictor();
      HttpTestClient client = new HttpTestClient(server.baseUri());
      String path = "/v2/models/lenet/infer";
      CompletableFuture<HttpResponse<byte[]>> running = client.postAsync(path, jsonInfer(rows(x, 0, 1), null));
      gate.awaitFirstBatch();
      CompletableFuture<HttpResponse<byte[]>> queued = client.postAsync(path, jsonInfer(rows(x, 1, 1), null));
      await("one request is queued", () -> predictor.queueDepth() == 1);

      // tritonclient's timeout= (microseconds): 50 ms, while the worker is held
      String hurried = jsonInfer(rows(x, 2, 1), null).replace("{\"inputs\"", "{\"parameters\":{\"timeout\":50000},\"inputs\"");
      HttpResponse<byte[]> late = client.post(path, hurried);
      assertEquals(503, late.statusCode(), () -> text(late));
      assertThat(json(late).get("error").asText()).contains("waited its whole timeout of 50 ms").contains("was not run");

      CompletableFuture<HttpResponse<byte[]>> queued2 = client.postAsync(path, jsonInfer(rows(x, 3, 1), null));
      await("two requests are queued", () -> predictor.queueDepth() == 2);
      HttpResponse<byte[]> refused = client.post(path, jsonInfer(rows(x, 4, 1), null));
      assertEquals(503, refused.statusCode(), () -> text(refused));
      assertThat(json(refused).get("error").asText()).isEqualTo(
          "the queue of lenet is full (2 requests waiting); try again later");

      gate.open();
      assertClose(net.forward(rows(x, 0, 1)), answer(running), SAME, "running");
      assertClose(net.forward(rows(x, 1, 1)), answer(queued), SAME, "queued");
      assertClose(net.forward(rows(x, 3, 1)), answer(queued2), SAME, "queued second");
      assertThat(gate.batchSizes()).containsExactly(1L, 1L, 1L); // the late request never ran

      String metrics = text(client.get("/metrics"));
      assertThat(metrics).contains("sequent_request_errors_total{model=\"lenet\",reason=\"queue_full\"} 1.0")
          .contains("sequent_request_errors_total{model=\"lenet\",reason=\"deadline_exceeded\"} 1.0")
          .contains("sequent_requests_total{model=\"lenet\",protocol=\"v2\",status=\"503\"} 2.0")
          .contains("sequent_requests_total{model=\"lenet\",protocol=\"v2\",status=\"200\"} 3.0");
    }
  }

  @Test
  void shutdownRefusesNewRequestsAnswersTheOnesInFlightAndStops() throws Exception {
    Network net = ServeFixtures.kerasLeNet();
    GatedForward gate = new GatedForward(net::forward);
    INDArray x = samples(net, 3, 21);
    InferenceServer server = InferenceServer.builder().port(0)
        .model("lenet", net, BatchingPredictor.builder("lenet", gate).maxBatch(1)).start();
    BatchingPredictor predictor = server.models().get("lenet").predictor();
    HttpTestClient client = new HttpTestClient(server.baseUri());
    String path = "/v2/models/lenet/infer";
    CompletableFuture<HttpResponse<byte[]>> running = client.postAsync(path, jsonInfer(rows(x, 0, 1), null));
    gate.awaitFirstBatch();
    CompletableFuture<HttpResponse<byte[]>> queued = client.postAsync(path, jsonInfer(rows(x, 1, 1), null));
    await("one request is queued", () -> predictor.queueDepth() == 1);

    AtomicBoolean drained = new AtomicBoolean();
    Thread shutdown = new Thread(() -> drained.set(server.shutdown(Duration.ofSeconds(10))));
    shutdown.start();
    await("the server is draining", () -> !server.ready());
    assertEquals(400, client.get("/v2/health/ready").statusCode());
    assertEquals(200, client.get("/v2/health/live").statusCode());
    HttpResponse<byte[]> refused = client.post(path, jsonInfer(rows(x, 2, 1), null));
    assertEquals(503, refused.statusCode(), () -> text(refused));
    assertThat(json(refused).get("error").asText()).contains("shutting down");

    gate.open();
    assertClose(net.forward(rows(x, 0, 1)), answer(running), SAME, "in flight");
    assertClose(net.forward(rows(x, 1, 1)), answer(queued), SAME, "queued");
    shutdown.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(shutdown.isAlive()).isFalse();
    assertThat(drained.get()).isTrue();
    assertThatThrownBy(() -> client.get("/v2/health/live")).isInstanceOf(UncheckedIOException.class);
  }
}
