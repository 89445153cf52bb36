package dev.sequent.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's REST predict API ({@code POST /v1/models/NAME:predict}), for clients
 * written against TF Serving: the row format {@code {"instances": [sample, ...]}} answered with
 * {@code {"predictions": [...]}}, and the columnar format {@code {"inputs": batch}} answered with
 * {@code {"outputs": batch}}. Samples are nested lists of exactly the model's sample shape; an
 * instance may also be {@code {"input": sample}} (the named form). Errors are
 * {@code {"error": "..."}}, as TF Serving writes them.
 */
final class TfServingProtocol {
  /** TF Serving's default signature, the only one a Sequent model has. */
  static final String SIGNATURE = "serving_default";

  private TfServingProtocol() {}

  /** A predict request: the batch it asks for and whether it came in the columnar format. */
  record PredictRequest(long[] shape, float[] values, boolean columnar) {}

  static PredictRequest parsePredict(byte[] body, ServedModel model) {
    JsonNode root = JsonTensors.parseObject(body, 0, body.length, "predict request");
    JsonNode signature = root.get("signature_name");
    if (signature != null && !(signature.isTextual() && signature.asText().equals(SIGNATURE))) {
      throw ClientErrorException.badRequest("model " + model.name() + " has one signature, " + SIGNATURE
          + "; the request asks for " + JsonTensors.kind(signature));
    }
    JsonNode instances = root.get("instances");
    JsonNode inputs = root.get("inputs");
    int[] sample = model.inputShape().toArray();
    String sampleText = JsonTensors.shapeText(Arrays.stream(sample).boxed().toList());
    if (instances != null && inputs != null) {
      throw ClientErrorException.badRequest("send either \"instances\" (row format) or \"inputs\" (columnar format), "
          + "not both");
    }
    if (instances == null && inputs == null) {
      throw ClientErrorException.badRequest("the request needs \"instances\": a list of samples of shape " + sampleText
          + " (or \"inputs\": one batch)");
    }
    int perSample = OpenInferenceProtocol.count(model.inputShape().withBatch(1), "a sample");
    if (instances != null) {
      if (!instances.isArray() || instances.isEmpty()) {
        throw ClientErrorException.badRequest("\"instances\" must be a non-empty list of samples of shape "
            + sampleText + ", not " + (instances.isArray() ? "an empty list" : JsonTensors.kind(instances)));
      }
      int n = instances.size();
      float[] values = new float[Math.multiplyExact(n, perSample)];
      for (int i = 0; i < n; i++) {
        String what = "instances[" + i + "]";
        JsonNode instance = unnamed(instances.get(i), what);
        JsonTensors.nestedNumbers(instance, sample, values, i * perSample, what);
      }
      return new PredictRequest(model.inputShape().withBatch(n), values, false);
    }
    JsonNode batch = unnamed(inputs, "\"inputs\"");
    List<Integer> dims = JsonTensors.nestedShape(batch);
    if (dims.isEmpty() || dims.get(0) < 1) {
      throw ClientErrorException.badRequest("\"inputs\" must be a batch: a non-empty list of samples of shape "
          + sampleText);
    }
    int n = dims.get(0);
    int[] batchDims = new int[sample.length + 1];
    batchDims[0] = n;
    System.arraycopy(sample, 0, batchDims, 1, sample.length);
    float[] values = new float[Math.multiplyExact(n, perSample)];
    JsonTensors.nestedNumbers(batch, batchDims, values, 0, "\"inputs\"");
    return new PredictRequest(model.inputShape().withBatch(n), values, true);
  }

  /** The named form {@code {"input": value}} unwrapped; anything else as it is. */
  private static JsonNode unnamed(JsonNode node, String what) {
    if (!node.isObject()) {
      return node;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    if (node.size() != 1 || !node.has(ServedModel.INPUT)) {
      String names = node.size() == 0 ? "none" : String.join(", ", (Iterable<String>) node::fieldNames);
      throw ClientErrorException.badRequest(what + " names inputs " + names + "; the model has one input, '"
          + ServedModel.INPUT + "'");
    }
    return fields.next().getValue();
  }

  /** {@code {"predictions": [...]}} (row format) or {@code {"outputs": batch}} (columnar). */
  static byte[] predictResponse(PredictRequest request, long[] outputShape, float[] values) {
    int[] sample = Arrays.stream(outputShape).skip(1).mapToInt(Math::toIntExact).toArray();
    int perSample = values.length / Math.toIntExact(outputShape[0]);
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 + 12 * values.length);
    try (JsonGenerator out = JsonTensors.JSON.getFactory().createGenerator(body)) {
      out.writeStartObject();
      out.writeArrayFieldStart(request.columnar() ? "outputs" : "predictions");
      for (int i = 0; i < outputShape[0]; i++) {
        JsonTensors.writeNested(out, values, i * perSample, sample);
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return body.toByteArray();
  }

  /** {@code GET /v1/models/NAME}: TF Serving's model status, the one version available. */
  static byte[] modelStatus() {
    var root = JsonTensors.JSON.createObjectNode();
    var version = root.putArray("model_version_status").addObject();
    version.put("version", ServedModel.VERSION);
    version.put("state", "AVAILABLE");
    var status = version.putObject("status");
    status.put("error_code", "OK");
    status.put("error_message", "");
    return OpenInferenceProtocol.json(root);
  }
}
