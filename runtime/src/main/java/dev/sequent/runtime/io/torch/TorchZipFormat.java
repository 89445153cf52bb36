package dev.sequent.runtime.io.torch;

import dev.sequent.model.Framework;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * PyTorch zip archives ({@code torch.save} since 1.6, {@code torch.jit.save}): any zip that no
 * earlier format claimed, read by {@link TorchReader} (which explains what is wrong with a zip
 * that is no PyTorch file); {@code .pt} / {@code .pth} written as a state_dict by {@link
 * TorchWriter}.
 */
public final class TorchZipFormat implements WeightFormat {
  @Override
  public String name() {
    return "pytorch-zip";
  }

  @Override
  public Framework framework() {
    return Framework.TORCH;
  }

  @Override
  public boolean recognises(FileHead head) {
    return head.byteAt(0) == 'P' && head.byteAt(1) == 'K';
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    return TorchReader.read(file, options);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of(".pt", ".pth");
  }

  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    TorchWriter.writeStateDict(weights.torchTensors(), file, progress);
  }
}
