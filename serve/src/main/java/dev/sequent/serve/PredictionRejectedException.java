package dev.sequent.serve;

/**
 * A prediction that {@link BatchingPredictor} did not run, and why: the queue was full, the
 * request's deadline passed while it waited, or the predictor was closed. None of these is the
 * caller's mistake, so a server answers them as "unavailable, try again" (HTTP 503), never as a
 * bad request.
 */
public final class PredictionRejectedException extends RuntimeException {

  /** Why a prediction was not run. */
  public enum Reason {
    /** The queue already held {@code queueCapacity} requests. */
    QUEUE_FULL,
    /** The request's deadline passed before a batch took it. */
    DEADLINE_EXCEEDED,
    /** The predictor was closed before the request was run. */
    CLOSED
  }

  private final Reason reason;

  PredictionRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
