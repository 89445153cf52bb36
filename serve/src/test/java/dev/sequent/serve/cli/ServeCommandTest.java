package dev.sequent.serve.cli;

import static dev.sequent.serve.testing.HttpTestClient.json;
import static dev.sequent.serve.testing.HttpTestClient.jsonInfer;
import static dev.sequent.serve.testing.HttpTestClient.jsonOutput;
import static dev.sequent.serve.testing.HttpTestClient.text;
import static dev.sequent.serve.testing.ServeFixtures.assertClose;
import static dev.sequent.serve.testing.ServeFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.runtime.cli.SequentCli;
import dev.sequent.runtime.testing.Fixtures;
import dev.sequent.serve.testing.HttpTestClient;
import dev.sequent.serve.testing.ServeFixtures;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code sequent serve} as a user runs it: a JVM of its own on the test's classpath (the runtime's
 * CLI finding the serve subcommand through ServiceLoader), a PyTorch file and a Keras file served
 * at once, one line on stdout, and SIGTERM answering the request in flight and exiting within
 * 10 seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeCommandTest {
  private static final Pattern LISTENING = Pattern.compile("^serving (.+) at (http://127\\.0\\.0\\.1:\\d+)$");

  @Test
  void servesBothFilesAndOnSigtermAnswersTheRequestInFlightThenExitsWithinTenSeconds(@TempDir Path dir)
      throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Path stdout = dir.resolve("stdout.txt");
    Process process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.sequent.runtime.cli.SequentCli", "serve",
        Fixtures.reference("lenet5", "torch_model.pt").toString(), "--input-shape", "1,28,28", "--name", "torch",
        "--model", "keras=" + Fixtures.reference("lenet5", "keras3.keras"),
        "--port", "0", "--max-batch", "64", "--max-delay-ms", "3000"))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    try {
      String line = firstLine(stdout, process);
      Matcher m = LISTENING.matcher(line == null ? "" : line);
      assertThat(m.matches()).as("first stdout line: %s; stderr: %s", line, Files.readString(stderr)).isTrue();
      assertThat(m.group(1)).isEqualTo("torch [1,28,28] -> [10] (sequent_pytorch), keras [28,28,1] -> [10] (sequent_keras)");
      HttpTestClient client = new HttpTestClient(URI.create(m.group(2)));

      INDArray xk = rows(Fixtures.npy("lenet5", "input_keras.npy"), 0, 1);
      // With --max-delay-ms 3000 and nothing else arriving, this request waits in the queue
      CompletableFuture<HttpResponse<byte[]>> inFlight = client.postAsync("/v2/models/keras/infer", jsonInfer(xk, "last"));
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!text(client.get("/metrics")).contains("sequent_queue_depth{model=\"keras\"} 1.0")) {
        assertThat(System.nanoTime()).as("the request reaches the queue").isLessThan(waitUntil);
        Thread.sleep(10);
      }

      long start = System.nanoTime();
      process.destroy(); // SIGTERM
      HttpResponse<byte[]> answered = inFlight.get(15, TimeUnit.SECONDS);
      assertEquals(200, answered.statusCode(), () -> text(answered));
      assertEquals("last", json(answered).get("id").asText());
      assertClose(rows(Fixtures.npy("lenet5", "output_keras3.npy"), 0, 1), jsonOutput(answered), 1e-5, "keras");
      assertClose(ServeFixtures.kerasLeNet().forward(xk), jsonOutput(answered), 1e-6, "keras forward");
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
      assertEquals(143, process.exitValue()); // 128 + SIGTERM, as the JVM reports a signal
      assertThat(Files.readAllLines(stdout)).as("stdout").containsExactly(line);
      assertThat(Files.readString(stderr)).doesNotContain("Exception").doesNotContain("\tat ");
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The first line the server prints, waiting for it as long as start-up may take (bounded). */
  private static String firstLine(Path stdout, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(stdout);
      if (text.indexOf('\n') >= 0) {
        return text.substring(0, text.indexOf('\n'));
      }
      if (!process.isAlive()) {
        return text;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("sequent serve printed no line within 90 s");
  }

  @Test
  void aModelOptionWithoutAPathIsAUsageError() {
    assertEquals(2, SequentCli.run("serve", Fixtures.reference("lenet5", "keras3.keras").toString(), "--port", "0",
        "--model", "justaname"));
  }

  @Test
  void aTakenPortFailsWithExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertEquals(1, SequentCli.run("serve", Fixtures.reference("lenet5", "keras3.keras").toString(), "--port",
          Integer.toString(taken.getLocalPort())));
    }
  }
}
