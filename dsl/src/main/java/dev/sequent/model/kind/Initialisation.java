package dev.sequent.model.kind;

import java.util.Arrays;
import java.util.Random;

/** The initialisers kinds share, each as the framework that uses it defines it. */
public final class Initialisation {
  private Initialisation() {}

  /** {@code U(-bound, bound)}; bound 0 still draws, so that later tensors get the same values whatever the bound. */
  public static float[] uniform(int n, double bound, Random random) {
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return data;
  }

  public static float[] filled(int n, float value) {
    float[] data = new float[n];
    Arrays.fill(data, value);
    return data;
  }

  /** Keras' GlorotUniform bound. */
  public static double glorotBound(int fanIn, int fanOut) {
    return Math.sqrt(6.0 / (fanIn + fanOut));
  }

  /**
   * PyTorch's Linear/Conv bound: {@code kaiming_uniform_(a=sqrt(5))} for the weight and
   * {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} for the bias reduce to the same bound.
   */
  public static double torchBound(int fanIn) {
    return 1 / Math.sqrt(fanIn);
  }
}
