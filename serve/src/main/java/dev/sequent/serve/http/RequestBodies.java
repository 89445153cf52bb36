package dev.sequent.serve.http;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Request bodies read whole, within a size limit, uncompressed when the client sent them with
 * {@code Content-Encoding: gzip} or {@code deflate} (tritonclient's {@code
 * request_compression_algorithm}). The limit applies to the bytes received and again to the bytes
 * after decompression, so neither a large body nor a small compressed bomb can exhaust the heap.
 */
final class RequestBodies {
  private RequestBodies() {}

  static byte[] read(Context ctx, long limit) {
    long declared = ctx.contentLength();
    if (declared > limit) {
      if (declared - limit <= DRAIN_BOUND) {
        drain(ctx);
      }
      throw tooLarge("the request body of " + declared + " bytes", limit);
    }
    String encoding = ctx.header("Content-Encoding");
    String coding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
    try {
      byte[] received = readLimited(ctx.req().getInputStream(), limit, "the request body");
      return switch (coding) {
        case "identity", "" -> received;
        case "gzip", "x-gzip" -> readLimited(new GZIPInputStream(new ByteArrayInputStream(received)), limit,
            "the gzip-decompressed request body");
        case "deflate" -> readLimited(new InflaterInputStream(new ByteArrayInputStream(received)), limit,
            "the deflate-decompressed request body");
        default -> throw new ClientErrorException(415, "Content-Encoding '" + encoding + "' is not supported; "
            + "send the body uncompressed, gzip or deflate");
      };
    } catch (ZipException e) {
      throw ClientErrorException.badRequest("the request body is not valid " + coding + " data: " + e.getMessage());
    } catch (IOException e) {
      throw ClientErrorException.badRequest("cannot read the request body: " + e.getMessage());
    }
  }

  /**
   * A body refused for its size but at most this much over the limit is read and dropped first: a
   * client still uploading when the server answers and closes may lose the answer (the connection
   * resets under it; seen as a flaky "received no bytes" in the tests). Bodies further over the
   * limit are refused without reading them.
   */
  private static final long DRAIN_BOUND = 8L << 20;

  private static void drain(Context ctx) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] chunk = new byte[16384];
      while (in.read(chunk) != -1) {
        // dropped
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static byte[] readLimited(InputStream in, long limit, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[16384];
    long total = 0;
    for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
      total += n;
      if (total > limit) {
        throw tooLarge(what, limit);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static ClientErrorException tooLarge(String what, long limit) {
    return new ClientErrorException(413, what + " is larger than the server's limit of " + limit
        + " bytes (sequent serve --max-request-bytes)");
  }
}
