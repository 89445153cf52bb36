package dev.sequent.runtime.io;

import dev.sequent.runtime.RuntimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The first bytes of a file, which {@link WeightFormat#recognises} looks at, and the file, for a
 * format that must look further (a zip's entries).
 *
 * <p>A zip's entry listing is read once per head and shared by every format that asks
 * ({@link #zipEntrySizes}): the Keras archive and {@code torch.export} checks and the PyTorch zip
 * all recognise zips, and each opening its own reader cost a small {@code torch.save} file three
 * central-directory parses per load (a fifth of a warm {@code Network.load} of LeNet-5), and the
 * first one loaded the JSON library of the export reader on every PyTorch load.
 */
public final class FileHead {
  /** How many bytes are read: enough for safetensors' JSON header after its 8-byte length. */
  public static final int SIZE = 9;

  private final Path file;
  private final byte[] bytes;
  /** The zip listing, once asked for; empty when the file is no readable zip. */
  private Optional<Map<String, Long>> zipEntries;

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

  /**
   * Every entry of the file as a zip, by name in the archive's order, with its uncompressed size
   * (-1 when the archive does not record it); empty when the file does not start like a zip or
   * {@code java.util.zip} cannot read its central directory (the format that reads zips then says
   * what is wrong). Read on the first call only.
   */
  public synchronized Optional<Map<String, Long>> zipEntrySizes() {
    if (zipEntries == null) {
      zipEntries = Optional.empty();
      if (byteAt(0) == 'P' && byteAt(1) == 'K') {
        try (ZipFile zip = new ZipFile(file.toFile())) {
          Map<String, Long> sizes = new LinkedHashMap<>();
          for (ZipEntry e : Collections.list(zip.entries())) {
            sizes.put(e.getName(), e.getSize());
          }
          zipEntries = Optional.of(Collections.unmodifiableMap(sizes));
        } catch (IOException | RuntimeException e) {
          // not a readable zip: recognised by nothing that needs the listing
        }
      }
    }
    return zipEntries;
  }

  /**
   * The first {@code limit} bytes of zip entry {@code name}, for a format that recognises a zip by
   * a small record in it; empty when there is no such entry or it cannot be read.
   */
  public Optional<byte[]> zipEntryBytes(String name, int limit) {
    if (zipEntrySizes().map(m -> !m.containsKey(name)).orElse(true)) {
      return Optional.empty();
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        return Optional.empty();
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return Optional.of(in.readNBytes(limit));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
