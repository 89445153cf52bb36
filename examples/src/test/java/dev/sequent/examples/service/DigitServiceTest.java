package dev.sequent.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.runtime.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The embedding example answers as Keras does: the Java LeNet-5 with the weights of Keras 3's
 * {@code .keras} file, behind the batching predictor, gives Keras' recorded class and
 * probabilities for each fixture image, also when all eight are asked at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DigitServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void classifiesEachImageAsKerasDid() throws Exception {
    INDArray images = Fixtures.npy("lenet5", "input_keras.npy");       // [8, 28, 28, 1]
    INDArray keras = Fixtures.npy("lenet5", "output_keras3.npy");      // [8, 10]
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (DigitService service = DigitService.start(Fixtures.reference("lenet5", "keras3.keras"), "127.0.0.1", 0)) {
      URI digits = URI.create("http://127.0.0.1:" + service.port() + "/digits");
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < images.size(0); i++) {
        // one channel: the 784 pixels are the same in NHWC and NCHW order
        float[] pixels = Nd4j.toFlattened('c', images.slice(i)).toFloatVector();
        String body = JSON.createObjectNode().set("pixels", JSON.valueToTree(pixels)).toString();
        answers.add(http.sendAsync(HttpRequest.newBuilder(digits).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < answers.size(); i++) {
        HttpResponse<String> response = answers.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        float[] expected = keras.getRow(i).toFloatVector();
        int digit = 0;
        for (int c = 1; c < expected.length; c++) {
          digit = expected[c] > expected[digit] ? c : digit;
        }
        assertEquals(digit, answer.get("digit").asInt(), "image " + i);
        for (int c = 0; c < expected.length; c++) {
          assertEquals(expected[c], answer.get("probabilities").get(c).floatValue(), 1e-5, "image " + i + " class " + c);
        }
      }
      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(digits).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("{\"pixels\": [1, 2, 3]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());
      assertThat(bad.body()).contains("must be an array of 784 numbers (28 rows of 28), got 3 values");
    }
  }
}
