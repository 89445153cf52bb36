package dev.sequent.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * The Open Inference Protocol (KServe v2 REST, as Triton, KServe and MLServer speak it) for one
 * FP32 input and one FP32 output, with Triton's binary tensor data extension as tritonclient
 * uses it:
 *
 * <ul>
 *   <li>the body is the JSON inference header, then the binary tensors in input order; the
 *       {@code Inference-Header-Content-Length} header gives the JSON's length (absent: all JSON;
 *       0: the whole body is the one input's data, one sample);
 *   <li>an input carrying {@code "parameters": {"binary_data_size": N}} has its N bytes
 *       (little-endian, row-major) in the binary part instead of {@code "data"};
 *   <li>an output requested with {@code "parameters": {"binary_data": true}}, or every output
 *       when the request's parameters say {@code "binary_data_output": true} (what tritonclient
 *       sends when no outputs are named), is returned the same way, the response then carrying
 *       {@code Inference-Header-Content-Length};
 *   <li>the request parameter {@code "timeout"} (microseconds, as tritonclient's {@code
 *       timeout=}) bounds how long the request may wait in the batching queue.
 * </ul>
 *
 * <p>Every way a request can be wrong is a {@link ClientErrorException} naming the field.
 */
final class OpenInferenceProtocol {
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private OpenInferenceProtocol() {}

  /** An inference request, checked against the model. */
  record InferRequest(String id, long[] shape, float[] values, boolean binaryOutput, Duration timeout) {}

