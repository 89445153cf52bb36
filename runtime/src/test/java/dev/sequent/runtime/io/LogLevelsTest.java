package dev.sequent.runtime.io;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.FreshJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.simple.SimpleLogger;

/**
 * The runtime as a user's application gets it: the SLF4J API and no binding, and, with slf4j-simple
 * chosen, the user's own configuration of it respected.
 */
class LogLevelsTest {
  private static final String[] BINDING_MARKERS = {
    "META-INF/services/org.slf4j.spi.SLF4JServiceProvider", // SLF4J 2 providers
    "org/slf4j/impl/StaticLoggerBinder.class", // SLF4J 1 bindings
  };

  @TempDir Path tmp;

  /** What depending on sequent-runtime puts on an application's classpath (written by the build). */
  private static List<Path> runtimeClasspath() throws IOException {
    return FreshJvm.classpath(Path.of("target", "classes"), Path.of("target", "runtime.classpath"));
  }

  @Test
  void theRuntimeBringsTheSlf4jApiAndNoBinding() throws IOException {
    List<Path> classpath = runtimeClasspath();
    assertThat(classpath).anyMatch(p -> p.getFileName().toString().startsWith("slf4j-api-"));
    assertThat(classpath).filteredOn(LogLevelsTest::isSlf4jBinding).isEmpty();
  }

  /**
   * A user who picks slf4j-simple and configures it in a simplelogger.properties of their own gets
   * that configuration: Sequent's defaults fill in only what the file leaves out (here the log
   * file, so the INFO lines go to stderr and stdout still holds the summary alone).
   */
  @Test
  @Timeout(FreshJvm.TIMEOUT_SECONDS + 30)
  void aUsersOwnSimpleloggerPropertiesIsHonoured() throws Exception {
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.defaultLogLevel=info\n");
    List<Path> classpath = new ArrayList<>();
    classpath.add(conf);
    classpath.addAll(runtimeClasspath());
    classpath.add(jarOf(SimpleLogger.class));
    Path model = reference("lenet5", "keras2.h5");

    FreshJvm r = FreshJvm.run(classpath, "dev.sequent.runtime.cli.SequentCli", "summary", model.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("] INFO io.jhdf.HdfFile - Opening HDF5 file").contains("] INFO org.nd4j");
    assertThat(r.out()).isEqualTo(Network.load(model).summary());
  }

  private static boolean isSlf4jBinding(Path entry) {
    try {
      if (Files.isDirectory(entry)) {
        for (String marker : BINDING_MARKERS) {
          if (Files.exists(entry.resolve(marker))) {
            return true;
          }
        }
        return false;
      }
      try (JarFile jar = new JarFile(entry.toFile())) {
        for (String marker : BINDING_MARKERS) {
          if (jar.getEntry(marker) != null) {
            return true;
          }
        }
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath entry " + entry, e);
    }
  }

  private static Path jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
