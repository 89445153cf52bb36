package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassArraysTest {
  private static final int LENGTH = PassArrays.MIN_LENGTH + 3;

  @Test
  void anArrayGivenBackIsTakenAgainInTheSamePassAndTheNext() {
    float[][] first = new float[1][];
    PassArrays.during(() -> {
      first[0] = PassArrays.take(LENGTH);
      PassArrays.give(first[0]);
      assertThat(PassArrays.take(LENGTH)).isSameAs(first[0]);
      PassArrays.give(first[0]);
      return null;
    });
    // the arena goes back to the idle ones (first in, first out) with its free array: a later pass gets it
    List<float[]> taken = new ArrayList<>();
    for (int i = 0; i < 10_000 && !taken.contains(first[0]); i++) {
      PassArrays.during(() -> taken.add(PassArrays.take(LENGTH)));
    }
    assertThat(taken).anySatisfy(a -> assertThat(a).isSameAs(first[0]));
  }

  @Test
  void onlyArraysThePassTookAreKeptAndEachOnce() {
    PassArrays.during(() -> {
      float[] foreign = new float[LENGTH];
      PassArrays.give(foreign);
      assertThat(PassArrays.take(LENGTH)).isNotSameAs(foreign);
      float[] a = PassArrays.take(LENGTH);
      PassArrays.give(a);
      PassArrays.give(a);
      float[] b = PassArrays.take(LENGTH);
      float[] c = PassArrays.take(LENGTH);
      assertThat(b).isSameAs(a);
      assertThat(c).isNotSameAs(a);
      return null;
    });
  }

  @Test
  void outsideAPassAndForShortArraysEveryTakeIsNew() {
    float[] a = PassArrays.take(LENGTH);
    PassArrays.give(a);
    assertThat(PassArrays.take(LENGTH)).isNotSameAs(a);
    PassArrays.during(() -> {
      float[] s = PassArrays.take(PassArrays.MIN_LENGTH - 1);
      PassArrays.give(s);
      assertThat(PassArrays.take(PassArrays.MIN_LENGTH - 1)).isNotSameAs(s);
      return null;
    });
  }

  @Test
  void aPassInsideAnotherHasItsOwnArenaAndTheOuterOneIsCurrentAfterwards() {
    PassArrays.during(() -> {
      float[] outer = PassArrays.take(LENGTH);
      float[] inner = PassArrays.during(() -> {
        // the outer pass's array is not this pass's to give back
        PassArrays.give(outer);
        return PassArrays.take(LENGTH);
      });
      assertThat(inner).isNotSameAs(outer);
      PassArrays.give(outer);
      assertThat(PassArrays.take(LENGTH)).isSameAs(outer);
      return null;
    });
  }

  @Test
  void aZeroedTakeIsZeroEvenWhenReused() {
    PassArrays.during(() -> {
      float[] a = PassArrays.take(LENGTH);
      java.util.Arrays.fill(a, 7f);
      PassArrays.give(a);
      float[] b = PassArrays.takeZeroed(LENGTH);
      assertThat(b).isSameAs(a);
      for (float v : b) {
        assertThat(v).isZero();
      }
      return null;
    });
  }
}
