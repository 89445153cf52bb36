package dev.sequent.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert's bar: drawn for files over 50 MB only, loading then writing, ending full. */
class ConvertProgressTest {
  @TempDir Path tmp;

  private static Path sized(Path file, long bytes) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes); // sparse: nothing is written
    }
    return file;
  }

  @Test
  void smallFilesGetNoBar() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path small = sized(tmp.resolve("small.pt"), ConvertProgress.BAR_ABOVE_BYTES);
    try (ConvertProgress p = ConvertProgress.forFile(small, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      p.tensorDone("w", 1000);
      p.startWriting(1000, tmp.resolve("out.h5"));
      p.tensorDone("w", 1000);
    }
    assertThat(err.size()).isZero();
  }

  @Test
  void largeFilesShowLoadingThenWritingAndEndFull() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long size = 60_000_000;
    Path big = sized(tmp.resolve("big.pt"), size);
    try (ConvertProgress p = ConvertProgress.forFile(big, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      for (int i = 0; i < 4; i++) {
        p.tensorDone("t" + i, size / 4);
      }
      p.startWriting(size, tmp.resolve("out.safetensors"));
      for (int i = 0; i < 4; i++) {
        p.tensorDone("t" + i, size / 4);
      }
    }
    String bar = err.toString(StandardCharsets.UTF_8);
    assertThat(bar).contains("convert").contains("loading big.pt").contains("writing out.safetensors")
        .contains("120/120 MB").contains("100%");
    assertThat(Files.size(big)).isEqualTo(size);
  }
}
