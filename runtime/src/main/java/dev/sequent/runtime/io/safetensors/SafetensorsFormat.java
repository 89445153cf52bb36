package dev.sequent.runtime.io.safetensors;

import dev.sequent.model.Framework;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * safetensors files ({@link Safetensors}), recognised by the JSON header after their 8-byte
 * header length, written with PyTorch names and layouts. A file holds one flat set of tensors:
 * {@link TorchReadOptions#stripPrefix} applies, {@link TorchReadOptions#entry} is refused.
 */
public final class SafetensorsFormat implements WeightFormat {
  @Override
  public String name() {
    return "safetensors";
  }

  @Override
  public Framework framework() {
    return Framework.TORCH;
  }

  @Override
  public boolean recognises(FileHead head) {
    return head.byteAt(8) == '{';
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    if (options.entry().isPresent()) {
      throw new WeightFileException(file, RuntimeMessage.SAFETENSORS_HAS_NO_ENTRY.format(options.entry().get()));
    }
    WeightFile read = Safetensors.read(file);
    return options.stripPrefix().map(read::withoutPrefix).orElse(read);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of(".safetensors");
  }

  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    Safetensors.write(weights.torchTensors(), file, progress);
  }
}
