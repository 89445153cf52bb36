package dev.sequent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.LayerNorm;
import dev.sequent.model.layers.Pool2D;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure shape rules of the layer records, against the frameworks' own formulas: PyTorch's
 * {@code floor((H + 2p - d(k-1) - 1) / s) + 1} (with {@code ceil} and the dropped last window for
 * {@code ceil_mode}), Keras' {@code ceil(H / s)} for "same".
 */
class ShapeRulesTest {

  // ------------------------------------------------------------------------------ references

  /** PyTorch's {@code conv2d} output length (torch/nn/modules/conv.py docs). */
  static int torchConvOut(int in, int k, int s, int p, int d) {
    return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
  }

  /** PyTorch's {@code pooling_output_shape} (aten/src/ATen/native/Pool.h), dilation 1. */
  static int torchPoolOut(int in, int k, int s, int p, boolean ceilMode) {
    int out = Math.floorDiv(in + 2 * p - (k - 1) - 1 + (ceilMode ? s - 1 : 0), s) + 1;
    if (ceilMode && (out - 1) * s >= in + p) {
      out--; // the last window must start inside the input or the left padding
    }
    return out;
  }

  /** Keras' "same": {@code ceil(in / s)} whatever the kernel. */
  static int kerasSameOut(int in, int s) {
    return (in + s - 1) / s;
  }

  static Conv2D kerasConv(int filters, int kh, int kw, int sh, int sw, Padding padding, int dh, int dw) {
    return new Conv2D(Framework.KERAS, filters, kh, kw, sh, sw, padding, dh, dw, true, Activation.LINEAR,
        DataFormat.CHANNELS_LAST, 0);
  }

  static Conv2D torchConv(int out, int kh, int kw, int sh, int sw, Padding padding, int dh, int dw, int in) {
    return new Conv2D(Framework.TORCH, out, kh, kw, sh, sw, padding, dh, dw, true, Activation.LINEAR,
        DataFormat.CHANNELS_FIRST, in);
  }

  static Pool2D torchPool(int k, int s, int p, boolean ceilMode) {
    return new Pool2D(Framework.TORCH, Pool2D.Kind.MAX, k, k, s, s, Padding.explicit(p, p), ceilMode, true,
        DataFormat.CHANNELS_FIRST);
  }

  static Pool2D kerasPool(Pool2D.Kind kind, int k, int s, Padding padding) {
    return new Pool2D(Framework.KERAS, kind, k, k, s, s, padding, false, false, DataFormat.CHANNELS_LAST);
  }

  static ShapeException shapeError(LayerSpec layer, Shape... inputs) {
    ShapeException e = catchThrowableOfType(ShapeException.class, () -> layer.outputShape(List.of(inputs)));
    assertThat(e).as(layer.typeName() + " on " + List.of(inputs) + " is refused").isNotNull();
    return e;
  }

  // ---------------------------------------------------------------------------------- Conv2D

  @Nested
  class Conv2DRules {
    @Test
    void validPaddingShrinksByTheKernel() {
      // floor((28 - 2 - 1) / 1) + 1 = 26
      assertThat(kerasConv(8, 3, 3, 1, 1, Padding.VALID, 1, 1).outputShape(Shape.of(28, 28, 1)))
          .isEqualTo(Shape.of(26, 26, 8));
      assertThat(torchConv(6, 5, 5, 1, 1, Padding.VALID, 1, 1, 1).outputShape(Shape.of(1, 32, 32)))
          .isEqualTo(Shape.of(6, 28, 28));
    }

    @Test
    void aKernelAsLargeAsTheInputGivesOnePixel() {
      assertThat(kerasConv(2, 3, 3, 1, 1, Padding.VALID, 1, 1).outputShape(Shape.of(3, 3, 1)))
          .isEqualTo(Shape.of(1, 1, 2));
    }

    @Test
    void samePaddingIsCeilOfInputOverStride() {
      // ceil(7 / 2) = 4, ceil(10 / 3) = 4, ceil(5 / 1) = 5 (even kernel)
      assertThat(kerasConv(8, 3, 3, 2, 2, Padding.SAME, 1, 1).outputShape(Shape.of(7, 7, 3)))
          .isEqualTo(Shape.of(4, 4, 8));
      assertThat(kerasConv(1, 5, 5, 3, 3, Padding.SAME, 1, 1).outputShape(Shape.of(10, 10, 1)))
          .isEqualTo(Shape.of(4, 4, 1));
      assertThat(kerasConv(1, 4, 4, 1, 1, Padding.SAME, 1, 1).outputShape(Shape.of(5, 5, 1)))
          .isEqualTo(Shape.of(5, 5, 1));
      assertThat(torchConv(3, 3, 3, 1, 1, Padding.SAME, 1, 1, 0).outputShape(Shape.of(2, 9, 6)))
          .isEqualTo(Shape.of(3, 9, 6));
    }

