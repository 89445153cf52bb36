package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The bytes of one entry of a PyTorch zip ({@code torch.save}, {@code torch.jit.save} and {@code
 * torch.export.save} archives alike). PyTorch stores every record uncompressed, so a stored entry is
 * a region of the file, memory-mapped at the data offset commons-compress reports; a compressed one
 * (an archive re-zipped by another tool) is inflated.
 */
public final class ZipEntries {
  private ZipEntries() {}

  /**
   * An entry's bytes in {@code order}: mapped in place when stored, else inflated (at most {@code
   * limit} bytes of it).
   *
   * @param what names the entry in messages
   * @throws WeightFileException naming the file and the entry when it cannot be read
   */
  public static ByteBuffer bytes(MappedFile file, ZipFile zip, ZipArchiveEntry entry, long limit, String what,
      ByteOrder order) {
    try {
      long size = entry.getSize();
      if (entry.getMethod() == ZipEntry.STORED) {
        if (entry.getDataOffset() < 0) {
          zip.getRawInputStream(entry).close(); // resolves the local header, hence the data offset
        }
        if (entry.getCompressedSize() != size) {
          throw new WeightFileException(file.path(), what + ": a stored entry of " + size + " bytes occupies "
              + entry.getCompressedSize());
        }
        return file.region(entry.getDataOffset(), size, what).order(order);
      }
      if (size < 0) {
        size = limit;
      }
      long want = Math.min(size, limit);
      if (want > Integer.MAX_VALUE - 8) {
        throw new WeightFileException(file.path(), what + " is a compressed entry of " + size
            + " bytes, too large to read (PyTorch itself stores entries uncompressed)");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        byte[] data = in.readNBytes((int) want);
        if (data.length < want && entry.getSize() >= 0) {
          throw new WeightFileException(file.path(), what + " holds " + data.length + " bytes, the archive says "
              + size);
        }
        return ByteBuffer.wrap(data).order(order);
      }
    } catch (IOException e) {
      throw new WeightFileException(file.path(), "cannot read " + what + ": " + e.getMessage(), e);
    }
  }
}
