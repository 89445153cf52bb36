package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Shape;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Clipped and hard activations from files saved whole by real PyTorch (pickled and traced), Keras 3
 * ({@code .keras}) and tf_keras ({@code .h5}) (fixtures/make_clip_activation_fixtures.py): Keras
 * {@code ReLU(max_value, negative_slope, threshold)} in every combination, the {@code relu6},
 * {@code hard_sigmoid}, {@code hard_silu}, {@code hard_swish} strings standalone and fused, tf_keras'
 * own hard_sigmoid, PyTorch ReLU6, Hardtanh, Hardsigmoid, Hardswish. Pre-activations span about
 * -20..20. Each file runs at batch 8 through ND4J and one sample at a time through plain Java
 * (asserted with {@link JavaPath}) and must give the framework's output.
 */
class ClipActivationsTest {
  /** The largest differences seen, printed for the record. */
  private static final java.util.Map<String, Double> MAX_DIFF = new java.util.concurrent.ConcurrentSkipListMap<>();

  @ParameterizedTest
  @ValueSource(strings = {
      "torch_relu6.pt", "torch_hardtanh.pt", "torch_hardtanh_zero.pt", "torch_hardsigmoid.pt", "torch_hardswish.pt",
      "torch_relu6_traced.pt", "torch_hardtanh_traced.pt", "torch_hardtanh_zero_traced.pt",
      "torch_hardsigmoid_traced.pt", "torch_hardswish_traced.pt",
      "keras_relu_max6.keras", "keras_relu_full.keras", "keras_relu_slope_threshold.keras",
      "keras_relu_threshold.keras", "keras_relu_threshold_above_max.keras", "keras_relu_leaky.keras",
      "keras_act_relu6.keras", "keras_act_hard_sigmoid.keras", "keras_act_hard_silu.keras",
      "keras_act_hard_swish.keras", "keras_fused_relu6_hard_sigmoid.keras", "keras_fused_hard_swish.keras",
      "keras_fused_hard_silu.keras",
      "tfk_relu_full.h5", "tfk_relu6.h5", "tfk_hard_sigmoid.h5", "tfk_fused_hard_sigmoid.h5"})
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    Path dir = root().resolve("clip_activations");
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = Nd4j.createFromNpyFile(dir.resolve(stem + "_input.npy").toFile()).castTo(DataType.FLOAT);
    INDArray expected = Nd4j.createFromNpyFile(dir.resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    Network net = file.endsWith(".pt") ? Network.load(dir.resolve(file), Shape.of(3, 32, 32))
        : Network.load(dir.resolve(file));

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    // the batch of 8 runs ND4J with the scalar kernels, plain Java with the SIMD kernels' higher
    // convolution limits; the tiled batch past the limit runs ND4J with either
    check(expected, net.forward(x), file + " batch of 8");
    check(JavaPath.pastLimit(expected, javaLimit), net.forward(JavaPath.pastLimit(x, javaLimit)),
        file + " batch past the plain-Java limit (ND4J)");
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      check(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one), file + " sample " + i + " (Java)");
    }
    System.out.println("max |difference| " + file + ": " + MAX_DIFF.get(file));
  }

  /** 1e-5 absolute, 1e-4 relative where the expected value is above 1. */
  private void check(INDArray expected, INDArray actual, String what) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    float[] e = expected.dup('c').data().asFloat();
    float[] a = actual.dup('c').data().asFloat();
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs(e[i] - a[i]);
      double tol = Math.max(1e-5, 1e-4 * Math.abs(e[i]));
      assertThat(d).as("%s value %d: expected %s, got %s", what, i, e[i], a[i]).isLessThanOrEqualTo(tol);
      worst = Math.max(worst, d);
    }
    String file = what.substring(0, what.indexOf(' '));
    MAX_DIFF.merge(file, worst, Math::max);
  }
}
