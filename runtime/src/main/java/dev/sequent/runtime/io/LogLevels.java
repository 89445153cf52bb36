package dev.sequent.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * Sequent's default log levels for slf4j-simple, set as system properties before the first logger
 * exists, and only where the user chose none. The runtime depends on the SLF4J API only and picks
 * no binding; these properties are read by slf4j-simple alone (the binding of {@code ./sequent} and
 * {@code ./demo}, and a common choice), and no other binding looks at them.
 *
 * <p>The user's choice is a {@code -Dorg.slf4j.simpleLogger...} system property or an entry of the
 * user's own {@code simplelogger.properties} (the first on the classpath, the one slf4j-simple
 * reads); {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} brings everything back. jhdf's jar
 * bundles a {@code simplelogger.properties} of its own, which is not a user's choice: where it is
 * the one slf4j-simple would read, these defaults override it.
 *
 * <ul>
 *   <li>to stderr: jhdf's bundled {@code simplelogger.properties} sends slf4j-simple to
 *       {@code System.out}, where log lines break the CLI's and users' own output;
 *   <li>everything at WARN: ND4J announces its backend, BLAS vendor and build flags at INFO on
 *       every start, and a library should be silent unless something is wrong;
 *   <li>jhdf's writer at ERROR: it warns "Writing files is in alpha. Check files carefully!" on
 *       every file it opens, and Sequent's Keras files are checked by real Keras
 *       (fixtures/check_sequent_keras_writes.py);
 *   <li>jhdf's message reader at ERROR: it warns "buffer still has N bytes remaining" for attribute
 *       messages padded past their content, which jhdf itself writes (so every whole-model .h5
 *       Sequent writes) and which changes no value read.
 * </ul>
 */
public final class LogLevels {
  /** The level key, which {@code -v} sets to info. */
  public static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private static final String FILE = "simplelogger.properties";
  private static final String[][] DEFAULTS = {
    {"org.slf4j.simpleLogger.logFile", "System.err"},
    {DEFAULT_LEVEL, "warn"},
    {"org.slf4j.simpleLogger.log.io.jhdf.WritableHdfFile", "error"},
    {"org.slf4j.simpleLogger.log.io.jhdf.object.message.Message", "error"},
  };

  private static volatile boolean set;

  private LogLevels() {}

  /** Sets the defaults that the user has not set; the first call decides, later ones are free. */
  public static void setDefaults() {
    if (set) {
      return;
    }
    synchronized (LogLevels.class) {
      if (!set) {
        Properties usersFile = usersFile();
        for (String[] d : DEFAULTS) {
          if (System.getProperty(d[0]) == null && !usersFile.containsKey(d[0])) {
            System.setProperty(d[0], d[1]);
          }
        }
        set = true;
      }
    }
  }

  /** The {@code simplelogger.properties} slf4j-simple will read, unless it is jhdf's (or none). */
  private static Properties usersFile() {
    Properties entries = new Properties();
    ClassLoader loader = Thread.currentThread().getContextClassLoader(); // where slf4j-simple looks
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    URL file = loader.getResource(FILE);
    if (file == null || sameJar(file, loader.getResource("io/jhdf/HdfFile.class"))) {
      return entries;
    }
    try (InputStream in = file.openStream()) {
      entries.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return new Properties(); // slf4j-simple cannot read it either
    }
    return entries;
  }

  /** Whether two {@code jar:} resource URLs lie in the same jar. */
  private static boolean sameJar(URL a, URL b) {
    if (b == null || !"jar".equals(a.getProtocol()) || !"jar".equals(b.getProtocol())) {
      return false;
    }
    String pa = a.getPath();
    String pb = b.getPath();
    int ia = pa.indexOf("!/");
    int ib = pb.indexOf("!/");
    return ia > 0 && ib > 0 && pa.substring(0, ia).equals(pb.substring(0, ib));
  }
}
