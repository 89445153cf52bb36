package dev.sequent.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A weight file read through read-only memory maps, so that tensor data goes from the page cache
 * straight into the reader's {@code float[]} (one copy, never a second in-heap buffer). Every
 * region asked for is checked against the file's size first: a corrupt length in a header becomes
 * a {@link WeightFileException}, never a huge allocation.
 *
 * <p>Files up to 2 GiB are mapped once and regions are slices of that map; larger files are mapped
 * region by region (a Java 17 {@link MappedByteBuffer} holds at most 2 GiB). Mapped regions stay
 * valid after {@link #close()} until they are garbage collected. Not shared between threads: each
 * read opens its own.
 */
public final class MappedFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private MappedByteBuffer whole;

  private MappedFile(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.size = channel.size();
  }

  public static MappedFile open(Path file) {
    try {
      return new MappedFile(file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new WeightFileException(file, "cannot open: " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public long size() {
    return size;
  }

  public FileChannel channel() {
    return channel;
  }

  /**
   * {@code length} bytes at {@code offset}, little-endian, positioned at 0.
   *
   * @param what names the region in the error message when it does not fit in the file
   */
  public ByteBuffer region(long offset, long length, String what) {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new WeightFileException(path, what + " needs bytes " + offset + ".." + (offset + length)
          + " but the file has " + size + " bytes (truncated or corrupt)");
    }
    if (length > Integer.MAX_VALUE) {
      throw new WeightFileException(path, what + " is " + length + " bytes, more than one mapping can hold (2 GiB)");
    }
    try {
      ByteBuffer b;
      if (size <= Integer.MAX_VALUE) {
        if (whole == null) {
          whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        b = whole.slice((int) offset, (int) length);
      } else {
        b = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
      }
      return b.order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new WeightFileException(path, "cannot map " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing was written that closing could lose
    }
  }
}
