package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Concatenate;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.MergeOperator;
import dev.sequent.model.layers.Normalization;
import dev.sequent.model.layers.Permute;
import dev.sequent.model.layers.Rescaling;
import dev.sequent.model.layers.Reshape;
import dev.sequent.model.layers.Unflatten;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Merge, reshape and preprocessing layers in models saved by real Keras 3 ({@code .keras}), tf_keras
 * ({@code .h5}) and PyTorch (pickled and traced {@code nn.Unflatten}), with their outputs
 * (fixtures/make_merge_fixtures.py), loaded with no Java source. Each runs at batch 8, one sample
 * at a time (plain Java, the model's Java limit being positive), tiled above the model's Java limit
 * and to 800 samples, above each op's own Java limit (ND4J where the op has an ND4J form); every
 * run must give the framework's output.
 */
class MergeLayersTest {
  private static final Path DIR = root().resolve("merges");

  @ParameterizedTest
  @ValueSource(strings = {"keras_merges.keras", "keras_merges.h5", "keras_squeeze_excite.keras",
      "keras_squeeze_excite.h5", "keras_reshape_permute.keras", "keras_reshape_permute.h5",
      "keras_preprocessing.keras", "keras_preprocessing.h5", "torch_unflatten.pt", "torch_unflatten_traced.pt"})
  void bothPathsGiveTheFrameworksOutput(String file) {
    String stem = stem(file);
    INDArray x = npy(stem + "_input.npy");
    INDArray expected = npy(stem + "_output.npy");
    Network net = load(file);
    double worst = assertClose(expected, net.forward(x), file + " batch of 8");

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java").isPositive();
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      worst = Math.max(worst, assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one),
          file + " sample " + i));
    }
    int tiles = Math.min(javaLimit, 4096) / (int) x.size(0) + 1;
    INDArray big = Nd4j.tile(x, batchTimes(tiles, x.rank()));
    worst = Math.max(worst, assertClose(Nd4j.tile(expected, batchTimes(tiles, expected.rank())), net.forward(big),
        file + " batch of " + big.size(0)));
    // Each merge, concatenation and permutation keeps batches up to its own limit (65536 values / its
    // per-sample size, 56 to 682 here) in plain Java inside the ND4J pass; 800 samples are above all of
    // them, so ND4J's add/mul/max, Nd4j.concat and permute run too.
    INDArray huge = Nd4j.tile(x, batchTimes(100, x.rank()));
    worst = Math.max(worst, assertClose(Nd4j.tile(expected, batchTimes(100, expected.rank())), net.forward(huge),
        file + " batch of 800 (the ops' ND4J forms)"));
    System.out.printf("MergeLayersTest %s: Java limit %d, max |diff| %.3g%n", file, javaLimit, worst);
  }

  @Test
  void theMergeModelReadsEveryMergeWithItsInputsAndAxes() {
    for (String file : List.of("keras_merges.keras", "keras_merges.h5")) {
      InferredModel m = load(file).model();
      Set<MergeOperator> ops = m.nodes().stream().map(InferredModel.Layer::spec)
          .filter(ElementwiseMerge.class::isInstance).map(l -> ((ElementwiseMerge) l).operator())
          .collect(Collectors.toSet());
      assertThat(ops).as(file).containsExactlyInAnyOrder(MergeOperator.values());
      assertThat(m.layer("mul").node().inputs()).containsExactly("a", "b", "c");
      assertThat(m.layer("cat_channels").spec()).isEqualTo(new Concatenate(dev.sequent.model.Framework.KERAS, -1, 4));
      assertThat(m.layer("cat_channels").outputShape()).isEqualTo(Shape.of(6, 6, 16));
      assertThat(m.layer("cat_height").outputShape()).isEqualTo(Shape.of(12, 6, 16));
    }
  }

  @Test
  void squeezeExciteBroadcastsTheScaleOverTheImage() {
    InferredModel m = load("keras_squeeze_excite.keras").model();
    assertThat(m.layer("excite").inputShapes()).containsExactly(Shape.of(8, 8, 8), Shape.of(1, 1, 8));
    assertThat(m.layer("channel_gate").inputShapes()).containsExactly(Shape.of(8, 8, 8), Shape.of(8));
    assertThat(m.layer("excite").outputShape()).isEqualTo(Shape.of(8, 8, 8));
    assertThat(m.layer("se_reshape").spec()).isInstanceOf(Reshape.class);
  }

  @Test
  void reshapeAndPermuteResolveTheirShapes() {
    InferredModel m = load("keras_reshape_permute.h5").model();
    assertThat(m.layer("regroup").outputShape()).isEqualTo(Shape.of(8, 10));
    assertThat(m.layer("swap").spec()).isInstanceOf(Permute.class);
    assertThat(m.layer("rotate").outputShape()).isEqualTo(Shape.of(10, 2, 4));
  }

  @Test
  void preprocessingStatisticsAreTheAdaptedWeights() {
    for (String file : List.of("keras_preprocessing.keras", "keras_preprocessing.h5")) {
      Network net = load(file);
      InferredModel m = net.model();
      assertThat(m.layer("per_channel").spec()).isEqualTo(new Rescaling(dev.sequent.model.Framework.KERAS,
          List.of(0.5, 2.0, 1.5), List.of(0.1, -0.2, 0.3)));
      assertThat(((Normalization) m.layer("norm_all").spec()).axis()).as(file).isEmpty();
      assertThat(m.layer("norm_wc").params()).extracting(p -> p.kerasShape()).containsExactly(Shape.of(5, 3),
          Shape.of(5, 3), Shape.of());
      assertThat(net.stateDict().get("norm.count").getDouble(0)).as("Keras' int64 count, skipped, is 0").isZero();
      assertThat(m.layer("given").params()).isEmpty();
      assertThat(((Normalization) m.layer("denorm").spec()).invert()).isTrue();
      // adapt() left real statistics: a mean far from Keras' initial zeros.
      INDArray mean = net.stateDict().get("norm.mean");
      assertThat(mean).as(file + " " + net.stateDict().keySet()).isNotNull();
      assertThat(Math.abs(mean.getDouble(0))).isGreaterThan(0.05);
    }
  }

  @Test
  void unflattenIsReadFromPickledAndTracedModules() {
    for (String file : List.of("torch_unflatten.pt", "torch_unflatten_traced.pt")) {
      List<LayerSpec> layers = load(file).model().nodes().stream().map(InferredModel.Layer::spec).toList();
      assertThat(layers).as(file).contains(new Unflatten(dev.sequent.model.Framework.TORCH, 1, List.of(2, 3, 4)));
    }
  }

  private static Network load(String file) {
    return file.endsWith(".pt") ? Network.load(DIR.resolve(file), Shape.of(12)) : Network.load(DIR.resolve(file));
  }

  private static String stem(String file) {
    String s = file.substring(0, file.lastIndexOf('.'));
    return s.endsWith("_traced") ? s.substring(0, s.length() - "_traced".length()) : s;
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }

  private static int[] batchTimes(int times, int rank) {
    int[] reps = new int[rank];
    Arrays.fill(reps, 1);
    reps[0] = times;
    return reps;
  }
}
