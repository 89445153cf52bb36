package dev.sequent.runtime.io;

/**
 * Sequent's default log levels, set as slf4j-simple system properties before the first logger
 * exists (a {@code simplelogger.properties} cannot do it reliably: jhdf ships one of its own), and
 * only where the user chose none: {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} brings
 * everything back.
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
  private static final String[][] DEFAULTS = {
    {"org.slf4j.simpleLogger.logFile", "System.err"},
    {"org.slf4j.simpleLogger.defaultLogLevel", "warn"},
    {"org.slf4j.simpleLogger.log.io.jhdf.WritableHdfFile", "error"},
    {"org.slf4j.simpleLogger.log.io.jhdf.object.message.Message", "error"},
  };

  private LogLevels() {}

  /** Sets the defaults that the user has not set; cheap to call again. */
  public static void setDefaults() {
    for (String[] d : DEFAULTS) {
      if (System.getProperty(d[0]) == null) {
        System.setProperty(d[0], d[1]);
      }
    }
  }
}
