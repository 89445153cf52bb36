package dev.sequent.serve;

/**
 * Told of what a {@link BatchingPredictor} does, for metrics: each forward pass it runs and each
 * request it turns away. Called on the predictor's worker threads (and, for rejections, on the
 * submitting thread), so an implementation must be thread-safe and quick.
 */
public interface BatchObserver {

  /** Observes nothing. */
  BatchObserver NONE = new BatchObserver() {};

  /**
   * A forward pass ran (or failed) on {@code samples} samples merged from {@code requests}
   * requests, taking {@code forwardNanos}.
   */
  default void batchRun(int samples, int requests, long forwardNanos) {}

  /** A request was not run, for {@code reason}. */
  default void rejected(PredictionRejectedException.Reason reason) {}
}
