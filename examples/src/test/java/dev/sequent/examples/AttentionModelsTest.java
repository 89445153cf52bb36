package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.transformer.KerasAttentionModels_CausalAttentionNet;
import dev.sequent.examples.keras.transformer.KerasAttentionModels_SelfAttentionNet;
import dev.sequent.examples.keras.transformer.KerasEncoderNet;
import dev.sequent.examples.torch.transformer.TorchAttentionModels_CausalAttentionNet;
import dev.sequent.examples.torch.transformer.TorchAttentionModels_KdimAttentionNet;
import dev.sequent.examples.torch.transformer.TorchAttentionModels_MaskedAttentionNet;
import dev.sequent.examples.torch.transformer.TorchAttentionModels_NoBiasAttentionNet;
import dev.sequent.examples.torch.transformer.TorchAttentionModels_SelfAttentionNet;
import dev.sequent.examples.torch.transformer.TorchEncoderNet;
import dev.sequent.examples.torch.transformer.TorchPreNormEncoderNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The attention models declared in Java, in both vocabularies, load the files real PyTorch and real
 * Keras 3 saved (fixtures/attention) and reproduce the source framework's output at batch 8 and one
 * sample at a time: the PyTorch cases (self-attention, kdim/vdim, causal, float masks, no bias) and
 * the Transformer encoders written with DSL blocks (post-norm and {@code norm_first}), whose
 * state_dict names come from the structure.
 */
class AttentionModelsTest {
  static Path dir() {
    return root().resolve("attention");
  }

  static List<INDArray> inputs(String stem) {
    List<INDArray> out = new ArrayList<>();
    while (Files.exists(dir().resolve(stem + "_input_" + out.size() + ".npy"))) {
      out.add(npy(dir().resolve(stem + "_input_" + out.size() + ".npy")));
    }
    if (out.isEmpty()) {
      out.add(npy(dir().resolve(stem + "_input.npy")));
    }
    return out;
  }

  static INDArray expected(String stem) {
    Path one = dir().resolve(stem + "_output.npy");
    return npy(Files.exists(one) ? one : dir().resolve(stem + "_output_0.npy"));
  }

  static INDArray forward(Network net, List<INDArray> x) {
    return x.size() == 1 ? net.forward(x.get(0)) : net.forward(x).get(0);
  }

  /** The batch of 8, then each sample alone (the plain-Java path). */
  static void reproduces(Network net, String stem, String what) {
    List<INDArray> x = inputs(stem);
    INDArray y = expected(stem);
    assertClose(y, forward(net, x), what + " batch of " + x.get(0).size(0));
    for (int i = 0; i < x.get(0).size(0); i++) {
      int at = i;
      List<INDArray> one = x.stream().map(a -> a.get(NDArrayIndex.interval(at, at + 1)).dup('c')).toList();
      assertClose(y.get(NDArrayIndex.interval(i, i + 1)), forward(net, one), what + " sample " + i);
    }
  }

  static InferredModel torchModel(String stem) {
    return switch (stem) {
      case "torch_self" -> TorchAttentionModels_SelfAttentionNet.model();
      case "torch_no_bias" -> TorchAttentionModels_NoBiasAttentionNet.model();
      case "torch_causal" -> TorchAttentionModels_CausalAttentionNet.model();
      case "torch_kdim" -> TorchAttentionModels_KdimAttentionNet.model();
      case "torch_masks" -> TorchAttentionModels_MaskedAttentionNet.model();
      case "torch_encoder" -> TorchEncoderNet.model();
      case "torch_encoder_prenorm" -> TorchPreNormEncoderNet.model();
      default -> throw new IllegalArgumentException(stem);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"torch_self", "torch_no_bias", "torch_causal", "torch_kdim", "torch_masks", "torch_encoder",
      "torch_encoder_prenorm"})
  void pytorchStateDictsGivePytorchOutput(String stem) {
    Network net = Network.create(torchModel(stem), 1).loadWeights(dir().resolve(stem + ".pt"));
    reproduces(net, stem, stem);
  }

  @Test
  void theBlockTwinNamesItsTensorsAsPytorch() {
    List<String> names = ParameterNames.of(TorchPreNormEncoderNet.model(), Framework.TORCH).stream()
        .map(p -> p.torchName()).toList();
    assertThat(names).contains("encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.in_proj_bias",
        "encoder.layers.0.self_attn.out_proj.weight", "encoder.layers.1.linear2.bias", "encoder.layers.1.norm2.weight",
        "project.weight", "head.bias");
    assertThat(names).hasSize(2 + 2 * 12 + 2);
    assertThat(ParameterNames.of(TorchAttentionModels_KdimAttentionNet.model(), Framework.TORCH).stream()
        .map(p -> p.torchName())).containsExactly("mha.q_proj_weight", "mha.k_proj_weight", "mha.v_proj_weight",
            "mha.in_proj_bias", "mha.out_proj.weight", "mha.out_proj.bias");
  }

