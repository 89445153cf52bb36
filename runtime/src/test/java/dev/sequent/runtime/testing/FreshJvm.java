package dev.sequent.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A program run in a JVM of its own, on a classpath the test names (not the test JVM's, whose
 * logging is configured by the tests' simplelogger.properties): what it wrote on stdout and stderr.
 */
public record FreshJvm(int code, String out, String err) {
  /** Long enough for a cold ND4J start on a loaded 2-core machine; a hang fails the test. */
  public static final long TIMEOUT_SECONDS = 120;

  /** A log line of slf4j-simple ({@code [main] INFO io.jhdf...}), of SLF4J itself, or of JUL. */
  private static final Pattern LOG_LINE =
      Pattern.compile(".*(\\[main]|\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR)\\b|SLF4J).*");

  public static FreshJvm run(List<Path> classpath, String mainClass, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("fresh-jvm", ".out");
    Path err = Files.createTempFile("fresh-jvm", ".err");
    try {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:+UseSerialGC", "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
          mainClass));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(mainClass + " " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s; stderr: "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new FreshJvm(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The lines of {@code text} that look like log lines. */
  public static List<String> logLines(String text) {
    return text.lines().filter(l -> LOG_LINE.matcher(l).matches()).toList();
  }

  /** {@code dir} followed by the entries of a classpath file Maven's build-classpath wrote. */
  public static List<Path> classpath(Path dir, Path classpathFile) throws IOException {
    List<Path> entries = new ArrayList<>();
    entries.add(dir);
    for (String e : Files.readString(classpathFile).strip().split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(Path.of(e));
      }
    }
    return entries;
  }
}
