package dev.sequent.runtime.io;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The format registry: which format recognises each file form the real frameworks wrote (by
 * content, whatever the name), and which writes each file name.
 */
class WeightFormatsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "keras2.h5, keras-hdf5", "keras2_weights.h5, keras-hdf5", "keras3.h5, keras-hdf5",
      "keras3.weights.h5, keras-hdf5", "keras3.keras, keras-archive", "torch_state_dict.pt, pytorch-zip",
      "torch_model.pt, pytorch-zip", "torchscript.pt, pytorch-zip", "torch_legacy.pt, pytorch-pickle",
      "torch_model.safetensors, safetensors"})
  void eachRealFileFormIsRecognisedByItsFormat(String file, String format) {
    FileHead head = FileHead.of(reference("lenet5", file));
    assertThat(WeightFormats.ALL.stream().filter(f -> f.recognises(head)).findFirst().orElseThrow().name())
        .isEqualTo(format);
  }

  @Test
  void aTorchExportProgramIsRecognisedBeforeOtherPyTorchZips() {
    FileHead head = FileHead.of(Fixtures.root().resolve("export/functional.pt2"));
    assertThat(WeightFormats.ALL.stream().filter(f -> f.recognises(head)).findFirst().orElseThrow().name())
        .isEqualTo("pytorch-export");
  }

  @Test
  void theZipListingIsReadOnceAndSharedByTheFormatsThatAsk(@TempDir Path dir) throws Exception {
    FileHead head = FileHead.of(reference("lenet5", "torch_model.pt"));
    Map<String, Long> entries = head.zipEntrySizes().orElseThrow();
    assertThat(entries).containsKey("torch_model/data.pkl").containsKey("torch_model/byteorder");
    assertThat(entries.get("torch_model/byteorder")).isEqualTo(6L); // "little"
    assertThat(head.zipEntrySizes().orElseThrow()).isSameAs(entries);
    assertThat(head.zipEntryBytes("torch_model/byteorder", 16).map(String::new)).contains("little");
    assertThat(head.zipEntryBytes("torch_model/no_such_entry", 16)).isEmpty();

    // no zip, or a zip cut short: no listing, and so no zip-reading format but PyTorch's claims it
    assertThat(FileHead.of(reference("lenet5", "keras2.h5")).zipEntrySizes()).isEmpty();
    byte[] whole = Files.readAllBytes(reference("lenet5", "torch_model.pt"));
    Path cut = dir.resolve("cut.pt");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    FileHead cutHead = FileHead.of(cut);
    assertThat(cutHead.zipEntrySizes()).isEmpty();
    assertThat(WeightFormats.ALL.stream().filter(f -> f.recognises(cutHead)).findFirst().orElseThrow().name())
        .isEqualTo("pytorch-zip");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"m.pt, pytorch-zip, TORCH", "m.PTH, pytorch-zip, TORCH", "m.safetensors, safetensors, TORCH",
      "m.weights.h5, keras-hdf5, KERAS", "m.h5, keras-hdf5, KERAS", "m.hdf5, keras-hdf5, KERAS",
      "m.keras, keras-archive, KERAS", "M.KERAS, keras-archive, KERAS", "m.pt2, pytorch-export, TORCH"})
  void eachWritableNameHasItsWriter(String name, String format, Framework framework) {
    WeightFormat writer = WeightFormats.forWriting(Path.of(name));
    assertThat(writer.name()).isEqualTo(format);
    assertThat(writer.framework()).isEqualTo(framework);
  }

  @Test
  void namesNoFormatWritesAreRefusedWithTheList() {
    assertThat(WeightFormats.writableExtensions())
        .containsExactly(".weights.h5", ".h5", ".hdf5", ".keras", ".pt2", ".pt", ".pth", ".safetensors");
    assertThatThrownBy(() -> WeightFormats.forWriting(Path.of("m.onnx")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot save m.onnx").hasMessageContaining(".safetensors").hasMessageContaining(".keras");
  }
}
