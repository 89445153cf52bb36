package dev.sequent.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.runtime.Network;
import dev.sequent.serve.BatchingPredictor;
import dev.sequent.serve.PredictionRejectedException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A service of its own that embeds a converted model: LeNet-5 declared in Java in PyTorch's
 * vocabulary ({@link dev.sequent.examples.torch.LeNet5}), its weights read from a Keras file (the
 * kernels, the flatten order converted at load), run behind a {@link BatchingPredictor} inside a
 * small Javalin application with an API of its own design, not a model-server protocol:
 *
 * <pre>
 * POST /digits  {"pixels": [784 numbers, row by row, 0..1]}
 *            -> {"digit": 7, "probabilities": [10 numbers]}
 * </pre>
 *
 * <p>This is the shape of embedding Sequent in a Spring, Helidon or Javalin service: one network
 * and one predictor for the whole application, {@code predict} called from request threads (the
 * predictor merges concurrent calls into batched forward passes), the predictor closed on
 * shutdown. Run it with {@code java ... DigitService [WEIGHTS] [PORT]}.
 */
public final class DigitService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PIXELS = 28 * 28;

  private final BatchingPredictor predictor;
  private final Javalin app;

  private DigitService(Network network, String host, int port) {
    this.predictor = BatchingPredictor.builder(network)
        .maxBatch(32)
        .maxDelay(Duration.ofMillis(1))
        .defaultTimeout(Duration.ofSeconds(2))
        .build();
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.startupWatcherEnabled = false;
      config.jetty.host = host;
      config.jetty.port = port;
      config.routes.post("/digits", this::classify);
      config.routes.get("/health", ctx -> ctx.result("ok"));
    });
  }

  /** LeNet-5 with the weights of {@code weights} (Keras or PyTorch), served on {@code host:port}. */
  public static DigitService start(Path weights, String host, int port) {
    Network network = LeNet5Net.create().loadWeights(weights);
    DigitService service = new DigitService(network, host, port);
    service.app.start();
    return service;
  }

  public int port() {
    return app.port();
  }

  private void classify(Context ctx) throws IOException {
    JsonNode pixels;
    try {
      pixels = JSON.readTree(ctx.bodyAsBytes()).path("pixels");
    } catch (IOException e) {
      error(ctx, 400, "the body must be JSON: {\"pixels\": [784 numbers]}");
      return;
    }
    if (!pixels.isArray() || pixels.size() != PIXELS) {
      error(ctx, 400, "\"pixels\" must be an array of " + PIXELS + " numbers (28 rows of 28), got "
          + (pixels.isArray() ? pixels.size() + " values" : pixels.getNodeType().toString().toLowerCase()));
      return;
    }
    float[] image = new float[PIXELS];
    for (int i = 0; i < PIXELS; i++) {
      if (!pixels.get(i).isNumber()) {
        error(ctx, 400, "pixel " + i + " is not a number");
        return;
      }
      image[i] = pixels.get(i).floatValue();
    }
    INDArray probabilities;
    try {
      // One sample, channels-first as the Java model declares it: [1, 1, 28, 28]
      probabilities = predictor.predict(Nd4j.create(image, new long[] {1, 1, 28, 28}, 'c'));
    } catch (PredictionRejectedException e) {
      error(ctx, 503, e.getMessage());
      return;
    }
    float[] p = probabilities.toFloatVector();
    int digit = 0;
    for (int i = 1; i < p.length; i++) {
      digit = p[i] > p[digit] ? i : digit;
    }
    ObjectNode answer = JSON.createObjectNode().put("digit", digit);
    var list = answer.putArray("probabilities");
    for (float v : p) {
      list.add(v);
    }
    ctx.contentType("application/json").result(answer.toString());
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(JSON.createObjectNode().put("error", message).toString());
  }

  /** Stops the HTTP server, then drains the predictor. */
  @Override
  public void close() {
    app.stop();
    predictor.close();
  }

  public static void main(String[] args) throws Exception {
    Path weights = Path.of(args.length > 0 ? args[0] : "fixtures/reference/lenet5/keras3.keras");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    DigitService service = start(weights, "127.0.0.1", port);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close));
    System.out.println("digit service on http://127.0.0.1:" + service.port() + "/digits");
  }
}
