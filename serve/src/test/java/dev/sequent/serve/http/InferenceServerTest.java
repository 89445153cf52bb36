package dev.sequent.serve.http;

import static dev.sequent.serve.testing.HttpTestClient.binaryBody;
import static dev.sequent.serve.testing.HttpTestClient.binaryInferHeader;
import static dev.sequent.serve.testing.HttpTestClient.binaryOutput;
import static dev.sequent.serve.testing.HttpTestClient.json;
import static dev.sequent.serve.testing.HttpTestClient.jsonInfer;
import static dev.sequent.serve.testing.HttpTestClient.jsonOutput;
import static dev.sequent.serve.testing.HttpTestClient.text;
import static dev.sequent.serve.testing.ServeFixtures.assertClose;
import static dev.sequent.serve.testing.ServeFixtures.rows;
import static dev.sequent.serve.testing.ServeFixtures.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import dev.sequent.serve.BatchingPredictor;
import dev.sequent.serve.testing.HttpTestClient;
import dev.sequent.serve.testing.ServeFixtures;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The server on 127.0.0.1 (an ephemeral port) with LeNet-5 from the PyTorch file and from the
 * Keras file, through {@link java.net.http.HttpClient}: metadata, JSON and binary inference
 * (answers equal to the frameworks' recorded outputs and to the model's own single forward),
 * TF Serving's predict, every kind of bad request (a 4xx naming the problem, then a correct answer),
 * 32 concurrent clients, and the metrics.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InferenceServerTest {
  private static final double SAME = 1e-6;     // batched vs single forward on the same network
  private static final double FRAMEWORK = 1e-5; // Sequent vs what PyTorch / Keras recorded
  private static final int LIMIT = 256 * 1024;

  private static Network torch;
  private static Network keras;
  private static InferenceServer server;
  private static HttpTestClient client;

  @BeforeAll
  static void start() {
    torch = ServeFixtures.torchLeNet();
    keras = ServeFixtures.kerasLeNet();
    server = InferenceServer.builder().port(0).maxRequestBytes(LIMIT)
        .model("lenet_torch", torch, BatchingPredictor.builder(torch).maxBatch(32).maxDelay(Duration.ofMillis(2)))
        .model("lenet_keras", keras, BatchingPredictor.builder(keras).maxBatch(32).maxDelay(Duration.ofMillis(2)))
        .start();
    client = new HttpTestClient(server.baseUri());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      assertThat(server.shutdown(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void listensOnLoopbackOnTheChosenPort() {
    assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isPositive();
  }

  @Test
  void healthAndServerMetadata() {
    assertEquals(200, client.get("/v2/health/live").statusCode());
    assertEquals(200, client.get("/v2/health/ready").statusCode());
    JsonNode metadata = json(client.get("/v2"));
    assertEquals("sequent", metadata.get("name").asText());
    assertThat(metadata.get("extensions").toString()).contains("binary_tensor_data");
  }

  @Test
  void modelMetadataGivesTensorsWithAVariableBatch() {
    JsonNode t = json(client.get("/v2/models/lenet_torch"));
    assertEquals("lenet_torch", t.get("name").asText());
    assertEquals("sequent_pytorch", t.get("platform").asText());
    assertEquals("[\"1\"]", t.get("versions").toString());
    assertEquals("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}", t.get("inputs").get(0).toString());
    assertEquals("{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[-1,10]}", t.get("outputs").get(0).toString());
    JsonNode k = json(client.get("/v2/models/lenet_keras/versions/1"));
    assertEquals("sequent_keras", k.get("platform").asText());
    assertEquals("[-1,28,28,1]", k.get("inputs").get(0).get("shape").toString());
    assertEquals(200, client.get("/v2/models/lenet_keras/ready").statusCode());
    assertEquals(200, client.get("/v2/models/lenet_torch/versions/1/ready").statusCode());
    HttpResponse<byte[]> noVersion = client.get("/v2/models/lenet_torch/versions/2");
    assertEquals(404, noVersion.statusCode());
    assertThat(json(noVersion).get("error").asText()).isEqualTo("model lenet_torch has no version '2'; its one version is 1");
    assertEquals(404, client.get("/v2/models/nope/ready").statusCode());
    assertEquals("AVAILABLE", json(client.get("/v1/models/lenet_torch")).get("model_version_status").get(0)
        .get("state").asText());
  }

  @Test
  void jsonInferenceReproducesPyTorchAndKeras() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    HttpResponse<byte[]> response = client.post("/v2/models/lenet_torch/infer", jsonInfer(x, "req-7"));
    assertEquals(200, response.statusCode(), () -> text(response));
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    JsonNode body = json(response);
    assertEquals("req-7", body.get("id").asText());
    assertEquals("lenet_torch", body.get("model_name").asText());
    assertEquals("FP32", body.get("outputs").get(0).get("datatype").asText());
    INDArray y = jsonOutput(response);
    assertClose(Fixtures.npy("lenet5", "output_torch.npy"), y, FRAMEWORK, "vs PyTorch");
    assertClose(torch.forward(x), y, SAME, "vs the model's forward");

    INDArray xk = Fixtures.npy("lenet5", "input_keras.npy");
    HttpResponse<byte[]> k = client.post("/v2/models/lenet_keras/infer", jsonInfer(xk, null));
    assertEquals(200, k.statusCode(), () -> text(k));
    assertThat(json(k).has("id")).isFalse();
    assertClose(Fixtures.npy("lenet5", "output_keras3.npy"), jsonOutput(k), FRAMEWORK, "vs Keras 3");
  }

  @Test
  void nestedJsonDataIsAcceptedAsTheSpecAllows() {
    INDArray x = rows(Fixtures.npy("lenet5", "input_torch.npy"), 0, 1);
    StringBuilder nested = new StringBuilder("[[[");
    float[] v = Nd4j.toFlattened(x).toFloatVector();
    for (int r = 0; r < 28; r++) {
      nested.append(r == 0 ? "[" : ",[");
      for (int c = 0; c < 28; c++) {
        nested.append(c == 0 ? "" : ",").append(v[r * 28 + c]);
      }
      nested.append("]");
    }
    nested.append("]]]");
    String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,1,28,28],\"data\":" + nested + "}]}";
    HttpResponse<byte[]> response = client.post("/v2/models/lenet_torch/infer", body);
    assertEquals(200, response.statusCode(), () -> text(response));
    assertClose(torch.forward(x), jsonOutput(response), SAME, "nested data");
  }

  @Test
  void binaryInferenceAsTritonClientSendsIt() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    String header = binaryInferHeader(x, true);
    byte[] body = binaryBody(header, Nd4j.toFlattened(x).toFloatVector());
    HttpResponse<byte[]> response = client.post("/v2/models/lenet_torch/infer", body,
        "Inference-Header-Content-Length", Integer.toString(header.length()),
        "Content-Type", "application/octet-stream");
    assertEquals(200, response.statusCode(), () -> text(response));
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/octet-stream");
    INDArray y = binaryOutput(response);
    assertClose(Fixtures.npy("lenet5", "output_torch.npy"), y, FRAMEWORK, "binary vs PyTorch");
    assertClose(torch.forward(x), y, SAME, "binary vs forward");

    // binary input, JSON output
    String jsonOut = binaryInferHeader(x, false);
    HttpResponse<byte[]> mixed = client.post("/v2/models/lenet_torch/infer",
        binaryBody(jsonOut, Nd4j.toFlattened(x).toFloatVector()), "Inference-Header-Content-Length",
        Integer.toString(jsonOut.length()));
    assertEquals(200, mixed.statusCode(), () -> text(mixed));
    assertThat(mixed.headers().firstValue("Inference-Header-Content-Length")).isEmpty();
    assertClose(y, jsonOutput(mixed), SAME, "JSON output of a binary request");

    // no outputs named: tritonclient then sets binary_data_output
    String all = "{\"inputs\":[{\"name\":\"input\",\"shape\":[8,1,28,28],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":" + 4 * x.length() + "}}],\"parameters\":{\"binary_data_output\":true}}";
    HttpResponse<byte[]> allBinary = client.post("/v2/models/lenet_torch/infer",
        binaryBody(all, Nd4j.toFlattened(x).toFloatVector()), "Inference-Header-Content-Length",
        Integer.toString(all.length()));
    assertEquals(200, allBinary.statusCode(), () -> text(allBinary));
    assertClose(y, binaryOutput(allBinary), SAME, "binary_data_output");
  }

  @Test
  void rawBinaryRequestIsOneSample() {
    INDArray x = rows(Fixtures.npy("lenet5", "input_keras.npy"), 3, 1);
    HttpResponse<byte[]> response = client.post("/v2/models/lenet_keras/infer",
        binaryBody("", Nd4j.toFlattened(x).toFloatVector()), "Inference-Header-Content-Length", "0");
    assertEquals(200, response.statusCode(), () -> text(response));
    assertClose(rows(Fixtures.npy("lenet5", "output_keras3.npy"), 3, 1), binaryOutput(response), FRAMEWORK, "raw");
  }

  @Test
  void gzipRequestBodiesAreDecompressed() throws Exception {
    INDArray x = rows(Fixtures.npy("lenet5", "input_torch.npy"), 0, 2);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(jsonInfer(x, null).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    HttpResponse<byte[]> response = client.post("/v2/models/lenet_torch/infer", zipped.toByteArray(),
        "Content-Encoding", "gzip");
    assertEquals(200, response.statusCode(), () -> text(response));
    assertClose(torch.forward(x), jsonOutput(response), SAME, "gzip");
  }

  @Test
  void tfServingPredictInRowAndColumnarFormats() {
    INDArray x = rows(Fixtures.npy("lenet5", "input_keras.npy"), 0, 3);
    INDArray expected = rows(Fixtures.npy("lenet5", "output_keras3.npy"), 0, 3);
    String instances = HttpTestClient.JSON.createObjectNode().set("instances",
        HttpTestClient.JSON.valueToTree(nested(x))).toString();
    HttpResponse<byte[]> rowsResponse = client.post("/v1/models/lenet_keras:predict", instances);
    assertEquals(200, rowsResponse.statusCode(), () -> text(rowsResponse));
    JsonNode predictions = json(rowsResponse).get("predictions");
    assertEquals(3, predictions.size());
    assertClose(expected, fromNested(predictions, 3, 10), FRAMEWORK, "instances vs Keras");

    String named = "{\"signature_name\":\"serving_default\",\"instances\":[{\"input\":"
        + HttpTestClient.JSON.valueToTree(nested(x)).get(1) + "}]}";
    HttpResponse<byte[]> namedResponse = client.post("/v1/models/lenet_keras/versions/1:predict", named);
    assertEquals(200, namedResponse.statusCode(), () -> text(namedResponse));
    assertClose(rows(expected, 1, 1), fromNested(json(namedResponse).get("predictions"), 1, 10), FRAMEWORK, "named");

    String columnar = "{\"inputs\":" + HttpTestClient.JSON.valueToTree(nested(x)) + "}";
    HttpResponse<byte[]> columns = client.post("/v1/models/lenet_keras:predict", columnar);
    assertEquals(200, columns.statusCode(), () -> text(columns));
    assertClose(expected, fromNested(json(columns).get("outputs"), 3, 10), FRAMEWORK, "columnar");
  }

  /** A batch as nested lists, as a Python client's {@code x.tolist()}. */
  private static Object nested(INDArray x) {
    return toLists(Nd4j.toFlattened('c', x).toFloatVector(), x.shape(), 0, new int[] {0});
  }

  private static Object toLists(float[] values, long[] shape, int depth, int[] next) {
    if (depth == shape.length) {
      return values[next[0]++];
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < shape[depth]; i++) {
      out.add(toLists(values, shape, depth + 1, next));
    }
    return out;
  }

  private static INDArray fromNested(JsonNode rows, int n, int width) {
    float[] values = new float[n * width];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < width; j++) {
        values[i * width + j] = rows.get(i).get(j).floatValue();
      }
    }
    return Nd4j.create(values, new long[] {n, width}, 'c');
  }

  // ---------------------------------------------------------------- bad requests

  static Stream<Arguments> badRequests() {
    INDArray one = rows(Fixtures.npy("lenet5", "input_torch.npy"), 0, 1);
    String good = jsonInfer(one, null);
    String v2 = "/v2/models/lenet_torch/infer";
    String v1 = "/v1/models/lenet_torch:predict";
    String sevenHundred = good.replaceFirst("\"data\":\\[([^,]*,){84}", "\"data\":[");
    return Stream.of(
        Arguments.of("malformed JSON", v2, "{\"inputs\": [", new String[0], 400, "malformed JSON in the inference request at line 1"),
        Arguments.of("not an object", v2, "[1, 2, 3]", new String[0], 400, "must be a JSON object, not an array"),
        Arguments.of("empty body", v2, "", new String[0], 400, "the inference request is empty"),
        Arguments.of("no inputs", v2, "{\"id\": \"1\"}", new String[0], 400, "the request needs \"inputs\""),
        Arguments.of("wrong shape", v2, good.replace("[1,1,28,28]", "[1,28,28]"), new String[0], 400,
            "input 'input' has shape [1,28,28]; model lenet_torch takes [-1,1,28,28]"),
        Arguments.of("wrong datatype", v2, good.replace("FP32", "FP64"), new String[0], 400,
            "input 'input' has datatype FP64; model lenet_torch takes FP32"),
        Arguments.of("too few values", v2, sevenHundred, new String[0], 400,
            "input 'input' has 700 values; its shape [1,1,28,28] needs 784"),
        Arguments.of("a string among the values", v2, good.replaceFirst("\"data\":\\[[^,]*,", "\"data\":[\"x\","),
            new String[0], 400, "value 0 is a string (\"x\"); FP32 data must be numbers"),
        Arguments.of("unknown input name", v2, good.replace("\"name\":\"input\"", "\"name\":\"pixels\""), new String[0],
            400, "model lenet_torch has no input 'pixels'; its input is 'input'"),
        Arguments.of("unknown output", v2, good.replace("}]}", "}],\"outputs\":[{\"name\":\"probs\"}]}"), new String[0],
            400, "the model has no output 'probs'; its output is 'output'"),
        Arguments.of("classification requested", v2,
            good.replace("}]}", "}],\"outputs\":[{\"name\":\"output\",\"parameters\":{\"classification\":3}}]}"),
            new String[0], 400, "the classification extension is not supported"),
        Arguments.of("unknown model", "/v2/models/nope/infer", good, new String[0], 404,
            "unknown model 'nope'; this server serves lenet_torch, lenet_keras"),
        Arguments.of("oversized body", v2, "{\"inputs\": [" + " ".repeat(LIMIT) + "]}", new String[0], 413,
            "larger than the server's limit of " + LIMIT + " bytes"),
        Arguments.of("bad header length", v2, good, new String[] {"Inference-Header-Content-Length", "abc"}, 400,
            "Inference-Header-Content-Length is 'abc'"),
        Arguments.of("binary size not matching the shape", v2,
            good.replaceFirst(",\"data\":\\[.*\\]}]}", ",\"parameters\":{\"binary_data_size\":100}}]}"),
            new String[0], 400, "declares binary_data_size 100; shape [1,1,28,28] of FP32 needs 3136 bytes"),
        Arguments.of("bad timeout", v2, good.replace("{\"inputs\"", "{\"parameters\":{\"timeout\":\"soon\"},\"inputs\""),
            new String[0], 400, "timeout (microseconds) must be a whole number"),
        Arguments.of("unsupported encoding", v2, good, new String[] {"Content-Encoding", "br"}, 415,
            "Content-Encoding 'br' is not supported"),
        Arguments.of("v1 malformed JSON", v1, "{\"instances\": [[", new String[0], 400, "malformed JSON in the predict request"),
        Arguments.of("v1 no instances", v1, "{\"examples\": []}", new String[0], 400, "the request needs \"instances\""),
        Arguments.of("v1 wrong instance shape", v1, "{\"instances\": [[[1, 2], [3, 4]]]}", new String[0], 400,
            "instances[0] has shape [2,2]; the model takes [1,28,28]"),
        Arguments.of("v1 unknown model", "/v1/models/nope:predict", "{\"instances\": []}", new String[0], 404,
            "unknown model 'nope'"),
        Arguments.of("v1 not a predict call", "/v1/models/lenet_torch:classify", "{}", new String[0], 404,
            "no TF Serving endpoint /v1/models/lenet_torch:classify"),
        Arguments.of("no such route", "/v3/anything", "{}", new String[0], 404, "not found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void aBadRequestGetsA4xxNamingTheProblemAndTheServerStillAnswers(String what, String path, String body,
      String[] headers, int status, String message) {
    HttpResponse<byte[]> response = client.post(path, body, headers);
    assertEquals(status, response.statusCode(), () -> what + ": " + text(response));
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    String error = json(response).get("error").asText();
    assertThat(error).contains(message).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Source:");
    INDArray x = rows(samples(torch, 1, what.hashCode()), 0, 1);
    HttpResponse<byte[]> after = client.post("/v2/models/lenet_torch/infer", jsonInfer(x, null));
    assertEquals(200, after.statusCode(), () -> "after " + what + ": " + text(after));
    assertClose(torch.forward(x), jsonOutput(after), SAME, "answer after " + what);
  }

  @Test
  void wrongMethodIs405() {
    HttpResponse<byte[]> response = client.get("/v2/models/lenet_torch/infer");
    assertEquals(405, response.statusCode(), () -> text(response));
    assertThat(json(response).has("error")).isTrue();
  }

  // ---------------------------------------------------------------- load and metrics

  @Test
  void thirtyTwoConcurrentClientsAllGetTheirOwnCorrectAnswers() throws Exception {
    int clients = 32;
    int rounds = 4;
    INDArray torchInputs = samples(torch, clients, 100);
    INDArray kerasInputs = samples(keras, clients, 101);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int id = c;
        running.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            boolean useTorch = (id + r) % 2 == 0;
            Network net = useTorch ? torch : keras;
            INDArray x = rows(useTorch ? torchInputs : kerasInputs, (id + r) % clients, 1);
            HttpResponse<byte[]> response = client.post("/v2/models/" + (useTorch ? "lenet_torch" : "lenet_keras")
                + "/infer", jsonInfer(x, "c" + id + "r" + r));
            assertEquals(200, response.statusCode(), () -> text(response));
            assertEquals("c" + id + "r" + r, json(response).get("id").asText());
            assertClose(net.forward(x), jsonOutput(response), SAME, "client " + id + " round " + r);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void metricsCountRequestsErrorsLatencyBatchesAndQueue() {
    double before = metric("sequent_requests_total{model=\"lenet_keras\",protocol=\"v2\",status=\"200\"}");
    double batchesBefore = metric("sequent_batch_size_sum{model=\"lenet_keras\"}");
    INDArray x = samples(keras, 3, 7);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, client.post("/v2/models/lenet_keras/infer", jsonInfer(rows(x, i, 1), null)).statusCode());
    }
    assertEquals(400, client.post("/v2/models/lenet_keras/infer", "{").statusCode());
    assertEquals(404, client.post("/v2/models/invented/infer", "{}").statusCode());
    HttpResponse<byte[]> metrics = client.get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    String text = text(metrics);
    assertEquals(before + 3, metric(text, "sequent_requests_total{model=\"lenet_keras\",protocol=\"v2\",status=\"200\"}"));
    assertEquals(batchesBefore + 3, metric(text, "sequent_batch_size_sum{model=\"lenet_keras\"}"));
    assertThat(metric(text, "sequent_request_errors_total{model=\"lenet_keras\",reason=\"bad_request\"}")).isGreaterThanOrEqualTo(1);
    assertThat(metric(text, "sequent_request_errors_total{model=\"(unknown)\",reason=\"unknown_model\"}")).isGreaterThanOrEqualTo(1);
    assertThat(text).contains("sequent_requests_total{model=\"lenet_keras\",protocol=\"v2\",status=\"400\"}")
        .contains("sequent_request_duration_seconds_bucket{model=\"lenet_keras\",protocol=\"v2\",le=\"0.01\"}")
        .contains("sequent_batch_size_bucket{model=\"lenet_keras\",le=\"32.0\"}")
        .contains("sequent_batch_duration_seconds_count{model=\"lenet_keras\"}")
        .contains("sequent_queue_depth{model=\"lenet_keras\"} 0.0")
        .doesNotContain("model=\"invented\"");
  }

  private static double metric(String series) {
    String text = text(client.get("/metrics"));
    return text.contains(series + " ") ? metric(text, series) : 0;
  }

  private static double metric(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("series %s in /metrics", series).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
