package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertBitForBit;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.model.Shape;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.weights.WeightMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkBadInputTest {
  @TempDir Path tmp;

  private static Network lenet() {
    return Network.load(reference("lenet5", "torch_model.pt"), Shape.of(1, 28, 28));
  }

  @Test
  void wrongInputShapeShowsExpectedAndActual() {
    Network net = lenet();
    InputShapeException e = assertThrows(InputShapeException.class,
        () -> net.forward(Nd4j.zeros(DataType.FLOAT, 2, 28, 28, 1)));
    assertThat(e.getMessage()).contains("expected input [N,1,28,28]").contains("got [2,28,28,1]")
        .contains("channels-last data for a channels-first model");
    e = assertThrows(InputShapeException.class, () -> net.forward(Nd4j.zeros(DataType.FLOAT, 2, 784)));
    assertThat(e.getMessage()).contains("expected input [N,1,28,28]").contains("got [2,784]");
  }

  @Test
  void weightsOfAnotherModelAreRefusedWithEveryMismatchAndNothingChanges() {
    Network net = lenet();
    INDArray x = npy("lenet5", "input_torch.npy");
    INDArray before = net.forward(x);
    Path other = reference("cnn", "torch_state_dict.pt");
    WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> net.loadWeights(other));
    assertThat(e.getMessage()).contains(other.toString());
    // LeNet-5 has 10 tensors, the CNN 4: every one is accounted for in one report.
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(6);
    assertThat(e.getMessage()).contains("mis-shaped").contains("missing");
    assertBitForBit(before, net.forward(x), "a failed load must leave the weights unchanged");
  }

  @Test
  void misShapedTensorsFromLegacyAndTorchScriptFilesAreListedToo() {
    Network net = lenet();
    for (Path other : new Path[] {reference("cnn", "torch_legacy.pt"), reference("cnn", "torchscript.pt")}) {
      WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> net.loadWeights(other));
      assertThat(e.getMessage()).contains(other.toString()).contains("mis-shaped").contains("missing");
      assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void truncatedEmptyAndGarbageFilesGetAClearError() throws IOException {
    Network net = lenet();
    INDArray x = npy("lenet5", "input_torch.npy");
    INDArray before = net.forward(x);
    byte[] real = Files.readAllBytes(reference("lenet5", "torch_state_dict.pt"));
    Path truncated = tmp.resolve("truncated.pt");
    Files.write(truncated, Arrays.copyOf(real, real.length / 2));
    byte[] legacy = Files.readAllBytes(reference("lenet5", "torch_legacy.pt"));
    Path truncatedLegacy = Files.write(tmp.resolve("truncated_legacy.pt"), Arrays.copyOf(legacy, legacy.length / 2));
    byte[] script = Files.readAllBytes(reference("lenet5", "torchscript.pt"));
    Path truncatedScript = Files.write(tmp.resolve("truncated_script.pt"), Arrays.copyOf(script, script.length - 100));
    Path empty = Files.write(tmp.resolve("empty.pt"), new byte[0]);
    Path garbage = Files.write(tmp.resolve("garbage.pt"), "this is not a model".getBytes());
    for (Path bad : new Path[] {truncated, truncatedLegacy, truncatedScript, empty, garbage}) {
      WeightFileException e = assertThrows(WeightFileException.class, () -> net.loadWeights(bad));
      assertThat(e.getMessage()).startsWith(bad.toString());
    }
    assertThat(assertThrows(WeightFileException.class, () -> net.loadWeights(empty)).getMessage())
        .contains("empty");
    assertBitForBit(before, net.forward(x), "failed loads leave the weights unchanged");
  }

  @Test
  void corruptHdf5IsRefusedWithTheFileName() throws IOException {
    Network net = lenet();
    byte[] real = Files.readAllBytes(reference("lenet5", "keras2.h5"));
    Path truncated = Files.write(tmp.resolve("truncated.h5"), Arrays.copyOf(real, real.length / 3));
    WeightFileException e = assertThrows(WeightFileException.class, () -> net.loadWeights(truncated));
    assertThat(e.getMessage()).startsWith(truncated.toString());
  }
}
