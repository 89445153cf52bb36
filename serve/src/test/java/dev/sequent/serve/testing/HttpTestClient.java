package dev.sequent.serve.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link HttpClient} requests to a server on loopback, every one with a timeout, and the Open
 * Inference Protocol bodies the tests send: JSON tensors, and Triton's binary form exactly as
 * tritonclient builds it (JSON header, then little-endian FP32, {@code
 * Inference-Header-Content-Length}).
 */
public final class HttpTestClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  public HttpTestClient(URI base) {
    this.base = base;
  }

  public HttpResponse<byte[]> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
  }

  public HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
    return send(request(path, body, headers));
  }

  public HttpResponse<byte[]> post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  public CompletableFuture<HttpResponse<byte[]>> postAsync(String path, String body) {
    return http.sendAsync(request(path, body.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest request(String path, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + text(response), e);
    }
  }

  public static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** A v2 inference request with {@code batch} as JSON data under the input name "input". */
  public static String jsonInfer(INDArray batch, String id) {
    ObjectNode root = JSON.createObjectNode();
    if (id != null) {
      root.put("id", id);
    }
    ObjectNode input = root.putArray("inputs").addObject();
    input.put("name", "input");
    input.put("datatype", "FP32");
    ArrayNode shape = input.putArray("shape");
    for (long d : batch.shape()) {
      shape.add(d);
    }
    ArrayNode data = input.putArray("data");
    for (float v : Nd4j.toFlattened('c', batch).toFloatVector()) {
      data.add(v);
    }
    return root.toString();
  }

  /** The output of a JSON v2 inference response, as an array of its shape. */
  public static INDArray jsonOutput(HttpResponse<byte[]> response) {
    JsonNode output = json(response).get("outputs").get(0);
    long[] shape = JSON.convertValue(output.get("shape"), long[].class);
    float[] values = new float[output.get("data").size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = output.get("data").get(i).floatValue();
    }
    return Nd4j.create(values, shape, 'c');
  }

  /** A binary v2 request body: {@code header} JSON then {@code values} little-endian. */
  public static byte[] binaryBody(String header, float[] values) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(json.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    body.put(json);
    body.asFloatBuffer().put(values);
    return body.array();
  }

  /** A binary v2 inference request for {@code batch}, output requested as binary, as tritonclient sends it. */
  public static String binaryInferHeader(INDArray batch, boolean binaryOutput) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode input = root.putArray("inputs").addObject();
    input.put("name", "input");
    input.put("datatype", "FP32");
    ArrayNode shape = input.putArray("shape");
    for (long d : batch.shape()) {
      shape.add(d);
    }
    input.putObject("parameters").put("binary_data_size", 4 * batch.length());
    ObjectNode output = root.putArray("outputs").addObject();
    output.put("name", "output");
    output.putObject("parameters").put("binary_data", binaryOutput);
    return root.toString();
  }

  /** The output of a binary v2 response: the JSON header's shape, the floats after it. */
  public static INDArray binaryOutput(HttpResponse<byte[]> response) {
    int headerLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length")
        .orElseThrow(() -> new AssertionError("no Inference-Header-Content-Length in a binary response")));
    JsonNode header;
    try {
      header = JSON.readTree(response.body(), 0, headerLength);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    JsonNode output = header.get("outputs").get(0);
    long[] shape = JSON.convertValue(output.get("shape"), long[].class);
    int size = output.get("parameters").get("binary_data_size").asInt();
    if (output.has("data") || response.body().length != headerLength + size) {
      throw new AssertionError("binary response of " + response.body().length + " bytes: header " + headerLength
          + ", binary_data_size " + size + ", data field " + output.has("data"));
    }
    float[] values = new float[size / 4];
    ByteBuffer.wrap(response.body(), headerLength, size).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return Nd4j.create(values, shape, 'c');
  }
}
