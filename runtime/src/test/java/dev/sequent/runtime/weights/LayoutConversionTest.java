package dev.sequent.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayoutConversionTest {

  @Test
  void convKernelHwioToOihwMovesEveryElement() {
    INDArray hwio = Nd4j.rand(DataType.FLOAT, 3, 2, 4, 5);
    INDArray oihw = LayoutConversion.convHwioToOihw(hwio);
    assertArrayEquals(new long[] {5, 4, 3, 2}, oihw.shape());
    for (int h = 0; h < 3; h++) {
      for (int w = 0; w < 2; w++) {
        for (int i = 0; i < 4; i++) {
          for (int o = 0; o < 5; o++) {
            assertEquals(hwio.getFloat(h, w, i, o), oihw.getFloat(o, i, h, w), 0f);
          }
        }
      }
    }
    assertEquals(hwio, LayoutConversion.convOihwToHwio(oihw));
  }

  @Test
  void denseTransposeIsAnInvolution() {
    INDArray inOut = Nd4j.rand(DataType.FLOAT, 7, 3);
    INDArray outIn = LayoutConversion.denseTranspose(inOut);
    assertArrayEquals(new long[] {3, 7}, outIn.shape());
    assertEquals(inOut.getFloat(5, 2), outIn.getFloat(2, 5), 0f);
    assertEquals(inOut, LayoutConversion.denseTranspose(outIn));
  }

  /** The permutation must make a channels-first flatten see the same feature a channels-last one did. */
  @Test
  void flattenPermutationPairsTheSamePixelAndChannel() {
    int c = 3, h = 2, w = 4;
    INDArray chw = Nd4j.rand(DataType.FLOAT, c, h, w);
    INDArray hwc = chw.permute(1, 2, 0).dup('c');
    float[] oursFlat = chw.ravel().toFloatVector();
    float[] sourceFlat = hwc.ravel().toFloatVector();
    int[] perm = LayoutConversion.flattenPermutation(Shape.of(c, h, w), DataFormat.CHANNELS_FIRST,
        DataFormat.CHANNELS_LAST);
    for (int i = 0; i < perm.length; i++) {
      assertEquals(oursFlat[i], sourceFlat[perm[i]], 0f, "feature " + i);
    }
    int[] back = LayoutConversion.flattenPermutation(Shape.of(h, w, c), DataFormat.CHANNELS_LAST,
        DataFormat.CHANNELS_FIRST);
    for (int i = 0; i < back.length; i++) {
      assertEquals(sourceFlat[i], oursFlat[back[i]], 0f, "feature " + i);
    }
  }
}
