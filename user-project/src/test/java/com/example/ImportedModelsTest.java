package com.example;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.imported.KerasMobileNetV2Net;
import com.example.imported.KerasTextLstmNet;
import com.example.imported.TorchLstmClassifierNet;
import com.example.imported.TorchMobileNetV2Net;
import com.example.imported.TorchResNet18Net;
import com.example.imported.TorchTransformerEncoderNet;
import dev.sequent.model.source.DslSourceWriter.SourceFile;
import dev.sequent.runtime.ModelSource;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sources under src/main/java/com/example/imported are what {@code ./sequent import} writes for
 * files real PyTorch ({@code torch.export.save}) and Keras saved (Sequent's fixtures/): compiled here by
 * the processor as any user's model is, each loads its file by the file's names and gives the
 * framework's recorded output, for the batch of 8 and for each sample alone (batch 1). The committed
 * text is regenerated and compared, so it cannot go stale.
 */
class ImportedModelsTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("TorchResNet18", "export/narrow_resnet18", ".pt2", (Supplier<Network>) TorchResNet18Net::create),
        Arguments.of("TorchMobileNetV2", "export/mobilenet_v2", ".pt2", (Supplier<Network>) TorchMobileNetV2Net::create),
        Arguments.of("TorchLstmClassifier", "export/lstm_classifier", ".pt2",
            (Supplier<Network>) TorchLstmClassifierNet::create),
        Arguments.of("TorchTransformerEncoder", "export/transformer_encoder", ".pt2",
            (Supplier<Network>) TorchTransformerEncoderNet::create),
        Arguments.of("KerasMobileNetV2", "applications/mobilenet_v2_035", ".keras",
            (Supplier<Network>) KerasMobileNetV2Net::create),
        Arguments.of("KerasTextLstm", "text_lstm/keras_text_lstm", ".keras", (Supplier<Network>) KerasTextLstmNet::create));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theCommittedSourceIsWhatImportWrites(String name, String stem, String ext, Supplier<Network> create)
      throws Exception {
    List<SourceFile> written = ModelSource.of(root().resolve(stem + ext), "com.example.imported", name);
    for (SourceFile f : written) {
      assertEquals(f.content(), Files.readString(Path.of("src/main/java").resolve(f.path())),
          f.path() + " is not what ./sequent import writes for fixtures/" + stem + ext + " today: regenerate it");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theImportedModelLoadsItsFileByNameAndMatchesTheFramework(String name, String stem, String ext,
      Supplier<Network> create) {
    Network net = create.get().loadWeights(root().resolve(stem + ext));
    INDArray x = Nd4j.createFromNpyFile(root().resolve(stem + "_input.npy").toFile());
    INDArray expected = Nd4j.createFromNpyFile(root().resolve(stem + "_output.npy").toFile()).castTo(DataType.FLOAT);
    assertBatchAndEachSample(net::forward, x, expected, name);
  }
}
