package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.WeightFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A {@code torch.save} (PyTorch >= 1.6) or {@code torch.jit.save} zip archive: {@code
 * <prefix>/data.pkl}, {@code <prefix>/data/<key>} per storage, an optional {@code byteorder}
 * record; TorchScript archives add {@code code/} and {@code constants.pkl}.
 *
 * <p>PyTorch stores every record uncompressed (and aligns storages to 64 bytes), so a storage is
 * a region of the file: it is memory-mapped at the entry's data offset, which commons-compress
 * reports and {@code java.util.zip} does not. A compressed entry (an archive re-zipped by another
 * tool) is streamed instead.
 */
final class TorchZip implements TorchSource {
  private static final long MAX_CODE_FILE = 16L * 1024 * 1024;

  private final MappedFile file;
  private final ZipFile zip;
  private final String prefix;
  private final ByteOrder order;
  private final boolean torchScript;
  private final Map<String, ByteBuffer> storages = new HashMap<>();
  private final Object root;

  private TorchZip(MappedFile file, ZipFile zip, Function<Object, Object> persistentIds) throws IOException {
    this.file = file;
    this.zip = zip;
    String found = null;
    for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
      String n = e.getName();
      if (n.equals("data.pkl") || n.endsWith("/data.pkl")) {
        String p = n.substring(0, n.length() - "data.pkl".length());
        if (found == null || p.length() < found.length()) {
          found = p;
        }
      }
    }
    if (found == null) {
      throw new WeightFileException(path(), "a zip file but not a PyTorch archive: no data.pkl inside");
    }
    prefix = found;
    // torch.jit.save adds <prefix>/code/ and <prefix>/constants.pkl; torch.save never does (its
    // prefix is the file's stem, so a state_dict saved as "code.pt" has entries code/...)
    torchScript = zip.getEntry(prefix + "constants.pkl") != null
        || Collections.list(zip.getEntries()).stream().anyMatch(e -> e.getName().startsWith(prefix + "code/"));
    ZipArchiveEntry byteorder = zip.getEntry(prefix + "byteorder");
    String bo = byteorder == null ? "little"
        : StandardCharsets.US_ASCII.decode(bytes(byteorder, 16, "the byteorder record")).toString().trim();
    if (!bo.equals("little") && !bo.equals("big")) {
      throw new WeightFileException(path(), "unknown byteorder record \"" + bo + "\"");
    }
    order = bo.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ZipArchiveEntry pickle = zip.getEntry(prefix + "data.pkl");
    root = new RestrictedUnpickler(persistentIds).load(bytes(pickle, Long.MAX_VALUE, "data.pkl"));
  }

  /** Opens the archive and unpickles {@code data.pkl}; the caller closes it. */
  static TorchZip open(MappedFile file, Function<Object, Object> persistentIds) throws IOException {
    ZipFile zip;
    try {
      zip = ZipFile.builder().setSeekableByteChannel(file.channel()).get();
    } catch (IOException e) {
      throw new WeightFileException(file.path(), "not a PyTorch zip archive (truncated or corrupt zip: "
          + e.getMessage() + ")");
    }
    try {
      return new TorchZip(file, zip, persistentIds);
    } catch (IOException | RuntimeException | Error e) {
      ZipFile.closeQuietly(zip);
      throw e;
    }
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
    return torchScript ? "torchscript" : "torch-zip";
  }

  @Override
  public Optional<TorchScriptCode> torchScript() {
    if (!torchScript) {
      return Optional.empty();
    }
    // read now: the module's graph is built from the code after the archive is closed
    Map<String, String> files = new HashMap<>();
    for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
      String name = e.getName();
      if (name.startsWith(prefix + "code/") && name.endsWith(".py")) {
        String path = name.substring((prefix + "code/").length());
        files.put(path, StandardCharsets.UTF_8.decode(bytes(e, MAX_CODE_FILE, "code/" + path)).toString());
      }
    }
    return Optional.of(new TorchScriptCode(path -> Optional.ofNullable(files.get(path))));
  }

  @Override
  public ByteBuffer storage(Storage s, long needed) {
    return storages.computeIfAbsent(s.key(), key -> {
      ZipArchiveEntry entry = zip.getEntry(prefix + "data/" + key);
      if (entry == null) {
        throw new WeightFileException(path(), "storage data/" + key + " is missing from the archive");
      }
      return bytes(entry, needed, "storage data/" + key);
    });
  }

  @Override
  public String describe(Storage s) {
    return "data/" + s.key();
  }

  private ByteBuffer bytes(ZipArchiveEntry entry, long limit, String what) {
    return ZipEntries.bytes(file, zip, entry, limit, what, order);
  }

  @Override
  public void close() {
    ZipFile.closeQuietly(zip);
  }
}
