package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays whose shape description is shared: each is what ND4J would have made (shape, strides,
 * order, type, element-wise stride, its own data), ND4J's ops read and write them as their own,
 * and closing one or changing its values leaves every other array of the shape as it was.
 */
class NdArraysTest {
  @Test
  void anArrayIsTheOneNd4jWouldMake() {
    for (long[] shape : new long[][] {{1, 10}, {3, 64, 17, 19}, {7}, {2, 1, 5}}) {
      INDArray ours = NdArrays.uninitialized(shape);
      INDArray theirs = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
      assertThat(ours.shapeInfoToString()).isEqualTo(theirs.shapeInfoToString());
      assertThat(ours.shapeInfoJava()).containsExactly(theirs.shapeInfoJava());
      assertThat(ours.isView()).isFalse();
      assertThat(ours.data().length()).isEqualTo(theirs.length());
    }
  }

  @Test
  void arraysOfOneShapeShareTheirDescriptionNotTheirValues() {
    INDArray a = NdArrays.uninitialized(4, 5);
    INDArray b = NdArrays.uninitialized(4, 5);
    assertThat(a.shapeInfoDataBuffer().address()).isEqualTo(b.shapeInfoDataBuffer().address());
    assertThat(a.data().address()).isNotEqualTo(b.data().address());
    a.assign(Nd4j.linspace(DataType.FLOAT, 1, 20, 1).reshape(4, 5));
    b.assign(7f);
    // ND4J's own ops on them: a reduction, an in-place op, a transposed view and a product
    assertThat(a.sumNumber().doubleValue()).isEqualTo(210.0);
    a.addi(1f);
    assertThat(a.getFloat(3, 4)).isEqualTo(21f);
    assertThat(a.transpose().getFloat(4, 3)).isEqualTo(21f);
    INDArray product = a.mmul(b.transpose());
    assertThat(product.shape()).containsExactly(4, 4);
    assertThat(product.getFloat(0, 0)).isEqualTo(7f * (2 + 3 + 4 + 5 + 6));
    a.close();
    assertThat(b.sumNumber().doubleValue()).as("another array of the shape, after one was closed").isEqualTo(140.0);
    INDArray c = NdArrays.uninitialized(4, 5);
    c.assign(1f);
    assertThat(c.sumNumber().doubleValue()).isEqualTo(20.0);
    assertThat(c.shape()).containsExactly(4, 5);
  }

  @Test
  void anArrayOverABufferOfItsOwn() {
    var data = Nd4j.createBuffer(DataType.FLOAT, 6, true);
    INDArray a = NdArrays.over(data, 2, 3);
    assertThat(a.data()).isSameAs(data);
    assertThat(a.isView()).isFalse();
    a.assign(3f);
    assertThat(data.getFloat(5)).isEqualTo(3f);
    assertThatThrownBy(() -> NdArrays.over(Nd4j.createBuffer(DataType.FLOAT, 7, true), 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 FLOAT values").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> NdArrays.over(Nd4j.createBuffer(DataType.DOUBLE, 6, true), 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE");
  }

  @Test
  void emptyShapesComeFromNd4jAsBefore() {
    INDArray empty = NdArrays.uninitialized(0, 5);
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.shape()).containsExactly(0, 5);
  }

  @Test
  void theDescriptionsKeptAreBounded() {
    List<INDArray> arrays = new ArrayList<>();
    for (int i = 1; i <= NdArrays.MAX_SHAPES + 10; i++) {
      arrays.add(NdArrays.uninitialized(1, i));
    }
    assertThat(NdArrays.heldDescriptions()).isLessThanOrEqualTo(NdArrays.MAX_SHAPES);
    // arrays made before the cache started again keep their own description
    INDArray first = arrays.get(0);
    first.assign(2f);
    assertThat(first.shape()).containsExactly(1, 1);
    assertThat(first.sumNumber().doubleValue()).isEqualTo(2.0);
  }
}
