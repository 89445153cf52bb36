package dev.sequent.runtime.io.torch;

import dev.sequent.model.Framework;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.io.ExportedWeights;
import dev.sequent.runtime.io.FileHead;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFormat;
import dev.sequent.runtime.io.WeightProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * PyTorch's legacy (pre-1.6) {@code torch.save} format: a pickle (protocol 2 or later, so its
 * first byte is the {@code PROTO} opcode), read by {@link TorchReader}. Not written: Sequent
 * writes {@code .pt} in the zip format ({@link TorchZipFormat}).
 */
public final class TorchPickleFormat implements WeightFormat {
  private static final int PICKLE_PROTO = 0x80;

  @Override
  public String name() {
    return "pytorch-pickle";
  }

  @Override
  public Framework framework() {
    return Framework.TORCH;
  }

  @Override
  public boolean recognises(FileHead head) {
    return head.byteAt(0) == PICKLE_PROTO;
  }

  @Override
  public WeightFile read(Path file, TorchReadOptions options) {
    return TorchReader.read(file, options);
  }

  @Override
  public List<String> writtenExtensions() {
    return List.of();
  }

  @Override
  public void write(ExportedWeights weights, Path file, WeightProgress progress) throws IOException {
    throw new UnsupportedOperationException(RuntimeMessage.UNSUPPORTED_SAVE_EXTENSION.format(file));
  }
}
