package dev.sequent.serve.http;

/**
 * A request the server will not run because the client got something wrong; answered with a 4xx
 * status and {@code {"error": message}}. The message names what is wrong (the field, the value
 * received, what was expected) so the client can fix it without reading server logs.
 */
public final class ClientErrorException extends RuntimeException {
  private final int status;

  public ClientErrorException(int status, String message) {
    super(message);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a client error has a 4xx status, not " + status);
    }
    this.status = status;
  }

  /** 400: the request is malformed or does not fit the model. */
  public static ClientErrorException badRequest(String message) {
    return new ClientErrorException(400, message);
  }

  /** 404: no such model (or version). */
  public static ClientErrorException notFound(String message) {
    return new ClientErrorException(404, message);
  }

  public int status() {
    return status;
  }
}