  /** A response body; {@code jsonLength} is the JSON header's length when binary data follows it, else -1. */
  record EncodedResponse(byte[] body, int jsonLength) {
    String contentType() {
      return jsonLength < 0 ? "application/json" : "application/octet-stream";
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * Reads an inference request for {@code model}.
   *
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null
   */
  static InferRequest parseInfer(byte[] body, String headerLength, ServedModel model) {
    int jsonLength = jsonLength(body, headerLength);
    if (headerLength != null && jsonLength == 0) {
      return rawBinary(body, model);
    }
    JsonNode root = JsonTensors.parseObject(body, 0, jsonLength, "inference request");
    String id = null;
    JsonNode idNode = root.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual()) {
        throw ClientErrorException.badRequest("\"id\" must be a string, not " + JsonTensors.kind(idNode));
      }
      id = idNode.asText();
    }
    JsonNode parameters = objectOrEmpty(root, "parameters", "the request's \"parameters\"");
    boolean binaryOutput = booleanParameter(parameters, "binary_data_output", "the request's parameter");
    Duration timeout = timeout(parameters);

    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw ClientErrorException.badRequest("the request needs \"inputs\": an array with the model's one input '"
          + ServedModel.INPUT + "'" + (inputs == null ? "" : "; got " + JsonTensors.kind(inputs)));
    }
    if (inputs.size() != 1) {
      throw ClientErrorException.badRequest("model " + model.name() + " takes 1 input ('" + ServedModel.INPUT
          + "'); the request has " + inputs.size());
    }
    JsonNode input = inputs.get(0);
    if (!input.isObject()) {
      throw ClientErrorException.badRequest("inputs[0] must be an object, not " + JsonTensors.kind(input));
    }
    long[] shape = checkedInput(input, model);
    String what = "input '" + ServedModel.INPUT + "'";
    int count = count(shape, what);
    JsonNode inputParameters = objectOrEmpty(input, "parameters", what + "'s \"parameters\"");
    JsonNode binarySize = inputParameters.get("binary_data_size");
    JsonNode data = input.get("data");
    float[] values;
    int binaryLength = body.length - jsonLength;
    if (binarySize != null) {
      if (data != null) {
        throw ClientErrorException.badRequest(what + " has both \"data\" and a binary_data_size parameter; send one");
      }
      if (!binarySize.canConvertToLong() || !binarySize.isIntegralNumber() || binarySize.asLong() < 0) {
        throw ClientErrorException.badRequest(what + ": binary_data_size must be a whole number of bytes, not "
            + JsonTensors.kind(binarySize));
      }
      long size = binarySize.asLong();
      if (size != 4L * count) {
        throw ClientErrorException.badRequest(what + " declares binary_data_size " + size + "; shape "
            + JsonTensors.shapeText(shape) + " of FP32 needs " + 4L * count + " bytes");
      }
      if (binaryLength != size) {
        throw ClientErrorException.badRequest("the binary part after the " + jsonLength + "-byte JSON header has "
            + binaryLength + " bytes; the inputs declare " + size + " (binary_data_size)");
      }
      values = littleEndianFloats(body, jsonLength, count);
    } else {
      if (binaryLength != 0) {
        throw ClientErrorException.badRequest("the body has " + binaryLength + " bytes after the " + jsonLength
            + "-byte JSON header, but no input declares binary_data_size");
      }
      if (data == null) {
        throw ClientErrorException.badRequest(what + " has neither \"data\" nor a binary_data_size parameter");
      }
      values = JsonTensors.numbers(data, count, what, JsonTensors.shapeText(shape));
    }
    return new InferRequest(id, shape, values, requestedBinary(root, binaryOutput), timeout);
  }

  private static int jsonLength(byte[] body, String headerLength) {
    if (headerLength == null) {
      return body.length;
    }
    long length;
    try {
      length = Long.parseLong(headerLength.strip());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > body.length) {
      throw ClientErrorException.badRequest(HEADER_LENGTH + " is '" + headerLength + "'; it must be the length of "
          + "the JSON header, a whole number from 0 to the body's " + body.length + " bytes");
    }
    return (int) length;
  }

  /** Triton's raw binary request: no JSON header, the body is one sample of the one input. */
  private static InferRequest rawBinary(byte[] body, ServedModel model) {
    long[] shape = model.inputShape().withBatch(1);
    int count = count(shape, "input '" + ServedModel.INPUT + "'");
    if (body.length != 4L * count) {
      throw ClientErrorException.badRequest("a raw binary request (" + HEADER_LENGTH + ": 0) carries one sample: "
          + 4L * count + " bytes of FP32 for shape " + JsonTensors.shapeText(shape) + "; the body has "
          + body.length);
    }
    return new InferRequest(null, shape, littleEndianFloats(body, 0, count), true, null);
  }

  /** The input's name, datatype and shape checked against the model; returns the shape. */
  private static long[] checkedInput(JsonNode input, ServedModel model) {
    JsonNode name = input.get("name");
    if (name == null || !name.isTextual()) {
      throw ClientErrorException.badRequest("inputs[0] needs a \"name\" (the model's input is '" + ServedModel.INPUT
          + "')");
    }
    if (!name.asText().equals(ServedModel.INPUT)) {
      throw ClientErrorException.badRequest("model " + model.name() + " has no input '" + name.asText()
          + "'; its input is '" + ServedModel.INPUT + "'");
    }
    String what = "input '" + ServedModel.INPUT + "'";
    JsonNode datatype = input.get("datatype");
    if (datatype == null || !datatype.isTextual()) {
      throw ClientErrorException.badRequest(what + " needs a \"datatype\" (" + ServedModel.DATATYPE + ")");
    }
    if (!datatype.asText().equals(ServedModel.DATATYPE)) {
      throw ClientErrorException.badRequest(what + " has datatype " + datatype.asText() + "; model " + model.name()
          + " takes " + ServedModel.DATATYPE);
    }
    JsonNode shapeNode = input.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw ClientErrorException.badRequest(what + " needs a \"shape\": an array of dimensions, batch first");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw ClientErrorException.badRequest(what + ": shape[" + i + "] is " + JsonTensors.kind(d)
            + "; dimensions are whole numbers >= 0");
      }
      shape[i] = d.asLong();
    }
    long[] expected = model.inputShape().withBatch(-1);
    boolean fits = shape.length == expected.length && shape[0] >= 1;
    for (int i = 1; fits && i < shape.length; i++) {
      fits = shape[i] == expected[i];
    }
    if (!fits) {
      throw ClientErrorException.badRequest(what + " has shape " + JsonTensors.shapeText(shape) + "; model "
          + model.name() + " takes " + JsonTensors.shapeText(expected) + " (batch first, -1: any batch size >= 1)");
    }
    return shape;
  }

  static int count(long[] shape, String what) {
    long count = 1;
    for (long d : shape) {
      count *= d;
      if (count > Integer.MAX_VALUE / 4) {
        throw ClientErrorException.badRequest(what + " of shape " + JsonTensors.shapeText(shape) + " is too large");
      }
    }
    return (int) count;
  }

  /** Whether the output is to be returned as binary data: its own parameter, else the request's. */
  private static boolean requestedBinary(JsonNode root, boolean binaryOutput) {
    JsonNode outputs = root.get("outputs");
    if (outputs == null || outputs.isNull()) {
      return binaryOutput;
    }
    if (!outputs.isArray()) {
      throw ClientErrorException.badRequest("\"outputs\" must be an array of requested outputs, not "
          + JsonTensors.kind(outputs));
    }
    boolean binary = binaryOutput;
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode output = outputs.get(i);
      JsonNode name = output.get("name");
      if (!output.isObject() || name == null || !name.isTextual()) {
        throw ClientErrorException.badRequest("outputs[" + i + "] must be an object with a \"name\" (the model's "
            + "output is '" + ServedModel.OUTPUT + "')");
      }
      if (!name.asText().equals(ServedModel.OUTPUT)) {
        throw ClientErrorException.badRequest("the model has no output '" + name.asText() + "'; its output is '"
            + ServedModel.OUTPUT + "'");
      }
      JsonNode parameters = objectOrEmpty(output, "parameters", "outputs[" + i + "]'s \"parameters\"");
      if (parameters.has("classification")) {
        // Answering with the raw scores would silently break a client that expects class labels
        throw ClientErrorException.badRequest("the classification extension is not supported; request output '"
            + ServedModel.OUTPUT + "' without class_count and take the top classes from its scores");
      }
      if (parameters.has("binary_data")) {
        binary = booleanParameter(parameters, "binary_data", "outputs[" + i + "]'s parameter");
      }
    }
    return binary;
  }

  private static JsonNode objectOrEmpty(JsonNode parent, String field, String what) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return JsonTensors.JSON.createObjectNode();
    }
    if (!node.isObject()) {
      throw ClientErrorException.badRequest(what + " must be an object, not " + JsonTensors.kind(node));
    }
    return node;
  }

  private static boolean booleanParameter(JsonNode parameters, String name, String what) {
    JsonNode value = parameters.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw ClientErrorException.badRequest(what + " " + name + " must be true or false, not " + JsonTensors.kind(value));
    }
    return value.asBoolean();
  }

  /** Triton's {@code timeout} request parameter, in microseconds; 0 or absent: none. */
  private static Duration timeout(JsonNode parameters) {
    JsonNode value = parameters.get("timeout");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw ClientErrorException.badRequest("the request's parameter timeout (microseconds) must be a whole number "
          + ">= 0, not " + JsonTensors.kind(value));
    }
    long micros = value.asLong();
    return micros == 0 ? null : Duration.ofNanos(Math.multiplyExact(Math.min(micros, Long.MAX_VALUE / 1000), 1000L));
  }

  private static float[] littleEndianFloats(byte[] body, int offset, int count) {
    float[] values = new float[count];
    ByteBuffer.wrap(body, offset, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  // ---------------------------------------------------------------- responses

  /** The inference response for {@code request}: the output {@code values} of {@code shape}. */
  static EncodedResponse inferResponse(ServedModel model, InferRequest request, long[] shape, float[] values) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(request.binaryOutput() ? 256 + 4 * values.length
        : 64 + 12 * values.length);
    try (JsonGenerator out = JsonTensors.JSON.getFactory().createGenerator(body)) {
      out.writeStartObject();
      out.writeStringField("model_name", model.name());
      out.writeStringField("model_version", ServedModel.VERSION);
      if (request.id() != null) {
        out.writeStringField("id", request.id());
      }
      out.writeArrayFieldStart("outputs");
      out.writeStartObject();
      out.writeStringField("name", ServedModel.OUTPUT);
      out.writeStringField("datatype", ServedModel.DATATYPE);
      out.writeArrayFieldStart("shape");
      for (long d : shape) {
        out.writeNumber(d);
      }
      out.writeEndArray();
      if (request.binaryOutput()) {
        out.writeObjectFieldStart("parameters");
        out.writeNumberField("binary_data_size", 4L * values.length);
        out.writeEndObject();
      } else {
        out.writeArrayFieldStart("data");
        for (float v : values) {
          out.writeNumber(v);
        }
        out.writeEndArray();
      }
      out.writeEndObject();
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!request.binaryOutput()) {
      return new EncodedResponse(body.toByteArray(), -1);
    }
    int jsonLength = body.size();
    ByteBuffer binary = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    binary.asFloatBuffer().put(values);
    body.write(binary.array(), 0, binary.capacity());
    return new EncodedResponse(body.toByteArray(), jsonLength);
  }

  /** {@code GET /v2}: the server's name, version and the extensions it speaks. */
  static byte[] serverMetadata(String version) {
    var root = JsonTensors.JSON.createObjectNode();
    root.put("name", "sequent");
    root.put("version", version);
    root.putArray("extensions").add("binary_tensor_data");
    return json(root);
  }

  /** {@code GET /v2/models/{name}}: the model's tensors, batch axis variable. */
  static byte[] modelMetadata(ServedModel model) {
    var root = JsonTensors.JSON.createObjectNode();
    root.put("name", model.name());
    root.putArray("versions").add(ServedModel.VERSION);
    root.put("platform", model.platform());
    tensor(root.putArray("inputs").addObject(), ServedModel.INPUT, model.inputShape().withBatch(-1));
    tensor(root.putArray("outputs").addObject(), ServedModel.OUTPUT, model.outputShape().withBatch(-1));
    return json(root);
  }

  private static void tensor(com.fasterxml.jackson.databind.node.ObjectNode node, String name, long[] shape) {
    node.put("name", name);
    node.put("datatype", ServedModel.DATATYPE);
    var dims = node.putArray("shape");
    for (long d : shape) {
      dims.add(d);
    }
  }

  static byte[] json(Object value) {
    try {
      return JsonTensors.JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
