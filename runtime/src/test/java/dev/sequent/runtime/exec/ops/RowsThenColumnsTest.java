package dev.sequent.runtime.exec.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.PlanePhases;
import dev.sequent.runtime.exec.SmallKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling as its rows' maxima, then the columns' ({@link Pool2DOp.RowsThenColumns}), against the
 * same windows through the whole plane's phases, bit for bit, in both regimes, on windows the
 * fixtures (WindowOpsTest's PyTorch pooling) do not have: padding on one side, a window taller than
 * its stride, rows that read only padding, NaN (which wins) and both zeros.
 */
class RowsThenColumnsTest {

  @Test
  void equalsThePlanesPhasesBitForBit() {
    Random random = new Random(7);
    // ResNet's stem pooling: 3x3, stride 2, padding 1
    check(random, new SmallKernels.Window(12, 14, 3, 3, 2, 2, 1, 1, 1, 1, 6, 7));
    // 3 rows by 2 columns at stride 1, padding 1 above only (output rows 0 and 1 read 2 and 3 rows)
    check(random, new SmallKernels.Window(7, 9, 3, 2, 1, 1, 1, 1, 1, 0, 7, 8));
    // a window taller than its stride, padding 2: the first output row reads one input row
    check(random, new SmallKernels.Window(9, 10, 5, 3, 2, 3, 1, 1, 2, 1, 5, 4));
  }

  private static void check(Random random, SmallKernels.Window g) {
    int planes = 5;
    float[] x = new float[planes * g.height() * g.width()];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 4 - 2;
    }
    x[3] = Float.NaN;
    x[g.width() + 1] = -0f;
    x[g.width() + 2] = 0f;
    Pool2DOp.RowsThenColumns pool = new Pool2DOp.RowsThenColumns(g);
    PlanePhases phases = new PlanePhases(g, Float.NEGATIVE_INFINITY);
    int out = planes * g.outH() * g.outW();
    float[] expected = new float[out];
    phases.map(x, planes, q -> q, (q, split, plane) -> phases.max(split, plane), expected);
    float[] heap = PassArrays.during(() -> pool.apply(x, planes).clone());
    INDArray buffer = pool.apply(Nd4j.create(x, new long[] {1, planes, g.height(), g.width()}, 'c'),
        new long[] {1, planes, g.outH(), g.outW()});
    float[] nd4j = FloatArrays.copyOf(buffer);
    for (int i = 0; i < out; i++) {
      assertThat(Float.floatToRawIntBits(heap[i])).as("plain Java, value %d of %s", i, g)
          .isEqualTo(Float.floatToRawIntBits(expected[i]));
      assertThat(Float.floatToRawIntBits(nd4j[i])).as("ND4J regime, value %d of %s", i, g)
          .isEqualTo(Float.floatToRawIntBits(expected[i]));
    }
    boolean nan = false;
    for (float v : heap) {
      nan |= Float.isNaN(v);
    }
    assertThat(nan).as("the windows over the NaN are NaN").isTrue();
  }
}
