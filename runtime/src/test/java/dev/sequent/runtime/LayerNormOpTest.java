package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.LayerNorm;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * LayerNorm against the real frameworks: the {@code layernorm} reference model (fixtures/reference,
 * made by real PyTorch and Keras 3: Dense(16), LayerNorm over the last axis, ReLU, LayerNorm over
 * both sample axes without beta, Flatten, Dense(3) on a (5, 8) sequence) built here in each
 * vocabulary, loaded with the framework's own weight file and run on the framework's input. Each
 * runs one sample at a time and at batch 8 (every layer in plain Java, {@code ExecutionPlan.forwardInJava})
 * and tiled to a batch larger than any layer's Java limit (every layer through its ND4J form).
 */
class LayerNormOpTest {
  private static final Framework T = Framework.TORCH;
  private static final Framework K = Framework.KERAS;
  private static final OpContext NO_CUSTOM_LAYERS = new OpContext(c -> {
    throw new AssertionError("no custom layer here: " + c);
  });

  static InferredModel torchModel() {
    return ShapeInference.infer(ModelSpec.sequential("layernorm", T, Shape.of(5, 8), List.of(
        new ModelSpec.Named("proj", new Dense(T, 16, 8, true, Activation.LINEAR)),
        new ModelSpec.Named("ln1", new LayerNorm(T, List.of(-1), 1e-5, true, true, List.of(16))),
        new ModelSpec.Named("act", new ActivationLayer(T, "ReLU", Activation.of(Activation.Kind.RELU))),
        new ModelSpec.Named("ln2", new LayerNorm(T, List.of(-2, -1), 1e-5, false, true, List.of(5, 16))),
        new ModelSpec.Named("flat", new Flatten(T, null)),
        new ModelSpec.Named("head", new Dense(T, 3, 80, true, Activation.LINEAR))))).orThrow();
  }

  static InferredModel kerasModel() {
    return ShapeInference.infer(ModelSpec.sequential("layernorm", K, Shape.of(5, 8), List.of(
        new ModelSpec.Named("proj", new Dense(K, 16, 0, true, Activation.LINEAR)),
        new ModelSpec.Named("ln1", new LayerNorm(K, List.of(-1), 1e-5, true, true, List.of())),
        new ModelSpec.Named("act", new ActivationLayer(K, "ReLU", Activation.of(Activation.Kind.RELU))),
        new ModelSpec.Named("ln2", new LayerNorm(K, List.of(0, 1), 1e-5, false, true, List.of())),
        new ModelSpec.Named("flat", new Flatten(K, null)),
        new ModelSpec.Named("head", new Dense(K, 3, 0, true, Activation.LINEAR))))).orThrow();
  }

  @Test
  void pytorchStateDict() {
    Network net = Network.create(torchModel()).loadWeights(reference("layernorm", "torch_state_dict.pt"));
    assertAllPaths(net, npy("layernorm", "input_torch.npy"), npy("layernorm", "output_torch.npy"), "torch");
  }

  /** Keras 3 saves by class-derived names (layers/layer_normalization_1/vars/0), Keras 2 by layer name. */
  @ParameterizedTest
  @ValueSource(strings = {"keras3.weights.h5", "keras3.h5", "keras2_weights.h5", "keras2.h5"})
  void kerasWeights(String file) {
    Network net = Network.create(kerasModel()).loadWeights(reference("layernorm", file));
    String output = file.startsWith("keras2") ? "output_keras2.npy" : "output_keras3.npy";
    assertAllPaths(net, npy("layernorm", "input_keras.npy"), npy("layernorm", output), file);
  }

