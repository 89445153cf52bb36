package dev.sequent.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tensors as JSON: reading request bodies (with messages that say where they are wrong), numbers
 * out of flat or nested arrays, and writing floats. Shared by both protocols.
 */
final class JsonTensors {
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonTensors() {}

  /**
   * {@code length} bytes of {@code body} from {@code offset} as a JSON object.
   *
   * @throws ClientErrorException 400 naming the line and column where the JSON breaks, or saying
   *     that the body is not an object
   */
  static JsonNode parseObject(byte[] body, int offset, int length, String what) {
    JsonNode root;
    try {
      root = JSON.readTree(body, offset, length);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      // Jackson's text may cite another location as "[Source: REDACTED (...); line: 1, column: 12]"
      String reason = e.getOriginalMessage().replaceAll("\\[Source: [^\\]]*?; line:", "[line:");
      throw ClientErrorException.badRequest("malformed JSON in the " + what + where + ": " + reason);
    } catch (IOException e) {
      throw ClientErrorException.badRequest("cannot read the " + what + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw ClientErrorException.badRequest("the " + what + " is empty; expected a JSON object");
    }
    if (!root.isObject()) {
      throw ClientErrorException.badRequest("the " + what + " must be a JSON object, not " + kind(root));
    }
    return root;
  }

  /** How a JSON value is described in messages: {@code a string ("abc")}, {@code an array}. */
  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string (" + abbreviate(node.toString()) + ")";
      case BOOLEAN -> "a boolean (" + node.asText() + ")";
      case NULL -> "null";
      case NUMBER -> "a number (" + node.asText() + ")";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  /** How many leaves a flat or nested array holds (a non-array counts as one). */
  static long countLeaves(JsonNode node) {
    if (!node.isArray()) {
      return 1;
    }
    long n = 0;
    for (JsonNode child : node) {
      n += countLeaves(child);
    }
    return n;
  }

  /**
   * The numbers of a flat or nested array in row-major order, exactly {@code expected} of them.
   *
   * @param what the tensor's description in messages ({@code input 'input'})
   * @throws ClientErrorException 400 when the count differs or a value is not a number
   */
  static float[] numbers(JsonNode data, int expected, String what, String shapeText) {
    if (!data.isArray()) {
      throw ClientErrorException.badRequest(what + ": \"data\" must be an array of numbers, not " + kind(data));
    }
    long count = countLeaves(data);
    if (count != expected) {
      throw ClientErrorException.badRequest(what + " has " + count + " values; its shape " + shapeText + " needs "
          + expected);
    }
    float[] values = new float[expected];
    int[] next = {0};
    fill(data, values, next, what);
    return values;
  }

  private static void fill(JsonNode node, float[] values, int[] next, String what) {
    for (JsonNode child : node) {
      if (child.isArray()) {
        fill(child, values, next, what);
      } else if (child.isNumber()) {
        values[next[0]++] = child.floatValue();
      } else {
        throw ClientErrorException.badRequest(what + ": value " + next[0] + " is " + kind(child)
            + "; FP32 data must be numbers");
      }
    }
  }

  /**
   * The shape of a nested array as its first elements show it ({@code [[1,2],[3,4]]} is
   * {@code [2,2]}; a number is {@code []}), for comparing with the shape expected.
   */
  static List<Integer> nestedShape(JsonNode node) {
    List<Integer> dims = new ArrayList<>();
    JsonNode at = node;
    while (at.isArray()) {
      dims.add(at.size());
      if (at.isEmpty()) {
        break;
      }
      at = at.get(0);
    }
    return dims;
  }

  /**
   * The numbers of a nested array that must have exactly {@code dims} (regular, no flattening),
   * written into {@code values} from {@code offset}.
   *
   * @throws ClientErrorException 400 naming the first place where the nesting differs from
   *     {@code dims} or a value is not a number
   */
  static void nestedNumbers(JsonNode node, int[] dims, float[] values, int offset, String what) {
    List<Integer> actual = nestedShape(node);
    if (!actual.equals(Arrays.stream(dims).boxed().toList())) {
      throw ClientErrorException.badRequest(what + " has shape " + shapeText(actual) + "; the model takes "
          + shapeText(Arrays.stream(dims).boxed().toList()));
    }
    int[] next = {offset};
    fillRegular(node, dims, 0, values, next, what, "");
  }

  private static void fillRegular(JsonNode node, int[] dims, int depth, float[] values, int[] next, String what,
      String path) {
    if (depth == dims.length) {
      if (!node.isNumber()) {
        throw ClientErrorException.badRequest(what + ": value" + (path.isEmpty() ? "" : " at " + path) + " is "
            + kind(node) + "; FP32 data must be numbers");
      }
      values[next[0]++] = node.floatValue();
      return;
    }
    if (!node.isArray() || node.size() != dims[depth]) {
      throw ClientErrorException.badRequest(what + " is not a regular nested list of shape "
          + shapeText(Arrays.stream(dims).boxed().toList()) + ": " + (path.isEmpty() ? "it" : path) + " is "
          + (node.isArray() ? "an array of " + node.size() : kind(node)) + " where " + dims[depth]
          + " values were expected");
    }
    for (int i = 0; i < node.size(); i++) {
      fillRegular(node.get(i), dims, depth + 1, values, next, what, path + "[" + i + "]");
    }
  }

  /** Writes the values from {@code offset} on as nested arrays of {@code dims} (row-major). */
  static void writeNested(JsonGenerator out, float[] values, int offset, int[] dims) throws IOException {
    writeNested(out, values, new int[] {offset}, dims, 0);
  }

  private static void writeNested(JsonGenerator out, float[] values, int[] next, int[] dims, int depth)
      throws IOException {
    if (depth == dims.length) {
      out.writeNumber(values[next[0]++]);
      return;
    }
    out.writeStartArray();
    for (int i = 0; i < dims[depth]; i++) {
      writeNested(out, values, next, dims, depth + 1);
    }
    out.writeEndArray();
  }

  /** {@code [-1,1,28,28]}: shapes in messages, as the protocols write them. */
  static String shapeText(List<? extends Number> dims) {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
  }

  static String shapeText(long[] dims) {
    return Arrays.stream(dims).mapToObj(String::valueOf).collect(Collectors.joining(",", "[", "]"));
  }
}
