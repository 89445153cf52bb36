package dev.sequent.runtime.io;

import dev.sequent.runtime.RuntimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first bytes of a file, which {@link WeightFormat#recognises} looks at, and the file, for a
 * format that must look further (a zip's entries).
 */
public final class FileHead {
  /** How many bytes are read: enough for safetensors' JSON header after its 8-byte length. */
  public static final int SIZE = 9;

  private final Path file;
  private final byte[] bytes;

  private FileHead(Path file, byte[] bytes) {
    this.file = file;
    this.bytes = bytes;
  }

  /**
   * Reads the first {@link #SIZE} bytes of {@code file} (fewer if it is shorter).
   *
   * @throws WeightFileException when the file is missing, not a regular file, or cannot be read
   */
  public static FileHead of(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file, Files.exists(file)
          ? RuntimeMessage.NOT_A_REGULAR_FILE.format() : RuntimeMessage.NO_SUCH_FILE.format());
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new FileHead(file, in.readNBytes(SIZE));
    } catch (IOException e) {
      throw new WeightFileException(file, RuntimeMessage.FILE_UNREADABLE.format(e.getMessage()), e);
    }
  }

  public Path file() {
    return file;
  }

  /** How many bytes were read: {@link #SIZE}, or the file's size if smaller. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index} (0 to 255), or -1 when the file is shorter. */
  public int byteAt(int index) {
    return index < bytes.length ? bytes[index] & 0xff : -1;
  }

  /** Whether the file starts with {@code prefix}. */
  public boolean startsWith(byte... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
