package dev.sequent.serve.metrics;

import dev.sequent.serve.BatchObserver;
import dev.sequent.serve.BatchingPredictor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's metrics, kept by Micrometer and shown in Prometheus' text format at
 * {@code /metrics}:
 *
 * <ul>
 *   <li>{@code sequent_requests_total{model,protocol,status}}: inference requests answered, by
 *       HTTP status ({@code protocol} is {@code v2} for the Open Inference Protocol, {@code v1}
 *       for TF Serving's);
 *   <li>{@code sequent_request_errors_total{model,reason}}: the requests among them that failed,
 *       by why ({@code bad_request}, {@code unknown_model}, {@code too_large}, {@code queue_full},
 *       {@code deadline_exceeded}, {@code closed}, {@code internal}, ...);
 *   <li>{@code sequent_request_duration_seconds{model,protocol}}: latency from the request's
 *       arrival to its response, a histogram;
 *   <li>{@code sequent_batch_size{model}}: samples per forward pass, a histogram with a bucket
 *       per power of two, so the batches formed can be read off;
 *   <li>{@code sequent_batch_duration_seconds{model}}: time of each forward pass;
 *   <li>{@code sequent_queue_depth{model}}: requests waiting for a batch, now.
 * </ul>
 *
 * <p>Requests naming no served model are counted under {@code model="(unknown)"}, so a client
 * cannot grow the number of series by inventing names.
 */
public final class ServingMetrics {
  /** The {@code model} tag of requests for a model the server does not serve. */
  public static final String UNKNOWN_MODEL = "(unknown)";

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The registry, for adding application meters beside the server's. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts an answered inference request and records its latency. */
  public void request(String model, String protocol, int status, long nanos) {
    Counter.builder("sequent.requests")
        .description("Inference requests answered, by HTTP status")
        .tags("model", model, "protocol", protocol, "status", Integer.toString(status))
        .register(registry)
        .increment();
    Timer.builder("sequent.request.duration")
        .description("Inference request latency, arrival to response")
        .tags("model", model, "protocol", protocol)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a failed inference request, by {@code reason}. */
  public void error(String model, String reason) {
    Counter.builder("sequent.request.errors")
        .description("Inference requests that failed, by reason")
        .tags("model", model, "reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * The observer that records {@code model}'s batches; also registers its queue depth gauge.
   * Give it to the predictor's builder, then call {@link #watchQueue} with the predictor.
   */
  public BatchObserver batchObserver(String model) {
    DistributionSummary sizes = DistributionSummary.builder("sequent.batch.size")
        .description("Samples per forward pass")
        .tags("model", model)
        .serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    Timer durations = Timer.builder("sequent.batch.duration")
        .description("Time of each forward pass")
        .tags("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    return new BatchObserver() {
      @Override
      public void batchRun(int samples, int requests, long forwardNanos) {
        sizes.record(samples);
        durations.record(forwardNanos, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** Shows {@code predictor}'s queue depth as {@code sequent_queue_depth{model}}. */
  public void watchQueue(String model, BatchingPredictor predictor) {
    Gauge.builder("sequent.queue.depth", predictor, BatchingPredictor::queueDepth)
        .description("Requests waiting for a batch")
        .tags("model", model)
        .strongReference(true)
        .register(registry);
  }

  /** Everything, in Prometheus' text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
