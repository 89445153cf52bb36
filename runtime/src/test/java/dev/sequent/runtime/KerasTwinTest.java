package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.model.Activation;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.model.layers.ShapeRule;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras twin whose config Sequent writes into whole-model {@code .h5} files computes the
 * model's function: loaded with the weights Sequent exports ({@code getWeights()}) it gives the
 * model's outputs on the same input moved channels-last, and so does the {@code .h5} read back
 * with no Java class. Models the twin would not reproduce get no twin, a reason, and a
 * weights-only file. (Real Keras on the reference models: examples' SavedKerasWeightsTest.)
 */
class KerasTwinTest {
  private static final Framework T = Framework.TORCH;
  private static final Framework K = Framework.KERAS;
  private static final DataFormat CF = DataFormat.CHANNELS_FIRST;

  @TempDir Path tmp;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("PyTorch CNN: padding=1, BatchNorm2d eps 1e-5, softmax over channels, strides, dropout",
            ModelSpec.sequential("torch_cnn", T, Shape.of(2, 9, 9), List.of(
                named("conv", conv(T, 4, 3, 1, Padding.explicit(1, 1), CF)),
                named("bn", new BatchNorm(T, "BatchNorm2d", 1e-5, 0.1, 0, true, true, List.of(3), 0)),
                named("relu", act(T, "ReLU", Activation.of(Activation.Kind.RELU))),
                named("pool", new Pool2D(T, Pool2D.Kind.MAX, 2, 2, 2, 2, Padding.VALID, false, true, CF)),
                named("probs", act(T, "Softmax", Activation.softmax(1))),
                named("conv2", conv(T, 3, 2, 1, Padding.VALID, CF)),
                named("flat", new Flatten(T, CF)),
                named("drop", new Dropout(T, 0.5)),
                named("gelu", act(T, "GELU", Activation.gelu(false))),
                named("fc", new Dense(T, 5, 0, true, Activation.LINEAR))))),
        Arguments.of("PyTorch Module: skip connection, global average pool, image output of a BatchNorm",
            module("torch_residual", T, Shape.of(3, 6, 6), "head",
                node("stem", conv(T, 4, 3, 1, Padding.SAME, CF), "input"),
                node("bn", new BatchNorm(T, "BatchNorm2d", 1e-5, 0.1, 0, true, true, List.of(3), 0), "stem"),
                node("act", act(T, "SiLU", Activation.of(Activation.Kind.SILU)), "bn"),
                node("conv2", conv(T, 4, 3, 1, Padding.explicit(1, 1), CF), "act"),
                node("add", ElementwiseMerge.add(T, 2), "act", "conv2"),
                node("gap", new GlobalPool2D(T, Pool2D.Kind.AVG, CF), "add"),
                node("head", new Dense(T, 3, 0, true, Activation.LINEAR), "gap"))),
        Arguments.of("PyTorch image model ending in an image (softmax over width: dim=-1)",
            ModelSpec.sequential("torch_image_out", T, Shape.of(2, 5, 7), List.of(
                named("conv", conv(T, 3, 3, 1, Padding.explicit(1, 1), CF)),
                named("bn", new BatchNorm(T, "BatchNorm2d", 1e-5, 0.1, 0, true, true, List.of(3), 0)),
                named("probs", act(T, "Softmax", Activation.softmax(-1)))))),
        Arguments.of("PyTorch MLP on an image: Flatten of the channels-first input, then Linear",
            ModelSpec.sequential("torch_flat_mlp", T, Shape.of(2, 3, 4), List.of(
                named("flat", new Flatten(T, CF)),
                named("fc", new Dense(T, 6, 24, true, Activation.LINEAR)),
                named("bn", new BatchNorm(T, "BatchNorm1d", 1e-5, 0.1, 0, true, true, List.of(1, 2), 0)),
                named("out", act(T, "Tanh", Activation.of(Activation.Kind.TANH)))))),
        Arguments.of("PyTorch options whose twin is a chain: explicit padding (ZeroPadding2D + valid Conv2D), dilation, "
                + "a padded max pool after a ReLU, a count_include_pad average, ceil_mode",
            ModelSpec.sequential("torch_chains", T, Shape.of(2, 11, 10), List.of(
                named("conv", conv(T, 3, 3, 1, Padding.explicit(2, 0), CF)),
                named("dil", new Conv2D(T, 4, 3, 2, 1, 1, Padding.explicit(1, 3), 2, 3, true, Activation.LINEAR, CF, 0)),
                named("relu", act(T, "ReLU", Activation.of(Activation.Kind.RELU))),
                named("mp", new Pool2D(T, Pool2D.Kind.MAX, 3, 3, 2, 2, Padding.explicit(1, 1), true, true, CF)),
                named("ap", new Pool2D(T, Pool2D.Kind.AVG, 3, 2, 2, 1, Padding.explicit(1, 1), false, true, CF)),
                named("ceil", new Pool2D(T, Pool2D.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true, false, CF)),
                named("strided", conv(T, 2, 2, 2, Padding.explicit(1, 1), CF))))),
        Arguments.of("PyTorch Module: a padded ConvTranspose2d (Conv2DTranspose + Cropping2D) feeding an add and the output",
            module("torch_tconv_crop", T, Shape.of(3, 4, 4), "add",
                node("up", new dev.sequent.model.layers.ConvTranspose2D(T, 2, 3, 3, 2, 2, Padding.explicit(1, 1), 1, 1, 1,
                    1, true, Activation.LINEAR, CF, 0), "input"),
                node("up2", new dev.sequent.model.layers.ConvTranspose2D(T, 2, 4, 4, 2, 2, Padding.explicit(1, 1), 0, 0,
                    1, 1, true, Activation.LINEAR, CF, 0), "input"),
                node("add", ElementwiseMerge.add(T, 2), "up", "up2"))),
        Arguments.of("PyTorch Conv1d with explicit padding (Reshape, ZeroPadding2D channels_first, Reshape, valid Conv1D)",
            ModelSpec.sequential("torch_conv1d_pad", T, Shape.of(2, 12), List.of(
                named("conv", new dev.sequent.model.layers.Conv1D(T, 3, 3, 2, Padding.explicit(0, 2), false, 1, true,
                    Activation.LINEAR, CF, 0)),
                named("relu", act(T, "ReLU", Activation.of(Activation.Kind.RELU))),
                named("conv2", new dev.sequent.model.layers.Conv1D(T, 2, 2, 1, Padding.explicit(0, 1), false, 2, true,
                    Activation.LINEAR, CF, 0)),
                named("flat", new Flatten(T, CF)),
                named("fc", new Dense(T, 3, 0, true, Activation.LINEAR))))),
        Arguments.of("flattened channels-first features into a BatchNorm1d (Permute + Flatten in C,H,W order)",
            ModelSpec.sequential("flat_bn", T, Shape.of(2, 3, 3), List.of(
                named("flat", new Flatten(T, CF)),
                named("bn", new BatchNorm(T, "BatchNorm1d", 1e-5, 0.1, 0, true, true, List.of(1, 2), 0)),
                named("fc", new Dense(T, 2, 0, true, Activation.LINEAR))))),
        Arguments.of("a flattened channels-first image as the output (Permute + Flatten)",
            ModelSpec.sequential("flat_out", T, Shape.of(2, 3, 3), List.of(
                named("conv", conv(T, 2, 3, 1, Padding.explicit(1, 1), CF)),
                named("flat", new Flatten(T, CF)),
                named("act", act(T, "ReLU", Activation.of(Activation.Kind.RELU)))))),
        Arguments.of("Keras, channels-last: BatchNormalization with epsilon 1e-5 (folded for 1e-3)",
            ModelSpec.sequential("keras_bn", K, Shape.of(6, 6, 2), List.of(
                named("bn", new BatchNorm(K, "BatchNormalization", 1e-5, 0.99, -1, true, false, List.of(), 0)),
                named("conv", conv(K, 3, 3, 2, Padding.SAME, DataFormat.CHANNELS_LAST)),
                named("flat", new Flatten(K, DataFormat.CHANNELS_LAST)),
                named("fc", new Dense(K, 4, 0, true, Activation.softmax(-1)))))),
        Arguments.of("Keras, channels_first (as a Keras file may declare it)",
            ModelSpec.sequential("keras_cf", K, Shape.of(2, 6, 6), List.of(
                named("conv", conv(K, 3, 3, 1, Padding.VALID, CF)),
                named("pool", new Pool2D(K, Pool2D.Kind.AVG, 2, 2, 2, 2, Padding.VALID, false, false, CF)),
                named("flat", new Flatten(K, CF)),
                named("fc", new Dense(K, 4, 0, true, Activation.of(Activation.Kind.RELU)))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theTwinWithTheExportedWeightsComputesTheModelOnChannelsLastInput(String what, ModelSpec spec)
      throws IOException {
    InferredModel model = ShapeInference.inferOrThrow(spec);
    Network net = randomised(Network.create(model, 1));
    InferredModel twinModel = KerasTwin.of(model);
    // images channels-last; a channels-first sequence (C, L) keeps its layout, as Keras' Conv1D can
    boolean sequence = model.inputShape().rank() == 2;
    assertThat(twinModel.nodes()).allMatch(l -> l.spec().framework() == K
        && (sequence || l.spec().dataFormat() == null || l.spec().dataFormat() == DataFormat.CHANNELS_LAST));
    Network twin = Network.create(twinModel, 2).setWeights(net.getWeights());

    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.FLOAT, prepend(3, model.inputShape())).subi(0.5).muli(4);
    boolean cf = KerasTwin.imageFormat(model) == CF;
    INDArray expected = cf ? toChannelsLast(net.forward(x)) : net.forward(x);
    INDArray xTwin = cf ? toChannelsLast(x) : x;
    assertClose(expected, twin.forward(xTwin), what + ": twin");

    // The same through the file: a whole model that Sequent rebuilds with no Java class.
    assertThat(net.kerasH5Architecture().wholeModel()).isTrue();
    Path file = tmp.resolve(spec.name() + ".h5");
    net.saveWeights(file);
    Network loaded = Network.load(file);
    assertThat(loaded.model().spec().framework()).isEqualTo(K);
    assertClose(expected, loaded.forward(xTwin), what + ": " + file.getFileName() + " loaded as a whole model");
    // and through a .keras archive (Keras 3 config of the same twin, helpers of a chain included)
    Path archive = tmp.resolve(spec.name() + ".keras");
    net.saveWeights(archive);
    Network fromArchive = Network.load(archive);
    assertThat(fromArchive.model().nodes()).extracting(l -> l.spec().typeName())
        .containsExactlyElementsOf(twinModel.nodes().stream().map(l -> l.spec().typeName()).toList());
    assertClose(expected, fromArchive.forward(xTwin), what + ": " + archive.getFileName() + " loaded as a whole model");
  }

  static Stream<Arguments> noTwin() {
    return Stream.of(
        Arguments.of("a PyTorch Linear on a channels-first image",
            ModelSpec.sequential("dense_on_image", T, Shape.of(2, 4, 4), List.of(
                named("fc", new Dense(T, 3, 0, true, Activation.LINEAR)))),
            "layer fc (Linear): applied to a channels-first image it acts on the width axis"),
        Arguments.of("a Keras channels_first convolution with a fused softmax",
            ModelSpec.sequential("cf_softmax", K, Shape.of(2, 5, 5), List.of(
                named("conv", new Conv2D(K, 3, 3, 3, 1, 1, Padding.VALID, 1, 1, true, Activation.softmax(-1), CF, 0)))),
            "layer conv (Conv2D): its softmax over the last axis of a channels-first image"),
        Arguments.of("a padded max pool of values that may be negative (PyTorch pads with -inf)",
            ModelSpec.sequential("padded_max", T, Shape.of(1, 6, 6), List.of(
                named("conv", conv(T, 2, 1, 1, Padding.VALID, CF)),
                named("pool", new Pool2D(T, Pool2D.Kind.MAX, 2, 2, 2, 2, Padding.explicit(1, 1), false, true, CF)))),
            "PyTorch pads a max pool with -inf"),
        Arguments.of("a padded average that leaves the padding out of its divisor, not Keras' same windows",
            ModelSpec.sequential("padded_avg_excl", T, Shape.of(1, 6, 6), List.of(
                named("conv", conv(T, 2, 1, 1, Padding.VALID, CF)),
                named("pool", new Pool2D(T, Pool2D.Kind.AVG, 2, 2, 2, 2, Padding.explicit(1, 1), false, false, CF)))),
            "divide by the values inside the input"),
        Arguments.of("a strided dilated convolution (Keras refuses both)",
            ModelSpec.sequential("strided_dilated", T, Shape.of(1, 9, 9), List.of(
                named("conv", new Conv2D(T, 2, 3, 3, 2, 2, Padding.VALID, 2, 2, true, Activation.LINEAR, CF, 0)))),
            "refuses strides > 1 with dilation_rate > 1"),
        Arguments.of("flattened channels-first features into a BatchNorm1d and a Linear",
            module("flat_both", T, Shape.of(2, 3, 3), "add",
                node("flat", new Flatten(T, CF), "input"),
                node("bn", new BatchNorm(T, "BatchNorm1d", 1e-5, 0.1, 0, true, true, List.of(1, 2), 0), "flat"),
                node("fc", new Dense(T, 18, 0, true, Activation.LINEAR), "flat"),
                node("add", ElementwiseMerge.add(T, 2), "bn", "fc")),
            "a Dense layer reading them too"),
        Arguments.of("a custom layer",
            ModelSpec.sequential("custom", T, Shape.of(4), List.of(
                named("fc", new Dense(T, 4, 0, true, Activation.LINEAR)),
                named("plus", new CustomLayer(T, "AddBias", "nowhere.AddBias", ShapeRule.parse("in"),
                    List.of(new CustomLayer.Param("w", ShapeRule.parse("in"), true)))))),
            "layer plus (AddBias): a custom layer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noTwin")
  void modelsTheTwinWouldNotReproduceGetAWeightsOnlyFileAndTheReason(String what, ModelSpec spec, String reason)
      throws IOException {
    InferredModel model = ShapeInference.inferOrThrow(spec);
    assertThat(KerasTwin.whyNone(model)).get().asString().contains(reason);
    assertThat(assertThrows(UnsupportedOperationException.class, () -> KerasTwin.of(model)).getMessage())
        .contains(reason);

    if (spec.nodes().stream().anyMatch(n -> n.layer() instanceof CustomLayer)) {
      return; // no forward without the class; the weights-only file is examples' SavedKerasWeightsTest
    }
    Network net = Network.create(model, 1);
    assertThat(net.kerasH5Architecture().wholeModel()).isFalse();
    assertThat(net.kerasH5Architecture().whyWeightsOnly()).get().asString().contains(reason);
    Path file = tmp.resolve(spec.name() + ".h5");
    net.saveWeights(file);
    try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(file)) {
      assertThat(hdf.getAttribute("model_config")).isNull();
      assertThat(hdf.getAttribute("layer_names")).isNotNull(); // the weights layout at the root, as before
      assertThat(hdf.getChildren()).doesNotContainKey("model_weights");
    }
    assertThat(assertThrows(UnsupportedArchitectureException.class, () -> Network.load(file)).getMessage())
        .contains("weights only");
    INDArray x = Nd4j.rand(DataType.FLOAT, prepend(2, model.inputShape()));
    assertClose(net.forward(x), Network.create(model, 9).loadWeights(file).forward(x), what + ": read back");
  }

  /** Every tensor of the state_dict replaced by seeded values (variances positive), so nothing is trivial. */
  private static Network randomised(Network net) {
    Map<String, INDArray> state = new LinkedHashMap<>();
    Nd4j.getRandom().setSeed(42);
    net.stateDict().forEach((name, value) -> {
      INDArray r = Nd4j.randn(DataType.FLOAT, value.shape()).muli(0.5);
      state.put(name, name.endsWith("running_var") ? Nd4j.rand(DataType.FLOAT, value.shape()).addi(0.5) : r);
    });
    return net.loadStateDict(state);
  }

  private static long[] prepend(int batch, Shape sample) {
    long[] shape = new long[sample.rank() + 1];
    shape[0] = batch;
    for (int i = 0; i < sample.rank(); i++) {
      shape[i + 1] = sample.dim(i);
    }
    return shape;
  }

  private static Conv2D conv(Framework f, int filters, int kernel, int stride, Padding padding, DataFormat format) {
    return new Conv2D(f, filters, kernel, kernel, stride, stride, padding, 1, 1, true, Activation.LINEAR, format, 0);
  }

  private static ActivationLayer act(Framework f, String type, Activation a) {
    return new ActivationLayer(f, type, a);
  }

  private static ModelSpec.Named named(String name, LayerSpec layer) {
    return new ModelSpec.Named(name, layer);
  }

  private static Node node(String name, LayerSpec layer, String... inputs) {
    return new Node(name, layer, List.of(inputs));
  }

  private static ModelSpec module(String name, Framework f, Shape input, String output, Node... nodes) {
    return new ModelSpec(name, ModelSpec.Style.MODULE, f, input, new ArrayList<>(List.of(nodes)), output);
  }
}
