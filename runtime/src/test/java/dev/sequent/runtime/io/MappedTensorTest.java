package dev.sequent.runtime.io;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.runtime.Network;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * float32 tensors of PyTorch zips and safetensors files stay in the mapped file until a model
 * copies them: the values are the ones real torch saved, and a file cut short after it was read
 * gives an error naming it, not a crash, and leaves the model's weights as they were.
 */
class MappedTensorTest {
  @TempDir Path tmp;

  @Test
  void zipAndSafetensorsTensorsAreMappedAndHoldWhatTorchSaved() {
    WeightFile zip = WeightFiles.read(reference("mlp", "torch_state_dict.pt"));
    WeightFile safetensors = WeightFiles.read(reference("mlp", "torch_model.safetensors"));
    WeightFile legacy = WeightFiles.read(reference("mlp", "torch_legacy.pt"));
    assertThat(zip.tensors().keySet()).isEqualTo(safetensors.tensors().keySet());
    for (String name : zip.tensors().keySet()) {
      NamedTensor t = zip.tensors().get(name);
      assertThat(t.isMapped()).as(name).isTrue();
      assertThat(safetensors.tensors().get(name).isMapped()).as(name).isTrue();
      assertThat(t.data()).as(name).isEqualTo(safetensors.tensors().get(name).data());
      // and the pre-1.6 format of the same weights agrees value for value
      assertThat(t.data()).as(name).isEqualTo(legacy.tensors().get(name).data());
      assertThat(t.renamed("x").data()).isEqualTo(t.data());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"torch_state_dict.pt", "torch_model.safetensors"})
  void aFileCutShortAfterReadingFailsNamingItAndTheModelKeepsItsWeights(String fileName) throws Exception {
    Path copy = Files.copy(reference("mlp", fileName), tmp.resolve(fileName));
    WeightFile read = WeightFiles.read(copy);
    try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      ch.truncate(64); // every tensor's pages now lie past the end of the file
    }
    Network net = Network.load(reference("mlp", "torch_model.pt"));
    Map<String, INDArray> before = net.stateDict();
    WeightFileException e = assertThrows(WeightFileException.class, () -> net.loadWeights(read, WeightProgress.NONE));
    assertThat(e.getMessage()).startsWith(copy.toString()).contains("tensor ").contains("changed or became unreadable");
    Map<String, INDArray> after = net.stateDict();
    before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
  }
}