    @Test
    void samePaddingIgnoresDilation() {
      assertThat(kerasConv(1, 3, 3, 1, 1, Padding.SAME, 2, 2).outputShape(Shape.of(10, 10, 1)))
          .isEqualTo(Shape.of(10, 10, 1));
    }

    @Test
    void explicitPaddingAndStride() {
      // floor((8 + 2 - 2 - 1) / 2) + 1 = 4
      assertThat(torchConv(16, 3, 3, 2, 2, Padding.explicit(1, 1), 1, 1, 3).outputShape(Shape.of(3, 8, 8)))
          .isEqualTo(Shape.of(16, 4, 4));
      // LeNet's first layer: 5x5 with padding 2 keeps 28x28
      assertThat(torchConv(6, 5, 5, 1, 1, Padding.explicit(2, 2), 1, 1, 1).outputShape(Shape.of(1, 28, 28)))
          .isEqualTo(Shape.of(6, 28, 28));
    }

    @Test
    void dilationWidensTheKernel() {
      // d(k-1)+1 = 5: floor((10 - 4 - 1) / 1) + 1 = 6
      assertThat(kerasConv(1, 3, 3, 1, 1, Padding.VALID, 2, 2).outputShape(Shape.of(10, 10, 1)))
          .isEqualTo(Shape.of(6, 6, 1));
      assertThat(torchConv(4, 3, 3, 1, 1, Padding.VALID, 2, 2, 0).outputShape(Shape.of(1, 10, 10)))
          .isEqualTo(Shape.of(4, 6, 6));
    }

    @Test
    void heightAndWidthFollowTheirOwnKernelStridePaddingAndDilation() {
      // H: floor((11 + 4 - 4 - 1) / 2) + 1 = 6; W: floor((9 + 0 - 2*2 - 1) / 1) + 1 = 5
      assertThat(torchConv(7, 5, 3, 2, 1, Padding.explicit(2, 0), 1, 2, 1).outputShape(Shape.of(1, 11, 9)))
          .isEqualTo(Shape.of(7, torchConvOut(11, 5, 2, 2, 1), torchConvOut(9, 3, 1, 0, 2)))
          .isEqualTo(Shape.of(7, 6, 5));
      // channels-last: H floor((9 - 2 - 1) / 2) + 1 = 4, W floor((9 - 2*1 - 1) / 1) + 1 = 7
      assertThat(kerasConv(3, 3, 2, 2, 1, Padding.VALID, 1, 2).outputShape(Shape.of(9, 9, 2)))
          .isEqualTo(Shape.of(4, 7, 3));
    }

    @Test
    void everySmallConfigurationMatchesPytorchsFormula() {
      for (int in = 1; in <= 12; in++) {
        for (int k = 1; k <= 5; k++) {
          for (int s = 1; s <= 3; s++) {
            for (int p = 0; p <= 2; p++) {
              for (int d = 1; d <= 2; d++) {
                int expected = torchConvOut(in, k, s, p, d);
                Conv2D conv = torchConv(2, k, k, s, s, Padding.explicit(p, p), d, d, 1);
                Shape input = Shape.of(1, in, in);
                if (expected <= 0) {
                  assertThat(shapeError(conv, input).attribute()).isEqualTo("kernel");
                } else {
                  assertThat(conv.outputShape(input)).as("in=%d k=%d s=%d p=%d d=%d", in, k, s, p, d)
                      .isEqualTo(Shape.of(2, expected, expected));
                }
              }
            }
          }
        }
      }
    }

    @Test
    void everySmallSameConfigurationIsCeilOfInputOverStride() {
      for (int in = 1; in <= 12; in++) {
        for (int k = 1; k <= 5; k++) {
          for (int s = 1; s <= 3; s++) {
            assertThat(kerasConv(1, k, k, s, s, Padding.SAME, 1, 1).outputShape(Shape.of(in, in, 1)))
                .isEqualTo(Shape.of(kerasSameOut(in, s), kerasSameOut(in, s), 1));
          }
        }
      }
    }

