package dev.sequent.runtime.io.keras;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The first bytes of an HDF5 file: where its signature is and how long its superblock says the
 * file is. jhdf reads a truncated file until it trips over a missing object and then reports that
 * object; comparing the superblock's end-of-file address with the real size first lets us say
 * "truncated" instead.
 */
final class Hdf5Signature {
  static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final long UNDEFINED_ADDRESS = -1L;

  private Hdf5Signature() {}

  /**
   * Where the signature starts: 0, or 512, 1024, 2048, ... when the file has a user block, as the
   * HDF5 specification allows.
   */
  static OptionalLong find(FileChannel channel) throws IOException {
    long size = channel.size();
    for (long offset = 0; offset + SIGNATURE.length <= size; offset = offset == 0 ? 512 : offset * 2) {
      ByteBuffer head = ByteBuffer.allocate(SIGNATURE.length);
      channel.read(head, offset);
      if (Arrays.equals(head.array(), SIGNATURE)) {
        return OptionalLong.of(offset);
      }
    }
    return OptionalLong.empty();
  }

  static boolean startsWithSignature(byte[] firstBytes) {
    return firstBytes.length >= SIGNATURE.length
        && Arrays.equals(Arrays.copyOf(firstBytes, SIGNATURE.length), SIGNATURE);
  }

  /**
   * The file size the superblock declares (base address plus end-of-file address), or empty when
   * the superblock version is unknown or the address is undefined; jhdf then reports the problem.
   */
  static OptionalLong declaredSize(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      OptionalLong start = find(channel);
      if (start.isEmpty()) {
        return OptionalLong.empty();
      }
      ByteBuffer sb = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(sb, start.getAsLong());
      sb.flip();
      if (sb.limit() < 16) {
        return OptionalLong.empty();
      }
      int version = sb.get(8) & 0xff;
      int offsetSize;
      int baseAddressAt;
      if (version == 0 || version == 1) {
        offsetSize = sb.get(13) & 0xff;
        baseAddressAt = version == 0 ? 24 : 28;
      } else if (version == 2 || version == 3) {
        offsetSize = sb.get(9) & 0xff;
        baseAddressAt = 12;
      } else {
        return OptionalLong.empty();
      }
      if (offsetSize != 8 && offsetSize != 4) {
        return OptionalLong.empty();
      }
      // v0/v1: base, free-space info, end-of-file; v2/v3: base, superblock extension, end-of-file.
      int eofAt = baseAddressAt + 2 * offsetSize;
      if (sb.limit() < eofAt + offsetSize) {
        return OptionalLong.empty();
      }
      long base = readAddress(sb, baseAddressAt, offsetSize);
      long eof = readAddress(sb, eofAt, offsetSize);
      if (base == UNDEFINED_ADDRESS || eof == UNDEFINED_ADDRESS || base < 0 || eof < 0) {
        return OptionalLong.empty();
      }
      // The end-of-file address is relative to the base address (absolute). libhdf5 refuses a file
      // shorter than this ("truncated file: eof = ...") for the same reason.
      return OptionalLong.of(base + eof);
    }
  }

  private static long readAddress(ByteBuffer sb, int at, int size) {
    if (size == 8) {
      return sb.getLong(at);
    }
    int value = sb.getInt(at);
    return value == -1 ? UNDEFINED_ADDRESS : Integer.toUnsignedLong(value);
  }
}