  /**
   * Keras' files into the Keras twin and into the PyTorch twin; PyTorch's state_dict into both;
   * what each twin saves for the other framework back into the other twin.
   */
  @Test
  void selfAttentionTwinsLoadEachOthersFiles(@TempDir Path tmp) throws Exception {
    for (String file : new String[] {"keras_self.keras", "keras_self.weights.h5", "keras_self.h5"}) {
      reproduces(Network.create(KerasAttentionModels_SelfAttentionNet.model(), 1).loadWeights(dir().resolve(file)),
          "keras_self", "KerasSelfAttention from " + file);
    }
    Network torch = Network.create(TorchAttentionModels_SelfAttentionNet.model(), 1)
        .loadWeights(dir().resolve("keras_self.weights.h5"));
    reproduces(torch, "keras_self", "TorchSelfAttention from keras_self.weights.h5");
    Network keras = Network.create(KerasAttentionModels_SelfAttentionNet.model(), 2)
        .loadWeights(dir().resolve("torch_self.pt"));
    reproduces(keras, "torch_self", "KerasSelfAttention from torch_self.pt");
    keras.saveWeights(tmp.resolve("self.weights.h5"));
    reproduces(Network.create(TorchAttentionModels_SelfAttentionNet.model(), 3)
        .loadWeights(tmp.resolve("self.weights.h5")), "torch_self", "TorchSelfAttention from Sequent's .weights.h5");
    torch.saveWeights(tmp.resolve("self.pt"));
    reproduces(Network.create(KerasAttentionModels_SelfAttentionNet.model(), 4).loadWeights(tmp.resolve("self.pt")),
        "keras_self", "KerasSelfAttention from Sequent's .pt");
  }

  @Test
  void causalTwinsLoadEachOthersFiles() {
    reproduces(Network.create(KerasAttentionModels_CausalAttentionNet.model(), 1)
        .loadWeights(dir().resolve("torch_causal.pt")), "torch_causal", "KerasCausalAttention from torch_causal.pt");
    reproduces(Network.create(TorchAttentionModels_CausalAttentionNet.model(), 1)
        .loadWeights(dir().resolve("keras_causal.weights.h5")), "keras_causal",
        "TorchCausalAttention from keras_causal.weights.h5");
  }

  /**
   * The encoder: PyTorch's state_dict into the Keras-vocabulary twin (names pair through the block
   * members), its .weights.h5 into the PyTorch-vocabulary block twin, and its whole .keras back with
   * no Java source.
   */
  @Test
  void encoderTwinsLoadEachOthersFiles(@TempDir Path tmp) throws Exception {
    Network keras = Network.create(KerasEncoderNet.model(), 1).loadWeights(dir().resolve("torch_encoder.pt"));
    reproduces(keras, "torch_encoder", "KerasEncoder from torch_encoder.pt");
    keras.saveWeights(tmp.resolve("encoder.weights.h5"));
    reproduces(Network.create(TorchEncoderNet.model(), 2).loadWeights(tmp.resolve("encoder.weights.h5")),
        "torch_encoder", "TorchEncoder from Sequent's .weights.h5");
    keras.saveWeights(tmp.resolve("encoder.keras"));
    reproduces(Network.load(tmp.resolve("encoder.keras")), "torch_encoder", "Sequent's encoder.keras, no source");
    keras.saveWeights(tmp.resolve("encoder.h5"));
    reproduces(Network.load(tmp.resolve("encoder.h5")), "torch_encoder", "Sequent's tf_keras encoder.h5, no source");
  }

  /** A Keras layer whose heads do not split the query's features has no nn.MultiheadAttention: refused by name. */
  @Test
  void keyDimOtherThanTheHeadSizeRefusesPytorch(@TempDir Path tmp) {
    Network cross = Network.load(dir().resolve("keras_cross.keras"));
    assertThatThrownBy(() -> cross.saveWeights(tmp.resolve("cross.pt")))
        .hasMessageContaining("layer mha (MultiHeadAttention) cannot be converted to PyTorch")
        .hasMessageContaining("one head size, embed_dim / num_heads")
        .hasMessageContaining("num_heads=2, key_dim=3, value_dim=5 and 4 output features for a query of 8");
    assertThat(Files.exists(tmp.resolve("cross.pt"))).isFalse();
  }
}