    @Test
    void aKernelLargerThanTheInputNamesTheKernelAttribute() {
      ShapeException keras = shapeError(kerasConv(4, 5, 5, 1, 1, Padding.VALID, 1, 1), Shape.of(3, 3, 1));
      assertThat(keras.attribute()).isEqualTo("kernelSize");
      assertThat(keras).hasMessageContaining("kernel 5x5").hasMessageContaining("larger than the input 3x3");

      ShapeException torch = shapeError(torchConv(4, 5, 5, 1, 1, Padding.VALID, 1, 1, 0), Shape.of(1, 3, 3));
      assertThat(torch.attribute()).isEqualTo("kernel");
      assertThat(torch).hasMessageContaining("kernel 5x5");
    }

    @Test
    void aDilatedKernelLargerThanTheInputSaysItIsDilated() {
      // d(k-1)+1 = 7 > 6
      ShapeException e = shapeError(torchConv(4, 3, 3, 1, 1, Padding.VALID, 3, 3, 0), Shape.of(1, 6, 6));
      assertThat(e.attribute()).isEqualTo("kernel");
      assertThat(e).hasMessageContaining("kernel 7x7 (dilated)").hasMessageContaining("input 6x6");
    }

    @Test
    void aKernelLargerThanThePaddedInputSaysPadded() {
      ShapeException e = shapeError(torchConv(4, 5, 5, 1, 1, Padding.explicit(1, 1), 1, 1, 0), Shape.of(1, 2, 2));
      assertThat(e.attribute()).isEqualTo("kernel");
      assertThat(e).hasMessageContaining("padded input 4x4");
    }

    @Test
    void aConvolutionNeedsAnImage() {
      ShapeException e = shapeError(kerasConv(4, 3, 3, 1, 1, Padding.VALID, 1, 1), Shape.of(8, 8));
      assertThat(e.attribute()).isNull();
      assertThat(e).hasMessageContaining("rank-3 image [height, width, channels]");
    }

    @Test
    void declaredInputChannelsAreChecked() {
      ShapeException e = shapeError(torchConv(4, 3, 3, 1, 1, Padding.VALID, 1, 1, 3), Shape.of(1, 8, 8));
      assertThat(e.attribute()).isEqualTo("in");
      assertThat(e).hasMessageContaining("input has 1 channels, expected 3");
    }

