package dev.sequent.runtime.io.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.io.WeightProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's bytes depend on the weights, the config and {@code date_saved} only. */
class KerasArchiveWriterTest {
  @TempDir Path tmp;

  private static final List<KerasWeightsWriter.LayerWeights> LAYERS = List.of(new KerasWeightsWriter.LayerWeights("fc",
      List.of(new KerasWeightsWriter.Weight("fc/kernel:0", "layers/dense/vars/0", new long[] {2, 1},
              new float[] {0.5f, -2f}),
          new KerasWeightsWriter.Weight("fc/bias:0", "layers/dense/vars/1", new long[] {1}, new float[] {0.25f}))));

  @Test
  void theSameWeightsConfigAndDateGiveTheSameBytes() throws IOException {
    Path a = tmp.resolve("a.keras");
    Path b = tmp.resolve("b.keras");
    KerasArchiveWriter.write(LAYERS, "{\"config\": 1}", a, "2026-01-02@03:04:05", WeightProgress.NONE);
    KerasArchiveWriter.write(LAYERS, "{\"config\": 1}", b, "2026-01-02@03:04:05", WeightProgress.NONE);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    KerasArchiveWriter.write(LAYERS, "{\"config\": 1}", b, "2026-01-02@03:04:06", WeightProgress.NONE);
    assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
  }

  @Test
  void metadataIsWhatKerasWritesWithItsKeysInItsOrder() {
    assertThat(KerasArchiveWriter.metadataJson("2026-11-23@04:40:36"))
        .isEqualTo("{\"keras_version\": \"3.15.1\", \"date_saved\": \"2026-11-23@04:40:36\"}");
    assertThat(KerasArchiveWriter.dateSaved()).matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d");
  }

  @Test
  void progressIsToldOfEachWeight() throws IOException {
    List<String> told = new java.util.ArrayList<>();
    KerasArchiveWriter.write(LAYERS, "{}", tmp.resolve("p.keras"), (tensor, bytes) -> told.add(tensor + " " + bytes));
    assertThat(told).containsExactly("layers/dense/vars/0 8", "layers/dense/vars/1 4");
  }
}
