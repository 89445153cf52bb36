package dev.sequent.runtime.io;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import java.nio.file.Path;
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