    @Test
    void pytorchRefusesSamePaddingWithStrides() {
      assertThatThrownBy(() -> torchConv(4, 3, 3, 2, 2, Padding.SAME, 1, 1, 0))
          .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.attribute()).isEqualTo("padding"))
          .hasMessageContaining("strided");
    }

    @Test
    void parametersAreKerasHwioAndPytorchOihw() {
      List<ParamSpec> params = kerasConv(8, 3, 2, 1, 1, Padding.VALID, 1, 1).params(Shape.of(9, 9, 5));
      assertThat(params.get(0).kerasShape()).isEqualTo(Shape.of(3, 2, 5, 8));
      assertThat(params.get(0).torchShape()).isEqualTo(Shape.of(8, 5, 3, 2));
      assertThat(params.get(1).kerasShape()).isEqualTo(Shape.of(8));
    }
  }

  // ---------------------------------------------------------------------------------- Pool2D

  @Nested
  class Pool2DRules {
    @Test
    void ceilModeDropsTheLastWindowWhenItStartsInThePadding() {
      // ceil((5 + 2 - 2) / 2) + 1 = 4 windows, but the 4th starts at 6 >= 5 + 1: PyTorch keeps 3
      assertThat(torchPool(2, 2, 1, true).outputShape(Shape.of(1, 5, 5))).isEqualTo(Shape.of(1, 3, 3));
      assertThat(torchPoolOut(5, 2, 2, 1, true)).isEqualTo(3);
    }

    @Test
    void ceilModeKeepsAPartialWindowThatStartsInTheInput() {
      // 7 with 2x2 stride 2: floor gives 3, ceil 4 (the last window covers only row 6)
      assertThat(torchPool(2, 2, 0, false).outputShape(Shape.of(1, 7, 7))).isEqualTo(Shape.of(1, 3, 3));
      assertThat(torchPool(2, 2, 0, true).outputShape(Shape.of(1, 7, 7))).isEqualTo(Shape.of(1, 4, 4));
      // 6 with 3x3 stride 2: floor 2, ceil 3
      assertThat(torchPool(3, 2, 0, false).outputShape(Shape.of(2, 6, 6))).isEqualTo(Shape.of(2, 2, 2));
      assertThat(torchPool(3, 2, 0, true).outputShape(Shape.of(2, 6, 6))).isEqualTo(Shape.of(2, 3, 3));
      // 6 with 3x3 stride 2 padding 1: floor 3, ceil 4 (the 4th window starts at 6 < 6 + 1)
      assertThat(torchPool(3, 2, 1, false).outputShape(Shape.of(1, 6, 6))).isEqualTo(Shape.of(1, 3, 3));
      assertThat(torchPool(3, 2, 1, true).outputShape(Shape.of(1, 6, 6))).isEqualTo(Shape.of(1, 4, 4));
    }

    @Test
    void ceilModeKeepsAWindowLongerThanTheInputThatStartsInIt() {
      // PyTorch: MaxPool2d(2, ceil_mode=True) on 1x1 gives 1x1; MaxPool2d(4, 2, ceil_mode=True) on 3x3 gives 1x1
      assertThat(torchPool(2, 2, 0, true).outputShape(Shape.of(1, 1, 1))).isEqualTo(Shape.of(1, 1, 1));
      assertThat(torchPool(4, 2, 0, true).outputShape(Shape.of(1, 3, 3))).isEqualTo(Shape.of(1, 1, 1));
      assertThat(shapeError(torchPool(4, 2, 0, false), Shape.of(1, 3, 3)).attribute()).isEqualTo("kernel");
      // at stride 1 ceil mode changes nothing: the kernel must fit
      assertThat(shapeError(torchPool(2, 1, 0, true), Shape.of(1, 1, 1)).attribute()).isEqualTo("kernel");
    }

    @Test
    void everySmallConfigurationMatchesPytorchsPoolingOutputShape() {
      for (int in = 1; in <= 12; in++) {
        for (int k = 1; k <= 4; k++) {
          for (int s = 1; s <= 3; s++) {
            for (int p = 0; p <= k / 2; p++) {
              for (boolean ceil : new boolean[] {false, true}) {
                int expected = torchPoolOut(in, k, s, p, ceil);
                Pool2D pool = torchPool(k, s, p, ceil);
                Shape input = Shape.of(3, in, in);
                if (expected <= 0) {
                  assertThat(shapeError(pool, input).attribute()).isEqualTo("kernel");
                } else {
                  assertThat(pool.outputShape(input)).as("in=%d k=%d s=%d p=%d ceil=%s", in, k, s, p, ceil)
                      .isEqualTo(Shape.of(3, expected, expected));
                }
              }
            }
          }
        }
      }
    }

    @Test
    void kerasValidAndSamePooling() {
      assertThat(kerasPool(Pool2D.Kind.MAX, 2, 2, Padding.VALID).outputShape(Shape.of(8, 8, 3)))
          .isEqualTo(Shape.of(4, 4, 3));
      // floor((7 - 3) / 2) + 1 = 3
      assertThat(kerasPool(Pool2D.Kind.AVG, 3, 2, Padding.VALID).outputShape(Shape.of(7, 7, 1)))
          .isEqualTo(Shape.of(3, 3, 1));
      // ceil(7 / 2) = 4
      assertThat(kerasPool(Pool2D.Kind.AVG, 3, 2, Padding.SAME).outputShape(Shape.of(7, 7, 2)))
          .isEqualTo(Shape.of(4, 4, 2));
    }

    @Test
    void aPoolLargerThanTheInputNamesThePoolAttribute() {
      assertThat(shapeError(kerasPool(Pool2D.Kind.MAX, 3, 3, Padding.VALID), Shape.of(2, 2, 1)).attribute())
          .isEqualTo("poolSize");
      ShapeException torch = shapeError(torchPool(3, 3, 0, false), Shape.of(1, 2, 2));
      assertThat(torch.attribute()).isEqualTo("kernel");
      assertThat(torch).hasMessageContaining("pool 3x3 is larger than the input 2x2");
    }

    @Test
    void paddingMoreThanHalfTheKernelIsRefusedAsInPytorch() {
      assertThatThrownBy(() -> torchPool(2, 2, 2, false))
          .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.attribute()).isEqualTo("padding"))
          .hasMessageContaining("at most half of the kernel size");
    }
  }

  // ----------------------------------------------------------------------------------- Dense

  @Nested
  class DenseRules {
    @Test
    void denseActsOnTheLastAxisOfARank2Input() {
      Dense dense = new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR);
      assertThat(dense.outputShape(Shape.of(2, 6))).isEqualTo(Shape.of(2, 4));
      List<ParamSpec> params = dense.params(Shape.of(2, 6));
      assertThat(params.get(0).kerasShape()).isEqualTo(Shape.of(6, 4));
      assertThat(params.get(0).torchShape()).isEqualTo(Shape.of(4, 6));
      assertThat(params.get(1).kerasShape()).isEqualTo(Shape.of(4));

      assertThat(new Dense(Framework.TORCH, 5, 6, false, Activation.LINEAR).outputShape(Shape.of(3, 6)))
          .isEqualTo(Shape.of(3, 5));
    }

    @Test
    void declaredInputFeaturesAreChecked() {
      ShapeException e = shapeError(new Dense(Framework.TORCH, 5, 6, true, Activation.LINEAR), Shape.of(3, 7));
      assertThat(e.attribute()).isEqualTo("in");
      assertThat(e).hasMessageContaining("input has 7 features, expected 6");
    }

    @Test
    void aScalarHasNoFeatureAxis() {
      assertThat(shapeError(new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR), Shape.of()))
          .hasMessageContaining("scalar");
    }
  }

  // ------------------------------------------------------------------------------- BatchNorm

  @Nested
  class BatchNormRules {
    BatchNorm torch2d(int declared) {
      return new BatchNorm(Framework.TORCH, "BatchNorm2d", 1e-5, 0.1, 0, true, true, List.of(3), declared);
    }

    BatchNorm torch1d() {
      return new BatchNorm(Framework.TORCH, "BatchNorm1d", 1e-5, 0.1, 0, true, true, List.of(1, 2), 0);
    }

    BatchNorm keras(int featureAxis) {
      return new BatchNorm(Framework.KERAS, "BatchNormalization", 1e-3, 0.99, featureAxis, true, true, List.of(), 0);
    }

    @Test
    void batchNorm2dTakesImagesOnly() {
      assertThat(torch2d(3).outputShape(Shape.of(3, 4, 4))).isEqualTo(Shape.of(3, 4, 4));
      assertThat(torch2d(3).params(Shape.of(3, 4, 4))).allSatisfy(p -> assertThat(p.kerasShape()).isEqualTo(Shape.of(3)));
      ShapeException e = shapeError(torch2d(0), Shape.of(3));
      assertThat(e.attribute()).isNull();
      assertThat(e).hasMessageContaining("expects input of rank 4 (batch included) but got [3] (rank 2)");
    }

    @Test
    void batchNorm1dTakesVectorsAndSequences() {
      assertThat(torch1d().outputShape(Shape.of(7))).isEqualTo(Shape.of(7));
      assertThat(torch1d().outputShape(Shape.of(7, 5))).isEqualTo(Shape.of(7, 5));
      // (N, C, L): the channels are axis 0 of the sample
      assertThat(torch1d().params(Shape.of(7, 5)).get(0).kerasShape()).isEqualTo(Shape.of(7));
      assertThat(shapeError(torch1d(), Shape.of(3, 4, 4)))
          .hasMessageContaining("expects input of rank 2 or 3 (batch included)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void kerasBatchNormalizationTakesAnyRank(int rank) {
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = i + 2;
      }
      Shape in = Shape.of(dims);
      assertThat(keras(-1).outputShape(in)).isEqualTo(in);
      assertThat(keras(-1).params(in)).hasSize(4)
          .allSatisfy(p -> assertThat(p.kerasShape()).isEqualTo(Shape.of(rank + 1)));
    }

    @Test
    void anAxisOutsideTheInputNamesAxis() {
      assertThat(shapeError(keras(3), Shape.of(6, 6, 3)).attribute()).isEqualTo("axis");
      assertThat(shapeError(keras(-4), Shape.of(6, 6, 3)).attribute()).isEqualTo("axis");
    }

    @Test
    void declaredFeaturesAreChecked() {
      ShapeException e = shapeError(torch2d(4), Shape.of(3, 4, 4));
      assertThat(e.attribute()).isEqualTo("numFeatures");
      assertThat(e).hasMessageContaining("input has 3 channels, expected 4");
    }
  }

  // ------------------------------------------------------------------------------- LayerNorm

  @Nested
  class LayerNormRules {
    LayerNorm keras(Integer... axes) {
      return new LayerNorm(Framework.KERAS, List.of(axes), 1e-3, true, true, List.of());
    }

    LayerNorm torch(Integer... normalizedShape) {
      List<Integer> axes = new java.util.ArrayList<>();
      for (int i = normalizedShape.length; i > 0; i--) {
        axes.add(-i);
      }
      return new LayerNorm(Framework.TORCH, axes, 1e-5, true, true, List.of(normalizedShape));
    }

    @Test
    void trailingAxesAreNormalised() {
      Shape in = Shape.of(5, 8);
      assertThat(keras(-1).outputShape(in)).isEqualTo(in);
      assertThat(keras(-1).normalizedShape(in)).isEqualTo(Shape.of(8));
      assertThat(keras(1).normalizedShape(in)).isEqualTo(Shape.of(8));
      assertThat(keras(0, 1).normalizedShape(in)).isEqualTo(Shape.of(5, 8));
      assertThat(keras(-2, -1).normalizedShape(in)).isEqualTo(Shape.of(5, 8));
      assertThat(keras(-1).params(in)).extracting(ParamSpec::kerasName).containsExactly("gamma", "beta");
      assertThat(keras(0, 1).params(in)).allSatisfy(p -> assertThat(p.kerasShape()).isEqualTo(Shape.of(5, 8)));
      assertThat(torch(8).outputShape(Shape.of(3, 5, 8))).isEqualTo(Shape.of(3, 5, 8));
      assertThat(torch(5, 8).params(in)).extracting(ParamSpec::torchName).containsExactly("weight", "bias");
    }

    @Test
    void nonTrailingKerasAxesAreRefusedNamingAxis() {
      for (LayerNorm n : List.of(keras(0), keras(-2), keras(1, 0))) {
        ShapeException e = shapeError(n, Shape.of(5, 8));
        assertThat(e.attribute()).as("axes " + n.axes()).isEqualTo("axis");
        assertThat(e).hasMessageContaining("last axes");
      }
    }

    @Test
    void anAxisOutsideTheInputIsRefusedInKerasCounting() {
      ShapeException e = shapeError(keras(2), Shape.of(5, 8));
      assertThat(e.attribute()).isEqualTo("axis");
      assertThat(e).hasMessageContaining("axis 3 is out of range"); // Keras counts the batch axis
    }

    @Test
    void aTorchNormalizedShapeThatDoesNotMatchTheInputIsRefused() {
      ShapeException e = shapeError(torch(5), Shape.of(5, 8));
      assertThat(e.attribute()).isEqualTo("value");
      assertThat(e).hasMessageContaining("normalized_shape [5] does not match the last 1 dims of input [5,8]");
      assertThat(shapeError(torch(4, 8), Shape.of(8)).attribute()).isEqualTo("value");
    }
  }

  // --------------------------------------------------------------------------- Flatten, Add

  @Test
  void flattenMultipliesTheSampleAxes() {
    assertThat(new Flatten(Framework.TORCH, DataFormat.CHANNELS_FIRST).outputShape(Shape.of(2, 3, 3)))
        .isEqualTo(Shape.of(18));
    assertThat(new Flatten(Framework.KERAS, DataFormat.CHANNELS_LAST).outputShape(Shape.of(4, 5)))
        .isEqualTo(Shape.of(20));
  }

  @Test
  void flatteningAFlatInputIsRefused() {
    ShapeException e = shapeError(new Flatten(Framework.KERAS, DataFormat.CHANNELS_LAST), Shape.of(6));
    assertThat(e.attribute()).isNull();
    assertThat(e).hasMessageContaining("already flat");
  }

  @Test
  void addOfEqualShapesKeepsTheShape() {
    assertThat(ElementwiseMerge.add(Framework.KERAS, 3).outputShape(List.of(Shape.of(2, 3), Shape.of(2, 3), Shape.of(2, 3))))
        .isEqualTo(Shape.of(2, 3));
  }

  @Test
  void addOfDifferentShapesIsRefused() {
    ShapeException e = shapeError(ElementwiseMerge.add(Framework.KERAS, 2), Shape.of(4), Shape.of(5));
    assertThat(e.attribute()).isEqualTo("from");
    assertThat(e).hasMessageContaining("different shapes: [4] and [5]");
    assertThat(shapeError(ElementwiseMerge.add(Framework.TORCH, 2), Shape.of(2, 3), Shape.of(3, 2)).attribute())
        .isEqualTo("from");
  }

  @Test
  void addWiredToAnotherNumberOfInputsIsRefused() {
    assertThat(shapeError(ElementwiseMerge.add(Framework.KERAS, 2), Shape.of(4)).attribute()).isEqualTo("from");
  }
}
