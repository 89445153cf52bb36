package dev.sequent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.Dense;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Progress is told once per tensor, with its float32 size, when loading and when saving in every
 * format (what the CLI's convert bar counts).
 */
class WeightProgressTest {
  @TempDir Path tmp;

  /** Tensor name to bytes, in the order reported; a second report of one name fails the test. */
  private static final class Recorder implements WeightProgress {
    final Map<String, Long> seen = new LinkedHashMap<>();

    @Override
    public void tensorDone(String tensor, long bytes) {
      assertThat(seen.put(tensor, bytes)).as("reported twice: " + tensor).isNull();
    }
  }

  private static Network model() {
    return Network.create(ShapeInference.inferOrThrow(ModelSpec.sequential("m", Framework.KERAS, Shape.of(5), List.of(
        new ModelSpec.Named("fc1", new Dense(Framework.KERAS, 7, 0, true, Activation.of(Activation.Kind.RELU))),
        new ModelSpec.Named("fc2", new Dense(Framework.KERAS, 3, 0, true, Activation.LINEAR))))), 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"m.pt", "m.safetensors", "m.weights.h5", "m.h5", "m.keras"})
  void everyTensorIsReportedOnceWhenSavingAndWhenLoading(String fileName) throws Exception {
    Path file = tmp.resolve(fileName);
    Recorder saved = new Recorder();
    model().saveWeights(file, saved);

    WeightFile written = WeightFiles.read(file);
    Map<String, Long> expected = new LinkedHashMap<>();
    for (NamedTensor t : written.tensors().values()) {
      expected.put(t.name(), 4L * t.data().length);
    }
    // Keras files name tensors by their path inside the file; compare sizes, and names for the others
    assertThat(saved.seen.values()).containsExactlyInAnyOrderElementsOf(expected.values());
    if (!fileName.endsWith("h5") && !fileName.endsWith(".keras")) {
      assertThat(saved.seen).isEqualTo(expected);
    }
    assertThat(saved.seen.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4 * (5 * 7 + 7 + 7 * 3 + 3));

    Recorder loaded = new Recorder();
    model().loadWeights(file, TorchReadOptions.DEFAULT, loaded);
    assertThat(loaded.seen.values()).containsExactlyInAnyOrderElementsOf(expected.values());
    assertThat(loaded.seen.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"m.pt", "m.safetensors"})
  void aLoadThatFailsWithProgressStillChangesNothing(String fileName) throws Exception {
    Path file = tmp.resolve(fileName);
    Network.create(ShapeInference.inferOrThrow(ModelSpec.sequential("m", Framework.KERAS, Shape.of(5), List.of(
        new ModelSpec.Named("fc1", new Dense(Framework.KERAS, 7, 0, true, Activation.of(Activation.Kind.RELU))),
        new ModelSpec.Named("fc2", new Dense(Framework.KERAS, 4, 0, true, Activation.LINEAR))))), 1)
        .saveWeights(file);
    Network net = model();
    Map<String, INDArray> before = net.stateDict();
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> net.loadWeights(file, TorchReadOptions.DEFAULT, new Recorder()));
    assertThat(e.getMessage()).contains(file.toString()).contains("mis-shaped");
    Map<String, INDArray> after = net.stateDict();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
  }
}
