package dev.sequent.serve.http;

import dev.sequent.runtime.InputShapeException;
import dev.sequent.runtime.Network;
import dev.sequent.serve.BatchingPredictor;
import dev.sequent.serve.PredictionRejectedException;
import dev.sequent.serve.metrics.ServingMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model server for one or more {@link Network}s, each behind its own {@link
 * BatchingPredictor}, on Javalin (Jetty 12). It speaks
 *
 * <ul>
 *   <li>the Open Inference Protocol (KServe v2 REST), so Triton's and KServe's clients work
 *       unchanged: {@code GET /v2}, {@code /v2/health/live}, {@code /v2/health/ready}, {@code
 *       /v2/models/NAME[/versions/1]}, {@code .../ready}, {@code POST .../infer} with JSON tensors
 *       or Triton's binary tensor extension ({@link OpenInferenceProtocol});
 *   <li>TF Serving's {@code POST /v1/models/NAME[/versions/1]:predict} and {@code GET
 *       /v1/models/NAME} ({@link TfServingProtocol});
 *   <li>{@code GET /metrics}, Prometheus text ({@link ServingMetrics}).
 * </ul>
 *
 * <p>Faults: a client's mistake (malformed JSON, a wrong shape, datatype or value count, an unknown
 * model, a body over the limit) is a 4xx with {@code {"error": "..."}} naming what is wrong; a
 * full queue, a passed deadline or a shutdown is 503; only a fault of the server itself is a 500,
 * logged with its stack trace, which never reaches the client. No request can stop the server.
 *
 * <p>{@link #shutdown} stops taking inference requests (503, and not ready), runs everything
 * already queued, lets Jetty finish the responses in flight, then stops.
 */
public final class InferenceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
  /** The version in {@code GET /v2}. */
  public static final String VERSION = "0.1.0";
  private static final Pattern V1_PREDICT = Pattern.compile("([^/:]+)(?:/versions/([^/:]+))?:predict");

  private final Map<String, ServedModel> models;
  private final ServingMetrics metrics;
  private final long maxRequestBytes;
  private final Duration stopTimeout;
  private final Javalin app;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean draining;

  private InferenceServer(Builder b, Map<String, ServedModel> models) {
    this.models = Collections.unmodifiableMap(models);
    this.metrics = b.metrics;
    this.maxRequestBytes = b.maxRequestBytes;
    this.stopTimeout = b.stopTimeout;
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.startup.startupWatcherEnabled = false;
      config.jetty.host = b.host;
      config.jetty.port = b.port;
      config.http.maxRequestSize = maxRequestBytes;
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> {
        // Jetty's graceful stop: connectors stop accepting, requests in flight finish.
        server.insertHandler(new GracefulHandler());
        server.setStopTimeout(stopTimeout.toMillis());
      });
      config.routes.get("/v2", ctx -> json(ctx, OpenInferenceProtocol.serverMetadata(VERSION)));
      config.routes.get("/v2/health/live", ctx -> ctx.status(200));
      config.routes.get("/v2/health/ready", ctx -> ctx.status(ready() ? 200 : 400));
      config.routes.get("/v2/models/{model}", ctx -> json(ctx, OpenInferenceProtocol.modelMetadata(model(ctx))));
      config.routes.get("/v2/models/{model}/versions/{version}",
          ctx -> json(ctx, OpenInferenceProtocol.modelMetadata(model(ctx))));
      config.routes.get("/v2/models/{model}/ready", this::modelReady);
      config.routes.get("/v2/models/{model}/versions/{version}/ready", this::modelReady);
      config.routes.post("/v2/models/{model}/infer", this::infer);
      config.routes.post("/v2/models/{model}/versions/{version}/infer", this::infer);
      config.routes.get("/v1/models/{model}", ctx -> {
        model(ctx);
        json(ctx, TfServingProtocol.modelStatus());
      });
      config.routes.post("/v1/models/<call>", this::predict);
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(metrics.scrape()));
      // Javalin's own (404 no route, 405, 413) too, so every error body is {"error": ...}
      config.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, e));
      config.routes.exception(Exception.class, (e, ctx) -> writeError(ctx, e));
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port listened on (the one the system chose when the builder asked for port 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port}, for clients. */
  public URI baseUri() {
    String host = app.unsafe.jetty.host == null ? "127.0.0.1" : app.unsafe.jetty.host;
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  /** The models served, by name, in the order they were added. */
  public Map<String, ServedModel> models() {
    return models;
  }

  public ServingMetrics metrics() {
    return metrics;
  }

  /** Whether the server is taking inference requests (not shutting down). */
  public boolean ready() {
    return !draining;
  }

  // ---------------------------------------------------------------- handlers

  private ServedModel model(Context ctx) {
    String name = ctx.pathParam("model");
    String version = ctx.pathParamMap().get("version");
    return model(name, version);
  }

  private ServedModel model(String name, String version) {
    ServedModel model = models.get(name);
    if (model == null) {
      throw ClientErrorException.notFound("unknown model '" + name + "'; this server serves "
          + String.join(", ", models.keySet()));
    }
    if (version != null && !version.equals(ServedModel.VERSION)) {
      throw ClientErrorException.notFound("model " + name + " has no version '" + version + "'; its one version is "
          + ServedModel.VERSION);
    }
    return model;
  }

  private void modelReady(Context ctx) {
    model(ctx);
    ctx.status(ready() ? 200 : 400);
  }

  private void infer(Context ctx) {
    String name = ctx.pathParam("model");
    serveInference(ctx, "v2", name, ctx.pathParamMap().get("version"), (model, body) -> {
      OpenInferenceProtocol.InferRequest request = OpenInferenceProtocol.parseInfer(body,
          ctx.header(OpenInferenceProtocol.HEADER_LENGTH), model);
      INDArray output = run(model, request.shape(), request.values(), request.timeout());
      OpenInferenceProtocol.EncodedResponse response = OpenInferenceProtocol.inferResponse(model, request,
          output.shape(), floats(output));
      if (response.jsonLength() >= 0) {
        ctx.header(OpenInferenceProtocol.HEADER_LENGTH, Integer.toString(response.jsonLength()));
      }
      ctx.status(200).contentType(response.contentType()).result(response.body());
    });
  }

  private void predict(Context ctx) {
    String call = ctx.pathParam("call");
    Matcher m = V1_PREDICT.matcher(call);
    if (!m.matches()) {
      long start = System.nanoTime();
      writeError(ctx, ClientErrorException.notFound("no TF Serving endpoint /v1/models/" + call
          + "; predict is POST /v1/models/NAME:predict"));
      metrics.error(ServingMetrics.UNKNOWN_MODEL, "unknown_model");
      metrics.request(ServingMetrics.UNKNOWN_MODEL, "v1", ctx.statusCode(), System.nanoTime() - start);
      return;
    }
    serveInference(ctx, "v1", m.group(1), m.group(2), (model, body) -> {
      TfServingProtocol.PredictRequest request = TfServingProtocol.parsePredict(body, model);
      INDArray output = run(model, request.shape(), request.values(), null);
      json(ctx, TfServingProtocol.predictResponse(request, output.shape(), floats(output)));
    });
  }

  /** What an inference endpoint does with a known model and the request body. */
  private interface InferenceCall {
    void serve(ServedModel model, byte[] body);
  }

  /** The parts every inference request shares: draining, the model, the body, errors, metrics. */
  private void serveInference(Context ctx, String protocol, String name, String version, InferenceCall call) {
    long start = System.nanoTime();
    String tag = models.containsKey(name) ? name : ServingMetrics.UNKNOWN_MODEL;
    inFlight.incrementAndGet();
    try {
      if (draining) {
        throw new ShuttingDownException();
      }
      ServedModel model = model(name, version);
      call.serve(model, RequestBodies.read(ctx, maxRequestBytes));
    } catch (RuntimeException e) {
      metrics.error(tag, writeError(ctx, e));
    } finally {
      inFlight.decrementAndGet();
      metrics.request(tag, protocol, ctx.statusCode(), System.nanoTime() - start);
    }
  }

  private static INDArray run(ServedModel model, long[] shape, float[] values, Duration timeout) {
    INDArray input = Nd4j.create(values, shape, 'c');
    // No timeout in the request: the predictor's default (sequent serve --timeout-ms), if any
    CompletableFuture<INDArray> result = timeout == null ? model.predictor().submit(input)
        : model.predictor().submit(input, timeout);
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(false);
      Thread.currentThread().interrupt();
      throw new ShuttingDownException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the forward pass of " + model.name() + " failed: " + e.getCause(), e.getCause());
    }
  }

  private static float[] floats(INDArray output) {
    return Nd4j.toFlattened('c', output).toFloatVector();
  }

  private static void json(Context ctx, byte[] body) {
    ctx.contentType("application/json").result(body);
  }

  /** Thrown for inference requests that arrive while the server shuts down. */
  private static final class ShuttingDownException extends RuntimeException {
    ShuttingDownException() {
      super("the server is shutting down; send the request to another replica");
    }
  }

  /**
   * Answers {@code e} as {@code {"error": "..."}} with its status, and returns the reason for
   * the error metric. Only the server's own faults are 500s; their stack traces go to the log.
   */
  private static String writeError(Context ctx, Exception e) {
    int status;
    String reason;
    String message = e.getMessage();
    if (e instanceof ClientErrorException c) {
      status = c.status();
      reason = switch (status) {
        case 404 -> "unknown_model";
        case 413 -> "too_large";
        case 415 -> "unsupported_encoding";
        default -> "bad_request";
      };
    } else if (e instanceof PredictionRejectedException r) {
      status = 503;
      reason = r.reason().name().toLowerCase(Locale.ROOT);
    } else if (e instanceof ShuttingDownException) {
      status = 503;
      reason = "shutting_down";
    } else if (e instanceof InputShapeException) {
      status = 400;
      reason = "bad_request";
    } else if (e instanceof HttpResponseException h) {
      status = h.getStatus();
      reason = "http_" + status;
      if (status == 413) {
        message = "the request body is larger than the server's limit (sequent serve --max-request-bytes)";
      } else if (status == 405) {
        message = ctx.method() + " is not allowed on " + ctx.path() + "; it takes "
            + h.getDetails().getOrDefault("availableMethods", "another method");
      }
    } else {
      LOG.error("internal error serving {} {}", ctx.method(), ctx.path(), e);
      status = 500;
      reason = "internal";
      message = "internal error (" + e.getClass().getSimpleName() + "); the server log has the details";
    }
    var body = JsonTensors.JSON.createObjectNode().put("error", message == null ? reason : message);
    ctx.status(status).contentType("application/json").result(body.toString().getBytes(StandardCharsets.UTF_8));
    return reason;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Stops taking inference requests (they get 503; readiness turns false), runs every request
   * already queued, waits for the responses in flight, and stops the HTTP server, all within
   * {@code budget} as far as the running forward passes allow.
   *
   * @return whether everything in flight was answered within {@code budget}
   */
  public boolean shutdown(Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    if (!shutdownStarted.compareAndSet(false, true)) {
      try {
        return stopped.await(budget.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    draining = true;
    LOG.info("shutting down: {} requests in flight", inFlight.get());
    boolean drained = true;
    for (ServedModel model : models.values()) {
      drained &= model.predictor().close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    try {
      while (inFlight.get() > 0 && deadline - System.nanoTime() > 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drained &= inFlight.get() == 0;
    try {
      // Jetty waits up to its stop timeout for idle keep-alive connections; keep within the budget
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      app.jettyServer().server().setStopTimeout(Math.max(100, Math.min(stopTimeout.toMillis(), left)));
      app.stop();
    } catch (RuntimeException e) {
      LOG.warn("the HTTP server did not stop cleanly: {}", e.getMessage());
      drained = false;
    } finally {
      stopped.countDown();
    }
    LOG.info("stopped{}", drained ? "" : " (some requests were not answered in time)");
    return drained;
  }

  /** Waits until {@link #shutdown} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** {@link #shutdown} within 10 seconds. */
  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }

  /** The server's address, limits and models. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8000;
    private long maxRequestBytes = 64L << 20;
    private Duration stopTimeout = Duration.ofSeconds(2);
    private ServingMetrics metrics = new ServingMetrics();
    private final List<ModelEntry> models = new ArrayList<>();

    private record ModelEntry(String name, Network network, BatchingPredictor.Builder predictor) {}

    private Builder() {}

    /** The address to listen on (default 127.0.0.1, this machine only). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port (default 8000, Triton's HTTP port); 0 lets the system choose. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The largest request body accepted, before and after decompression (default 64 MiB); larger is 413. */
    public Builder maxRequestBytes(long maxRequestBytes) {
      if (maxRequestBytes < 1) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1, got " + maxRequestBytes);
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /** How long Jetty waits for responses still being written when it stops (default 2 s). */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** Where the metrics go (default: a new {@link ServingMetrics}). */
    public Builder metrics(ServingMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Serves {@code network} as {@code name}, batching with the default options. */
    public Builder model(String name, Network network) {
      return model(name, network, BatchingPredictor.builder(network));
    }

    /**
     * Serves {@code network} as {@code name} (its metadata: shapes, vocabulary), run by the
     * predictor {@code predictor} builds; the server adds its metrics observer to it.
     */
    public Builder model(String name, Network network, BatchingPredictor.Builder predictor) {
      models.add(new ModelEntry(name, network, predictor));
      return this;
    }

    /**
     * Builds the predictors and starts listening.
     *
     * @throws IllegalArgumentException for no models, or two with one name
     * @throws IllegalStateException when the address cannot be listened on (the port is taken)
     */
    public InferenceServer start() {
      if (models.isEmpty()) {
        throw new IllegalArgumentException("a server needs at least one model");
      }
      Map<String, ServedModel> served = new LinkedHashMap<>();
      try {
        for (ModelEntry m : models) {
          String name = m.name();
          if (served.containsKey(name)) {
            throw new IllegalArgumentException("two models are named " + name + "; give each its own --name");
          }
          BatchingPredictor built = m.predictor().observer(metrics.batchObserver(name)).build();
          ServedModel model;
          try {
            model = new ServedModel(name, m.network(), built);
          } catch (RuntimeException e) {
            built.close();
            throw e;
          }
          metrics.watchQueue(name, built);
          served.put(name, model);
        }
        InferenceServer server = new InferenceServer(this, served);
        try {
          server.app.start();
        } catch (RuntimeException e) {
          throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return server;
      } catch (RuntimeException e) {
        served.values().forEach(s -> s.predictor().close());
        throw e;
      }
    }
  }
}
