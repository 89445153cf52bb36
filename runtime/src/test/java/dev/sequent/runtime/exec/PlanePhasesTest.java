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
 * (which writes only the input's values into its array, its padding filled once). With the vector
 * kernels the short rows are copied past their ends and the padding put back: the test also checks
 * that nothing outside a plane's phases or past the last output plane is written.
 */
class PlanePhasesTest {
  private static final float PAD = -7.5f;

  @Test
  void everyTapReadsTheInputValueOfItsWindowOrThePadding() {
    int checked = 0;
    for (SmallKernels.Window g : windows()) {
      PlanePhases p = new PlanePhases(g, PAD);
      float[] x = plane(g, 3);
      float[] whole = new float[5 + p.phasesSize() + 3];
      java.util.Arrays.fill(whole, Float.NaN);
      p.splitWhole(x, 3, whole, 5);
      assertReadsItsWindow(g, p, x, 3, whole, 5);
      for (int i : new int[] {0, 1, 2, 3, 4, 5 + p.phasesSize(), whole.length - 1}) {
        if (!Float.isNaN(whole[i])) {
          throw new AssertionError(g + ": the split wrote " + whole[i] + " at " + i + ", outside its phases");
        }
      }
      // map() on three planes, the last one at the array's end: its kernel sees the phases it
      // split (the padding put back after each plane's short rows), and each output plane holds
      // its computed plane's columns, nothing written past the last one
      int size = g.height() * g.width();
      float[] planes = new float[3 * size];
      for (int i = 0; i < planes.length; i++) {
        planes[i] = 1 + i;
      }
      int outSize = g.outH() * g.outW();
      float[] y = new float[3 * outSize + 3];
      java.util.Arrays.fill(y, 42f);
      p.map(planes, 3, q -> q, (q, phases, out) -> {
        assertReadsItsWindow(g, p, planes, q * size, phases, 0);
        for (int i = 0; i < p.planeSize(); i++) {
          out[i] = q * 1000 + i;
        }
      }, y);
      for (int q = 0; q < 3; q++) {
        for (int oy = 0; oy < g.outH(); oy++) {
          for (int ox = 0; ox < g.outW(); ox++) {
            float expected = q * 1000 + oy * p.width() + ox;
            float actual = y[q * outSize + oy * g.outW() + ox];
            if (actual != expected) {
              throw new AssertionError(g + " plane " + q + " output (" + oy + ", " + ox + "): expected " + expected
                  + ", extracted " + actual);
            }
          }
        }
      }
      for (int i = 3 * outSize; i < y.length; i++) {
        assertThat(y[i]).as(g + ": written past the last output plane").isEqualTo(42f);
      }
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
