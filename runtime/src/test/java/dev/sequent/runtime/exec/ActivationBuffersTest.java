package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reused buffers of intermediate values: a buffer given back is handed out again for the
 * same length (and only once), views and small arrays are freed instead of held, and what is held
 * stays under the cap. The forward passes that use them are checked against the frameworks by
 * every parity test (each runs its model more than once in one JVM).
 */
class ActivationBuffersTest {
  private static final long[] SHAPE = {3, 64, 17, 19};

  @Test
  void aGivenBufferIsTakenAgainForTheSameLengthOnce() {
    INDArray a = ActivationBuffers.take(SHAPE);
    long address = a.data().address();
    ActivationBuffers.give(a);
    INDArray b = ActivationBuffers.take(3, 17, 19, 64); // same length, another shape
    assertThat(b.data().address()).isEqualTo(address);
    assertThat(b.shape()).containsExactly(3, 17, 19, 64);
    assertThat(b.isView()).isFalse();
    b.assign(2f);
    assertThat(b.sumNumber().doubleValue()).isEqualTo(2.0 * b.length());
    INDArray c = ActivationBuffers.take(SHAPE);
    assertThat(c.data().address()).as("handed out once").isNotEqualTo(address);
    ActivationBuffers.give(b);
    ActivationBuffers.give(c);
  }

  @Test
  void viewsAndSmallArraysAreFreedNotHeld() {
    INDArray whole = Nd4j.createUninitialized(DataType.FLOAT, 4, 1 << 14);
    INDArray row = whole.getRow(1);
    long held = ActivationBuffers.heldBytes();
    ActivationBuffers.give(row);
    assertThat(ActivationBuffers.heldBytes()).as("a view of a larger buffer").isEqualTo(held);
    INDArray small = Nd4j.createUninitialized(DataType.FLOAT, 10, 10);
    ActivationBuffers.give(small);
    assertThat(small.wasClosed()).isTrue();
    assertThat(ActivationBuffers.heldBytes()).isEqualTo(held);
    ActivationBuffers.give(whole);
    assertThat(ActivationBuffers.heldBytes()).isEqualTo(held + 4L * (1 << 14) * Float.BYTES);
    ActivationBuffers.take(4, 1 << 14);
  }

  @Test
  void pastTheCapTheOldestHeldBuffersAreFreed() {
    long cap = 1 << 20; // 1 MB: four buffers of 256 KB and a little
    INDArray[] given = new INDArray[5];
    for (int i = 0; i < given.length; i++) {
      given[i] = Nd4j.createUninitialized(DataType.FLOAT, (1 << 16) + i);
      ActivationBuffers.give(given[i], cap);
      assertThat(ActivationBuffers.heldBytes()).isLessThanOrEqualTo(cap);
    }
    // the newest is held, the oldest was freed to make room
    assertThat(ActivationBuffers.take((1 << 16) + 4).data().address()).isEqualTo(given[4].data().address());
    assertThat(given[0].data().wasClosed()).isTrue();
    INDArray tooLarge = Nd4j.createUninitialized(DataType.FLOAT, 1 << 19);
    ActivationBuffers.give(tooLarge, cap);
    assertThat(tooLarge.wasClosed()).as("larger than the cap: freed").isTrue();
  }
}
