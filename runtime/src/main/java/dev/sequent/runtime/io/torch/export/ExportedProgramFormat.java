package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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
    // From the shared listing (a zip the listing cannot read is left to the PyTorch reader to
    // explain), and without ExportArchive, whose JSON reader a plain torch.save file never needs.
    return head.zipEntrySizes().map(entries -> entries.entrySet().stream().anyMatch(e ->
        isArchiveFormatRecord(e.getKey(), e.getValue())
            && head.zipEntryBytes(e.getKey(), 16).map(ExportedProgramFormat::saysPt2).orElse(false))).orElse(false);
  }

  /** Whether a zip entry of {@code size} bytes named {@code name} may be a PT2 {@code archive_format} record. */
  static boolean isArchiveFormatRecord(String name, long size) {
    return (name.equals("archive_format") || name.endsWith("/archive_format")) && size <= 16;
  }

  /** Whether an {@code archive_format} record's bytes say {@value ExportArchive#ARCHIVE_FORMAT}. */
  static boolean saysPt2(byte[] record) {
    return new String(record, StandardCharsets.US_ASCII).trim().equals(ExportArchive.ARCHIVE_FORMAT);
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
