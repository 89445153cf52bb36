package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The phases' layout against its definition: for every output position and tap, the value the tap
 * reads at {@code tapStart(tap) + oy * width + ox} is the input's value at the window's row and
 * column, or the padding value outside the plane. Over small planes of every width parity, with
 * strides 1-3, dilations 1-2, and paddings before and after, through both ways of splitting: a
 * whole plane into a reused array ({@link PlanePhases#splitWhole}) and {@link PlanePhases#map}'s
 * (which writes only the input's values into its array, its padding filled once).
 */
class PlanePhasesTest {
  private static final float PAD = -7.5f;

  @Test
  void everyTapReadsTheInputValueOfItsWindowOrThePadding() {
    int checked = 0;
    for (SmallKernels.Window g : windows()) {
      PlanePhases p = new PlanePhases(g, PAD);
      float[] x = plane(g, 3);
      float[] whole = new float[p.phasesSize() + 5];
      java.util.Arrays.fill(whole, Float.NaN);
      p.splitWhole(x, 3, whole, 5);
      assertReadsItsWindow(g, p, x, 3, whole, 5);
      // map() on one plane: its kernel sees the phases it split
      float[] y = new float[g.outH() * g.outW()];
      float[] single = java.util.Arrays.copyOfRange(x, 3, 3 + g.height() * g.width());
      p.map(single, 1, q -> 0, (q, phases, out) -> assertReadsItsWindow(g, p, single, 0, phases, 0), y);
      checked++;
    }
    assertThat(checked).isGreaterThan(1000);
  }

  private static void assertReadsItsWindow(SmallKernels.Window g, PlanePhases p, float[] x, int from, float[] phases,
      int at) {
    for (int ky = 0; ky < g.kernelH(); ky++) {
      for (int kx = 0; kx < g.kernelW(); kx++) {
        int start = at + p.tapStart(ky * g.kernelW() + kx);
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            int iy = oy * g.strideH() + ky * g.dilationH() - g.top();
            int ix = ox * g.strideW() + kx * g.dilationW() - g.left();
            boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
            float expected = inside ? x[from + iy * g.width() + ix] : PAD;
            float actual = phases[start + oy * p.width() + ox];
            if (Float.compare(actual, expected) != 0) {
              throw new AssertionError(g + " tap (" + ky + ", " + kx + ") output (" + oy + ", " + ox + "): expected "
                  + expected + ", read " + actual);
            }
          }
        }
      }
    }
  }

  /** A plane of distinct values, {@code from} values into the array. */
  private static float[] plane(SmallKernels.Window g, int from) {
    float[] x = new float[from + g.height() * g.width() + 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + i;
    }
    return x;
  }

  private static List<SmallKernels.Window> windows() {
    List<SmallKernels.Window> all = new ArrayList<>();
    for (int h = 1; h <= 6; h++) {
      for (int w = 1; w <= 7; w++) {
        for (int k = 1; k <= 3; k++) {
          for (int s = 1; s <= 3; s++) {
            for (int d = 1; d <= 2; d++) {
              for (int top = 0; top <= 2; top++) {
                for (int left = 0; left <= 2; left++) {
                  for (int after = 0; after <= 2; after++) {
                    int span = (k - 1) * d + 1;
                    int rows = h + top + after;
                    int cols = w + left + after;
                    if (rows < span || cols < span || Math.max(top, left) >= span) {
                      continue; // no output, or a window wholly in the padding
                    }
                    all.add(new SmallKernels.Window(h, w, k, k, s, s, d, d, top, left, (rows - span) / s + 1,
                        (cols - span) / s + 1));
                  }
                }
              }
            }
          }
        }
      }
    }
    return all;
  }
}
