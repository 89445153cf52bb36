package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * {@code torch.export.save} archives ({@code .pt2}): a zip holding an {@code archive_format} record
 * that says {@value ExportArchive#ARCHIVE_FORMAT}, read by {@link ExportArchive}. Asked before the
 * other PyTorch zips, which it would otherwise be taken for. Written ({@code .pt2}) by
 * {@link dev.sequent.runtime.io.torch.export.write.ExportProgramWriter}: the model's PyTorch twin
 * as an ATen program, which {@code torch.export.load(f).module()} runs.
 */
public final class ExportedProgramFormat implements WeightFormat {
  @Override
  public String name() {
    return "pytorch-export";
  }

  @Override
  public Framework framework() {
    return Framework.TORCH;
  }

  @Override
  public boolean recognises(FileHead head) {
    if (head.byteAt(0) != 'P' || head.byteAt(1) != 'K') {
      return false;
    }
    try (ZipFile zip = ZipFile.builder().setPath(head.file()).get()) {
      return ExportArchive.prefix(zip).isPresent();
    } catch (IOException e) {
      return false; // not a readable zip: let the PyTorch reader explain what is wrong with it
    }
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    return ExportArchive.read(file, options);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of(".pt2");
  }

  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    dev.sequent.runtime.io.torch.export.write.ExportProgramWriter.write(weights.model(), weights::torchTensors, file,
        progress);
  }
}
