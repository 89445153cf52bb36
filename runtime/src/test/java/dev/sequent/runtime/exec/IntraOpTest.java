package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The intra-op threads as the ops see them: the helpers a pass gives its thread, none inside a
 * piece of work handed out (so work never nests), every piece run once, a failure rethrown.
 */
class IntraOpTest {

  @Test
  void aPassGivesItsHelpersAndWorkHandedOutHasNone() {
    int outside = IntraOp.helpers();
    int inPass = IntraOp.withHelpers(3, IntraOp::helpers);
    assertThat(inPass).isEqualTo(3);
    assertThat(IntraOp.helpers()).as("restored after the pass").isEqualTo(outside);
    AtomicIntegerArray seen = new AtomicIntegerArray(16);
    AtomicIntegerArray helpersInside = new AtomicIntegerArray(16);
    IntraOp.withHelpers(1, () -> {
      IntraOp.share(16, IntraOp.MIN_VALUES_TO_SPLIT, t -> {
        seen.incrementAndGet(t);
        helpersInside.set(t, IntraOp.helpers());
      });
      return null;
    });
    for (int t = 0; t < 16; t++) {
      assertThat(seen.get(t)).as("piece %d runs once", t).isEqualTo(1);
      assertThat(helpersInside.get(t)).as("no helpers inside piece %d", t).isZero();
    }
    assertThat(IntraOp.helpers()).isEqualTo(outside);
  }

  @Test
  void smallWorkStaysOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    java.util.Set<Thread> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
    IntraOp.withHelpers(1, () -> {
      IntraOp.share(16, IntraOp.MIN_VALUES_TO_SPLIT - 1, t -> ran.add(Thread.currentThread()));
      return null;
    });
    assertThat(ran).containsExactly(caller);
  }

  @Test
  void aFailingPieceFailsTheRun() {
    assertThatThrownBy(() -> IntraOp.run(8, 1, t -> {
      if (t == 5) {
        throw new IllegalStateException("piece 5");
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("piece 5");
  }
}
