package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.NamedTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state_dict as {@code torch.save} does (PyTorch's zip layout: {@code archive/data.pkl},
 * {@code archive/data/N} storages, {@code archive/version}, {@code archive/byteorder}), with a
 * pickle that uses only what {@code torch.load(weights_only=True)} admits: an OrderedDict of
 * {@code torch._utils._rebuild_tensor_v2} calls on float32 storages ({@code num_batches_tracked}
 * as an int64 scalar). Output is deterministic: fixed entry times, one storage per tensor in order.
 *
 * <p>The pickle opcodes are written directly: the structure is fixed and small, and a general
 * pickler would need the same hand-made hooks for PyTorch's persistent storage ids.
 */
public final class TorchWriter {
  private static final String ARCHIVE = "archive/";

  private TorchWriter() {}

  /**
   * Writes {@code tensors} (PyTorch names and layouts) to {@code file}, replacing it atomically,
   * telling {@code progress} of each tensor written.
   */
  public static void writeStateDict(Map<String, NamedTensor> tensors, Path file, WeightProgress progress)
      throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sequent", ".tmp");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        stored(zip, ARCHIVE + "data.pkl", pickle(tensors));
        stored(zip, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        int key = 0;
        for (NamedTensor t : tensors.values()) {
          stored(zip, ARCHIVE + "data/" + key++, storageBytes(t));
          progress.tensorDone(t.name(), 4L * t.size());
        }
        stored(zip, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isCounter(NamedTensor t) {
    return t.name().endsWith("num_batches_tracked") && t.rank() == 0;
  }

  private static byte[] storageBytes(NamedTensor t) {
    if (isCounter(t)) {
      return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((long) t.data()[0]).array();
    }
    ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(t.data());
    return b.array();
  }

  /** Zip entries stored uncompressed, as PyTorch stores them, with a fixed timestamp. */
  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L); // 1980-01-01, the zip epoch: identical bytes for identical tensors
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  static byte[] pickle(Map<String, NamedTensor> tensors) {
    Pickle p = new Pickle();
    p.proto(2);
    p.global("collections", "OrderedDict");
    p.op(')').op('R'); // OrderedDict()
    p.op('(');        // MARK for SETITEMS
    int key = 0;
    for (NamedTensor t : tensors.values()) {
      p.unicode(t.name());
      p.global("torch._utils", "_rebuild_tensor_v2");
      p.op('(');
      // persistent id ('storage', torch.XStorage, key, 'cpu', numel)
      p.op('(').unicode("storage").global("torch", isCounter(t) ? "LongStorage" : "FloatStorage")
          .unicode(String.valueOf(key++)).unicode("cpu").integer(isCounter(t) ? 1 : t.size()).op('t').op('Q');
      p.integer(0); // storage offset
      long[] shape = t.shape();
      p.op('(');
      for (long d : shape) {
        p.integer(d);
      }
      p.op('t');
      p.op('(');
      long stride = 1;
      long[] strides = new long[shape.length];
      for (int i = shape.length - 1; i >= 0; i--) {
        strides[i] = stride;
        stride *= shape[i];
      }
      for (long s : strides) {
        p.integer(s);
      }
      p.op('t');
      p.op(0x89); // requires_grad False
      p.global("collections", "OrderedDict").op(')').op('R'); // backward hooks
      p.op('t').op('R');
    }
    p.op('u').op('.');
    return p.bytes();
  }

  /** The handful of pickle protocol-2 opcodes a state_dict needs. */
  private static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int opcode) {
      out.write(opcode);
      return this;
    }

    Pickle proto(int version) {
      return op(0x80).op(version);
    }

    Pickle global(String module, String name) {
      op('c');
      write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Pickle unicode(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      write(b);
      return this;
    }

    Pickle integer(long v) {
      if (v >= 0 && v < 256) {
        return op('K').op((int) v);
      }
      if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        op('J');
        write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        return this;
      }
      op(0x8a).op(8); // LONG1 with 8 bytes
      write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    private void write(byte[] b) {
      out.write(b, 0, b.length);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

}
