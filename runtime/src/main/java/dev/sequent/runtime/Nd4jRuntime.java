package dev.sequent.runtime;

import dev.sequent.runtime.io.LogLevels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time ND4J set-up: float32 defaults and quiet logging ({@link LogLevels}, set before ND4J's
 * first logger exists).
 */
final class Nd4jRuntime {
  private static volatile boolean ready;

  private Nd4jRuntime() {}

  static void ensureReady() {
    if (!ready) {
      synchronized (Nd4jRuntime.class) {
        if (!ready) {
          LogLevels.setDefaults();
          Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
          ready = true;
        }
      }
    }
  }
}
