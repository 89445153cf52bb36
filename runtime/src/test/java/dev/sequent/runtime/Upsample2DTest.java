package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.Upsample2D;
import dev.sequent.model.layers.Upsample2D.Interpolation;
import dev.sequent.model.layers.Upsample2D.TorchModule;
import dev.sequent.model.report.KerasTwin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * UpSampling2D / nn.Upsample / UpsamplingNearest2d / UpsamplingBilinear2d models built, run and
 * saved whole by real PyTorch (pickled and traced TorchScript) and real Keras 3 (.keras) and tf_keras
 * (.h5) (fixtures/make_upsampling_fixtures.py), loaded with {@link Network#load} and no Java source.
 * Each runs at batch 8 (the ND4J path: above the model's Java limit, asserted with {@link JavaPath})
 * and one sample at a time (plain Java), and must give the framework's output.
 */
class Upsample2DTest {
  private static final Map<String, Double> WORST = new TreeMap<>();

  @ParameterizedTest
  @ValueSource(strings = {"torch_nearest_bilinear.pt", "torch_nearest_bilinear_traced.pt",
      "torch_align_corners.pt", "torch_align_corners_traced.pt", "torch_nearest_modules.pt",
      "torch_nearest_modules_traced.pt", "keras_nearest_bilinear.keras", "keras_nearest_bilinear.h5",
      "keras_bilinear_nearest.keras", "keras_bilinear_nearest.h5"})
  void batchAndSingleSamplesGiveTheFrameworksOutput(String file) {
    Path dir = root().resolve("upsampling");
    String stem = file.substring(0, file.lastIndexOf('.')).replace("_traced", "");
    INDArray x = npy(dir.resolve(stem + "_input.npy"));
    INDArray expected = npy(dir.resolve(stem + "_output.npy"));
    Network net = file.endsWith(".pt") ? Network.load(dir.resolve(file), Shape.of(3, 8, 8)) : Network.load(dir.resolve(file));
    assertThat(net.model().nodes()).as("the file's upsampling layers")
        .filteredOn(n -> n.spec() instanceof Upsample2D).hasSize(2);

    int javaLimit = JavaPath.maxBatch(net.model());
    assertThat(javaLimit).as("one sample runs in plain Java, the batch of %d in ND4J", x.size(0))
        .isBetween(1, (int) x.size(0) - 1);
    double worst = assertClose(expected, net.forward(x), file + " batch of " + x.size(0));
    for (int i = 0; i < x.size(0); i++) {
      INDArray one = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
      worst = Math.max(worst, assertClose(expected.get(NDArrayIndex.interval(i, i + 1)), net.forward(one),
          file + " sample " + i));
    }
    INDArray some = x.get(NDArrayIndex.interval(8 - javaLimit, 8)).dup('c');
    worst = Math.max(worst, assertClose(expected.get(NDArrayIndex.interval(8 - javaLimit, 8)), net.forward(some),
        file + " last " + javaLimit + " samples"));
    WORST.merge(file, worst, Math::max);
  }

  @AfterAll
  static void report() {
    WORST.forEach((file, d) -> System.out.printf("Upsample2DTest %s max abs diff %.3g%n", file, d));
  }

  /** The records the files give: factors, interpolation, align_corners and module class as PyTorch and Keras saved them. */
  @Test
  void theFilesGiveTheLayersTheirFrameworksSaved() {
    Path dir = root().resolve("upsampling");
    assertThat(upsamplings(Network.load(dir.resolve("torch_align_corners.pt"), Shape.of(3, 8, 8)))).containsExactly(
        new Upsample2D(Framework.TORCH, 2, 2, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE),
        new Upsample2D(Framework.TORCH, 2, 3, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_BILINEAR));
    List<Upsample2D> traced = upsamplings(Network.load(dir.resolve("torch_nearest_modules_traced.pt"), Shape.of(3, 8, 8)));
    assertThat(traced).containsExactly(
        new Upsample2D(Framework.TORCH, 3, 3, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_NEAREST),
        new Upsample2D(Framework.TORCH, 1, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE));
    for (String file : List.of("keras_nearest_bilinear.keras", "keras_nearest_bilinear.h5")) {
      assertThat(upsamplings(Network.load(dir.resolve(file)))).as(file).containsExactly(
          new Upsample2D(Framework.KERAS, 2, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_LAST,
              TorchModule.UPSAMPLE),
          new Upsample2D(Framework.KERAS, 2, 3, Interpolation.BILINEAR, false, DataFormat.CHANNELS_LAST,
              TorchModule.UPSAMPLE));
    }
  }

  /** Nearest and half-pixel bilinear have a Keras twin (UpSampling2D); align_corners=True has none, and says why. */
  @Test
  void theTwinRule() {
    InferredModel halfPixel = torchModel(
        new Upsample2D(Framework.TORCH, 2, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE),
        new Upsample2D(Framework.TORCH, 2, 3, Interpolation.BILINEAR, false, DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE),
        new Upsample2D(Framework.TORCH, 3, 3, Interpolation.NEAREST, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_NEAREST));
    assertThat(KerasTwin.whyNone(halfPixel)).isEmpty();
    assertThat(KerasTwin.of(halfPixel).nodes()).extracting(InferredModel.Layer::spec).containsExactly(
        new Upsample2D(Framework.KERAS, 2, 2, Interpolation.NEAREST, false, DataFormat.CHANNELS_LAST, TorchModule.UPSAMPLE),
        new Upsample2D(Framework.KERAS, 2, 3, Interpolation.BILINEAR, false, DataFormat.CHANNELS_LAST, TorchModule.UPSAMPLE),
        new Upsample2D(Framework.KERAS, 3, 3, Interpolation.NEAREST, false, DataFormat.CHANNELS_LAST, TorchModule.UPSAMPLE));
    assertThat(KerasTwin.of(halfPixel).outputShape()).isEqualTo(Shape.of(24, 36, 2));
    for (Upsample2D corners : List.of(
        new Upsample2D(Framework.TORCH, 2, 2, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE),
        new Upsample2D(Framework.TORCH, 2, 2, Interpolation.BILINEAR, true, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLING_BILINEAR))) {
      assertThat(KerasTwin.whyNone(torchModel(corners))).hasValueSatisfying(why -> assertThat(why)
          .contains("align_corners=True has no Keras equivalent").contains("half-pixel"));
    }
  }

  private static InferredModel torchModel(Upsample2D... layers) {
    List<ModelSpec.Named> named = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      named.add(new ModelSpec.Named("up" + i, layers[i]));
    }
    return ShapeInference.infer(ModelSpec.sequential("Ups", Framework.TORCH, Shape.of(2, 2, 2), named)).orThrow();
  }

  /** The op on both layouts (channels-first planes, channels-last cells) gives the same values; nearest repeats. */
  @Test
  void bothLayoutsGiveTheSameValues() {
    INDArray nchw = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 2, 5, 4);
    for (Interpolation mode : Interpolation.values()) {
      for (boolean corners : mode == Interpolation.BILINEAR ? new boolean[] {false, true} : new boolean[] {false}) {
        Network first = Network.create(ShapeInference.infer(ModelSpec.sequential("First", Framework.TORCH, Shape.of(2, 5, 4),
            List.of(new ModelSpec.Named("up", new Upsample2D(Framework.TORCH, 3, 2, mode, corners,
                DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE))))).orThrow());
        Network last = Network.create(ShapeInference.infer(ModelSpec.sequential("Last", Framework.TORCH, Shape.of(5, 4, 2),
            List.of(new ModelSpec.Named("up", new Upsample2D(Framework.TORCH, 3, 2, mode, corners,
                DataFormat.CHANNELS_LAST, TorchModule.UPSAMPLE))))).orThrow());
        INDArray a = first.forward(nchw);
        INDArray b = last.forward(nchw.permute(0, 2, 3, 1).dup('c')).permute(0, 3, 1, 2);
        assertClose(a, b, mode + " corners=" + corners);
        assertThat(a.shape()).containsExactly(3, 2, 15, 8);
        if (mode == Interpolation.NEAREST) {
          assertThat(a.getFloat(1, 1, 7, 5)).isEqualTo(nchw.getFloat(1, 1, 2, 2));
        }
      }
    }
  }

  @Test
  void aFixedOutputSizeAFractionalFactorAndOtherModesAreRefusedWithTheReason() {
    dev.sequent.model.layers.Upsample2DKind kind = new dev.sequent.model.layers.Upsample2DKind();
    java.util.function.Function<Map<String, Object>, Upsample2D> read = a -> kind.fromTorch(
        new dev.sequent.model.kind.TorchModuleInput("up", "torch.nn.modules.upsampling.Upsample", a, t -> false));
    Map<String, Object> sized = new java.util.HashMap<>(Map.of("mode", "nearest"));
    sized.put("size", List.of(16, 16));
    sized.put("scale_factor", null);
    assertThatThrownBy(() -> read.apply(sized)).hasMessageContaining("layer up (torch.nn.modules.upsampling.Upsample)")
        .hasMessageContaining("size=[16, 16] (a fixed output size) is not supported");
    assertThatThrownBy(() -> read.apply(Map.of("scale_factor", 1.5, "mode", "nearest")))
        .hasMessageContaining("scale_factor 1.5 is not supported: Sequent upsamples by whole factors");
    assertThatThrownBy(() -> read.apply(Map.of("scale_factor", 2.0, "mode", "bicubic")))
        .hasMessageContaining("mode=\"bicubic\" is not supported");
    assertThat(read.apply(Map.of("scale_factor", List.of(2.0, 3.0), "mode", "bilinear", "align_corners", false)))
        .isEqualTo(new Upsample2D(Framework.TORCH, 2, 3, Interpolation.BILINEAR, false, DataFormat.CHANNELS_FIRST,
            TorchModule.UPSAMPLE));
    assertThatThrownBy(() -> new Upsample2D(Framework.TORCH, 2, 2, Interpolation.NEAREST, true,
        DataFormat.CHANNELS_FIRST, TorchModule.UPSAMPLE))
        .hasMessageContaining("align_corners can only be set with an interpolating mode");
  }

  private static List<Upsample2D> upsamplings(Network net) {
    List<Upsample2D> out = new ArrayList<>();
    net.model().nodes().forEach(n -> {
      if (n.spec() instanceof Upsample2D u) {
        out.add(u);
      }
    });
    return out;
  }
}
