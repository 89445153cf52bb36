package dev.sequent.examples;

import dev.sequent.examples.keras.KerasActivationsNet;
import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.keras.KerasLayerNormNet;
import dev.sequent.examples.keras.KerasLeNet5Net;
import dev.sequent.examples.keras.MlpNet;
import dev.sequent.examples.keras.StridedSameNet;
import dev.sequent.examples.torch.CustomLayersNet;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.examples.torch.SimpleNetNet;
import dev.sequent.examples.torch.TinyResidualNet;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.examples.torch.TorchLayerNormNet;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import java.util.List;
import java.util.function.Supplier;

/** Every Java reference model with the fixture model (fixtures/reference/NAME) it reproduces. */
final class ReferenceModels {
  private ReferenceModels() {}

  record Case(String fixture, String javaModel, Framework vocabulary, Supplier<InferredModel> model) {
    @Override
    public String toString() {
      return javaModel + " ~ " + fixture;
    }
  }

  static List<Case> all() {
    return List.of(
        new Case("simple_net", "SimpleNet", Framework.TORCH, SimpleNetNet::model),
        new Case("mlp", "Mlp", Framework.KERAS, MlpNet::model),
        new Case("cnn", "KerasCnn", Framework.KERAS, KerasCnnNet::model),
        new Case("cnn", "TorchCnn", Framework.TORCH, TorchCnnNet::model),
        new Case("batchnorm", "KerasBatchNorm", Framework.KERAS, KerasBatchNormNet::model),
        new Case("batchnorm", "TorchBatchNorm", Framework.TORCH, TorchBatchNormNet::model),
        new Case("lenet5", "KerasLeNet5", Framework.KERAS, KerasLeNet5Net::model),
        new Case("lenet5", "LeNet5", Framework.TORCH, LeNet5Net::model),
        new Case("activations", "KerasActivations", Framework.KERAS, KerasActivationsNet::model),
        new Case("strided_same", "StridedSame", Framework.KERAS, StridedSameNet::model),
        new Case("custom", "CustomLayers", Framework.TORCH, CustomLayersNet::model),
        new Case("residual", "TinyResidual", Framework.TORCH, TinyResidualNet::model),
        new Case("layernorm", "KerasLayerNorm", Framework.KERAS, KerasLayerNormNet::model),
        new Case("layernorm", "TorchLayerNorm", Framework.TORCH, TorchLayerNormNet::model));
  }

  static List<Case> torch() {
    return all().stream().filter(c -> c.vocabulary() == Framework.TORCH).toList();
  }

  static List<Case> keras() {
    return all().stream().filter(c -> c.vocabulary() == Framework.KERAS).toList();
  }
}
