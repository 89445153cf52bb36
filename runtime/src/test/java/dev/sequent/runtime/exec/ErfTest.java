package dev.sequent.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {
  // Reference values of erf from Abramowitz & Stegun, table 7.1 (and erf(-x) = -erf(x)).
  @Test
  void matchesTabulatedValues() {
    assertEquals(0.0, Erf.erf(0.0), 0);
    assertEquals(0.1124629160, Erf.erf(0.1), 1e-10);
    assertEquals(0.5204998778, Erf.erf(0.5), 1e-10);
    assertEquals(0.8427007929, Erf.erf(1.0), 1e-10);
    assertEquals(0.9661051465, Erf.erf(1.5), 1e-10);
    assertEquals(0.9953222650, Erf.erf(2.0), 1e-10);
    assertEquals(0.9999779095, Erf.erf(3.0), 1e-10);
    assertEquals(-0.8427007929, Erf.erf(-1.0), 1e-10);
    assertEquals(1.0, Erf.erf(7.0), 0);
  }
}