  /**
   * The two forms of the op alone, on rows far from zero (where a one-pass variance would cancel),
   * with and without gamma and beta, from a non-contiguous view; against a double-precision
   * reference.
   */
  @Test
  void bothFormsMatchAReferenceOnOffsetRowsAndViews() {
    Random random = new Random(7);
    for (boolean center : new boolean[] {false, true}) {
      for (boolean scale : new boolean[] {false, true}) {
        LayerNorm spec = new LayerNorm(T, List.of(-2, -1), 1e-5, center, scale, List.of(3, 4));
        InferredModel.Layer layer = ShapeInference.infer(ModelSpec.sequential("one", T, Shape.of(2, 3, 4),
            List.of(new ModelSpec.Named("ln", spec)))).orThrow().nodes().get(0);
        float[] gamma = randoms(random, 12, 1, 0.5);
        float[] beta = randoms(random, 12, 0, 1);
        List<INDArray> params = new ArrayList<>();
        if (scale) {
          params.add(FloatArrays.of(gamma, 3, 4));
        }
        if (center) {
          params.add(FloatArrays.of(beta, 3, 4));
        }
        BoundLayer op = OpRegistry.bind(layer, params, NO_CUSTOM_LAYERS);
        int n = 3;
        float[] x = randoms(random, n * 24, 1000, 0.01);
        float[] expected = layerNorm(x, 12, scale ? gamma : null, center ? beta : null, 1e-5);
        String what = "center " + center + ", scale " + scale;

        float[] xCopy = x.clone();
        assertClose(FloatArrays.of(expected, n, 2, 3, 4), FloatArrays.of(op.java().apply(List.of(x), n), n, 2, 3, 4),
            what + " (Java)");
        assertThat(x).as("the input is not modified").isEqualTo(xCopy);

        // a view: the (n, 2, 3, 4) samples as the odd rows of a (2n, 2, 3, 4) array, then permuted twice
        INDArray wide = Nd4j.zeros(DataType.FLOAT, 2 * n, 2, 3, 4);
        INDArray in = FloatArrays.of(x, n, 2, 3, 4);
        wide.get(NDArrayIndex.interval(1, 2, 2 * n)).assign(in);
        INDArray view = wide.get(NDArrayIndex.interval(1, 2, 2 * n));
        assertThat(view.isView()).isTrue();
        assertClose(FloatArrays.of(expected, n, 2, 3, 4), op.nd4j().apply(List.of(view)), what + " (ND4J, view)");
        INDArray fortran = in.dup('f');
        assertClose(FloatArrays.of(expected, n, 2, 3, 4), op.nd4j().apply(List.of(fortran)), what + " (ND4J, f order)");
        assertThat(FloatArrays.copyOf(in)).as("the input is not modified").isEqualTo(x);
      }
    }
  }

  private static void assertAllPaths(Network net, INDArray x, INDArray expected, String what) {
    int n = (int) x.size(0);
    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("the batch of %d runs in plain Java", n).isGreaterThanOrEqualTo(n);
    System.out.printf("%s: batch of %d (Java) max abs diff %.3g%n", what, n,
        assertClose(expected, net.forward(x), what + " batch of " + n));
    double single = 0;
    for (int i = 0; i < n; i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      single = Math.max(single, assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one),
          what + " sample " + i));
    }
    System.out.printf("%s: one sample at a time (Java) max abs diff %.3g%n", what, single);
    // tiled past every layer's Java limit, so that each layer runs its ND4J form
    int tiles = javaLimit / n + 1;
    INDArray big = Nd4j.tile(x, tiles, 1, 1);
    assertThat(big.size(0)).isGreaterThan(javaLimit);
    System.out.printf("%s: batch of %d (ND4J) max abs diff %.3g%n", what, big.size(0),
        assertClose(Nd4j.tile(expected, tiles, 1), net.forward(big), what + " batch of " + big.size(0)));
  }

  /** Layer norm of each row of {@code width}, in double, written out longhand. */
  private static float[] layerNorm(float[] x, int width, float[] gamma, float[] beta, double eps) {
    float[] y = new float[x.length];
    for (int base = 0; base < x.length; base += width) {
      double mean = 0;
      for (int k = 0; k < width; k++) {
        mean += x[base + k];
      }
      mean /= width;
      double var = 0;
      for (int k = 0; k < width; k++) {
        var += (x[base + k] - mean) * (x[base + k] - mean);
      }
      var /= width;
      for (int k = 0; k < width; k++) {
        double v = (x[base + k] - mean) / Math.sqrt(var + eps);
        y[base + k] = (float) (v * (gamma == null ? 1 : gamma[k]) + (beta == null ? 0 : beta[k]));
      }
    }
    return y;
  }

  private static float[] randoms(Random random, int n, double center, double spread) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (center + spread * random.nextGaussian());
    }
    return a;
  }
}
