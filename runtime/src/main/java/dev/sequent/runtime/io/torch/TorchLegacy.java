package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.Float32Conversion;
import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pre-1.6 format, {@code torch.save(obj, f, _use_new_zipfile_serialization=False)}, as
 * {@code torch/serialization.py} ({@code _legacy_save} / {@code _legacy_load}) writes and reads
 * it, one stream of pickles followed by raw data:
 *
 * <ol>
 *   <li>the magic number {@code 0x1950a86a20f9469cfc6c}, the protocol version {@code 1001}, and
 *       {@code sys_info} (byte order, C type sizes), each a pickle;
 *   <li>the object, a pickle whose persistent ids name storages
 *       {@code ('storage', FloatStorage, key, location, numel, view_metadata)} and, for a whole
 *       pickled model, module classes {@code ('module', class, source file, source)};
 *   <li>a pickle of the list of storage keys, then per key in that order an 8-byte little-endian
 *       element count and the storage's bytes (always little-endian, whatever the machine).
 * </ol>
 *
 * The data offsets are known only after the last pickle; every count is checked against the
 * element count its persistent id gave and against the bytes left in the file. The older tar
 * container (PyTorch < 0.4) is not read.
 */
final class TorchLegacy implements TorchSource {
  private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long PROTOCOL = 1001;

  private final MappedFile file;
  private final Object root;
  private final Map<String, Long> offsets = new HashMap<>();
  private final Map<String, Storage> roots;

  /**
   * @param storagesSeen fills with every root storage the main pickle's persistent ids name, by
   *     key; the caller's persistent-id function writes it
   */
  private TorchLegacy(MappedFile file, Function<Object, Object> persistentIds, Map<String, Storage> storagesSeen)
      throws IOException {
    this.file = file;
    this.roots = storagesSeen;
    ByteBuffer in = file.region(0, Math.min(file.size(), Integer.MAX_VALUE), "the pickles");
    Function<Object, Object> none = pid -> {
      throw new WeightFileException(path(), "unexpected persistent id in the header pickles");
    };
    Object magic = new RestrictedUnpickler(none).load(in);
    if (!(magic instanceof Number n) || !MAGIC.equals(new BigInteger(n.toString()))) {
      throw new WeightFileException(path(), "a pickle, but not one torch.save wrote (it does not start with "
          + "PyTorch's magic number); pickles of other programs are not read");
    }
    Object protocol = new RestrictedUnpickler(none).load(in);
    if (!(protocol instanceof Number p) || p.longValue() != PROTOCOL) {
      throw new WeightFileException(path(), "legacy PyTorch file with protocol version " + protocol
          + ", expected " + PROTOCOL);
    }
    Object sysInfo = new RestrictedUnpickler(none).load(in);
    if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
      // Data is little-endian anyway, but old versions wrote the counts in the machine's order.
      throw new WeightFileException(path(), "a legacy PyTorch file written on a big-endian machine; Sequent "
          + "reads those only from the zip format (save it again with a current torch.save)");
    }
    root = new RestrictedUnpickler(persistentIds).load(in);
    Object keys = new RestrictedUnpickler(none).load(in);
    if (!(keys instanceof List<?> list)) {
      throw new WeightFileException(path(), "corrupt legacy PyTorch file: the storage key list is a "
          + (keys == null ? "None" : keys.getClass().getSimpleName()));
    }
    long at = in.position();
    for (Object k : list) {
      String key = String.valueOf(k);
      Storage s = roots.get(key);
      if (s == null) {
        throw new WeightFileException(path(), "corrupt legacy PyTorch file: storage " + key
            + " is listed but no tensor uses it");
      }
      long count = file.region(at, 8, "the size of storage " + key).getLong(0);
      long left = file.size() - at - 8;
      int itemSize = Float32Conversion.itemSize(s.dtype());
      if (count != s.numel()) {
        throw new WeightFileException(path(), "storage " + key + " is recorded with " + count + " elements but its "
            + "tensors' persistent id says " + s.numel() + " (corrupt file)");
      }
      if (count > left / Math.max(itemSize, 1)) {
        throw new WeightFileException(path(), "storage " + key + " (" + count + " " + s.dtype() + " elements) needs "
            + count * itemSize + " bytes but only " + Math.max(left, 0) + " are left in the file (truncated or corrupt)");
      }
      offsets.put(key, at + 8);
      at += 8 + count * itemSize;
    }
  }

  static TorchLegacy read(MappedFile file, Function<Object, Object> persistentIds, Map<String, Storage> storagesSeen)
      throws IOException {
    return new TorchLegacy(file, persistentIds, storagesSeen);
  }

  private Path path() {
    return file.path();
  }

  @Override
  public Object root() {
    return root;
  }

  @Override
  public String format() {
    return "torch-legacy";
  }

  @Override
  public Optional<TorchScriptCode> torchScript() {
    return Optional.empty();
  }

  @Override
  public ByteBuffer storage(Storage s, long needed) {
    Long at = offsets.get(s.key());
    Storage rootStorage = roots.get(s.key());
    if (at == null || rootStorage == null) {
      throw new WeightFileException(path(), "storage " + s.key() + " has no data in the file");
    }
    long bytes = rootStorage.numel() * Float32Conversion.itemSize(rootStorage.dtype());
    return file.region(at, bytes, "storage " + s.key()).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public String describe(Storage s) {
    return "storage " + s.key();
  }

  @Override
  public void close() {}
}
