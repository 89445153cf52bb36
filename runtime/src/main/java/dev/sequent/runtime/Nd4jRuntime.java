package dev.sequent.runtime;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time ND4J set-up: float32 defaults and quiet logging. ND4J announces its backend, BLAS vendor
 * and build flags at INFO on every start; a library should be silent unless something is wrong.
 * A {@code simplelogger.properties} cannot do this reliably because jhdf ships one of its own,
 * so the level is set as a system property before ND4J's first logger exists, unless the user
 * chose one ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} brings the messages back).
 * jhdf's writer warns "Writing files is in alpha. Check files carefully!" on every file it opens;
 * Sequent's Keras files are checked by real Keras (fixtures/check_sequent_keras_writes.py), so
 * that logger is set to errors only, again unless the user set it.
 */
final class Nd4jRuntime {
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String JHDF_WRITER_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.jhdf.WritableHdfFile";
  private static volatile boolean ready;

  private Nd4jRuntime() {}

  static void ensureReady() {
    if (!ready) {
      synchronized (Nd4jRuntime.class) {
        if (!ready) {
          if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
          }
          if (System.getProperty(JHDF_WRITER_LOG_LEVEL) == null) {
            System.setProperty(JHDF_WRITER_LOG_LEVEL, "error");
          }
          Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
          ready = true;
        }
      }
    }
  }
}
