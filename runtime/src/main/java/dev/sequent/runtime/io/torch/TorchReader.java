package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.HalfFloats;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.TorchModule;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.DisallowedGlobalException;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.PickledModule;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.StorageType;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads PyTorch {@code torch.save} zip archives ({@code .pt}/{@code .pth}, PyTorch >= 1.6): a
 * state_dict, a whole pickled {@code nn.Sequential} (parameters plus its module tree), or a
 * checkpoint dict that wraps a state_dict. The pickle goes through {@link RestrictedUnpickler};
 * storages are read from the archive once each, through random access.
 */
public final class TorchReader {
  private static final Logger LOG = LoggerFactory.getLogger(TorchReader.class);

  private TorchReader() {}

  public static WeightFile read(Path file) {
    return read(file, TorchReadOptions.DEFAULT);
  }

  public static WeightFile read(Path file, TorchReadOptions options) {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new WeightFileException(file, "not a PyTorch zip archive (truncated or corrupt zip: " + e.getMessage()
          + "); pre-1.6 legacy files are not supported yet");
    } catch (IOException e) {
      throw new WeightFileException(file, "cannot open: " + e.getMessage(), e);
    }
    try (zip) {
      return new Archive(file, zip).read(options);
    } catch (DisallowedGlobalException e) {
      throw new WeightFileException(file, e.getMessage());
    } catch (WeightFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new WeightFileException(file, "corrupt PyTorch file: " + e, e);
    } catch (StackOverflowError e) {
      throw new WeightFileException(file, "corrupt PyTorch file: pickle nested too deeply");
    }
  }

  /** One open archive: its entry prefix, byte order and storages. */
  private static final class Archive {
    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Map<String, ByteBuffer> storages = new HashMap<>();

    Archive(Path file, ZipFile zip) throws IOException {
      this.file = file;
      this.zip = zip;
      String found = null;
      boolean torchScript = false;
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String n = e.getName();
        if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
          String p = n.substring(0, n.length() - "data.pkl".length());
          if (found == null || p.length() < found.length()) {
            found = p;
          }
        }
        torchScript |= n.endsWith("constants.pkl") || n.contains("/code/");
      }
      if (torchScript) {
        throw new WeightFileException(file, "a TorchScript archive (torch.jit.save); reading TorchScript is not "
            + "supported yet: save the state_dict with torch.save(model.state_dict(), path)");
      }
      if (found == null) {
        throw new WeightFileException(file, "a zip file but not a PyTorch archive: no data.pkl inside");
      }
      prefix = found;
      ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
      String bo = byteorder == null ? "little" : new String(zip.getInputStream(byteorder).readAllBytes(),
          StandardCharsets.US_ASCII).trim();
      order = bo.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    WeightFile read(TorchReadOptions options) throws IOException {
      Object root;
      try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
        root = new RestrictedUnpickler(this::storage).load(in);
      }
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      Optional<TorchModule> module = Optional.empty();
      String format = "torch-zip";
      if (root instanceof PickledModule m) {
        module = Optional.of(moduleTree(m, "", tensors));
      } else if (root instanceof Map<?, ?> map) {
        Map<?, ?> stateDict = map;
        if (!isStateDict(map) || options.entry().isPresent()) {
          String entry = options.entry().orElseGet(() -> pickEntry(map));
          stateDict = lookup(map, entry);
          format = "torch-zip/checkpoint[" + entry + "]";
        }
        for (Map.Entry<?, ?> e : stateDict.entrySet()) {
          String name = String.valueOf(e.getKey());
          tensors.put(name, tensor(name, (TensorRef) e.getValue()));
        }
      } else {
        throw new WeightFileException(file, "holds a " + describe(root) + ", not a state_dict or an nn.Module");
      }
      if (options.stripPrefix().isPresent()) {
        String p = options.stripPrefix().get();
        Map<String, NamedTensor> stripped = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
          String n = k.startsWith(p) ? k.substring(p.length()) : k;
          stripped.put(n, new NamedTensor(n, v.shape(), v.data()));
        });
        tensors = stripped;
      }
      return new WeightFile(file, format, tensors, List.of(), Optional.empty(), module);
    }

    private static boolean isStateDict(Map<?, ?> map) {
      return !map.isEmpty() && map.values().stream().allMatch(v -> v instanceof TensorRef);
    }

    private String pickEntry(Map<?, ?> map) {
      List<String> candidates = new ArrayList<>();
      List<String> described = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> inner && isStateDict(inner)) {
          candidates.add(String.valueOf(e.getKey()));
          described.add("\"" + e.getKey() + "\" (" + inner.size() + " tensors)");
        }
      }
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      List<String> keys = map.keySet().stream().map(k -> "\"" + k + "\"").toList();
      throw new WeightFileException(file, "a dict with keys " + keys + " rather than a state_dict; "
          + (candidates.isEmpty() ? "none of its entries is a mapping of tensors"
              : "several entries hold state_dicts: " + String.join(", ", described) + "; choose one")
          + " (TorchReadOptions.entry(...))");
    }

    private Map<?, ?> lookup(Map<?, ?> map, String path) {
      Object at = map;
      for (String key : path.split("\\.")) {
        if (!(at instanceof Map<?, ?> m) || !m.containsKey(key)) {
          throw new WeightFileException(file, "no entry \"" + path + "\" in the checkpoint (keys: "
              + (at instanceof Map<?, ?> m2 ? m2.keySet() : "none") + ")");
        }
        at = m.get(key);
      }
      if (!(at instanceof Map<?, ?> result) || !isStateDict(result)) {
        throw new WeightFileException(file, "entry \"" + path + "\" is a " + describe(at) + ", not a state_dict");
      }
      return result;
    }

    private static String describe(Object o) {
      return o == null ? "None" : o instanceof PickledModule m ? m.className : o.getClass().getSimpleName();
    }

    /** Persistent ids: ('storage', storage type, key, location, numel). */
    private Object storage(Object pid) {
      Object[] t = pid instanceof Object[] a ? a : null;
      if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
        throw new WeightFileException(file, "unexpected persistent id " + Arrays.deepToString(t));
      }
      return new Storage(String.valueOf(t[2]), type.dtype(), ((Number) t[4]).longValue());
    }

    private record Storage(String key, String dtype, long numel) {}

    private ByteBuffer bytes(Storage s) {
      return storages.computeIfAbsent(s.key(), key -> {
        ZipEntry entry = zip.getEntry(prefix + "data/" + key);
        if (entry == null) {
          throw new WeightFileException(file, "storage data/" + key + " is missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
          return ByteBuffer.wrap(in.readAllBytes()).order(order);
        } catch (IOException e) {
          throw new WeightFileException(file, "cannot read storage data/" + key + ": " + e.getMessage(), e);
        }
      });
    }

    NamedTensor tensor(String name, TensorRef ref) {
      if (!(ref.storage() instanceof Storage s)) {
        throw new WeightFileException(file, "tensor " + name + " has no storage");
      }
      int itemSize = switch (s.dtype()) {
        case "float64", "int64" -> 8;
        case "float32", "int32" -> 4;
        case "float16", "bfloat16", "int16" -> 2;
        default -> 1;
      };
      long[] size = ref.size();
      long[] stride = ref.stride();
      long count = 1;
      long span = 0;
      for (int i = 0; i < size.length; i++) {
        count *= size[i];
        span += (size[i] - 1) * stride[i];
      }
      ByteBuffer buf = bytes(s);
      long needed = count == 0 ? 0 : (ref.offset() + span + 1) * itemSize;
      if (needed > buf.capacity()) {
        throw new WeightFileException(file, "tensor " + name + " " + Arrays.toString(size) + " needs " + needed
            + " bytes of storage data/" + s.key() + " but it holds " + buf.capacity());
      }
      if (count > Integer.MAX_VALUE) {
        throw new WeightFileException(file, "tensor " + name + " is too large (" + count + " elements)");
      }
      if (!s.dtype().equals("float32") && !name.endsWith("num_batches_tracked")) {
        LOG.warn("{}: tensor {} is {}; converting to float32", file, name, s.dtype());
      }
      float[] data = new float[(int) count];
      long[] index = new long[size.length];
      for (int i = 0; i < data.length; i++) {
        long element = ref.offset();
        for (int d = 0; d < size.length; d++) {
          element += index[d] * stride[d];
        }
        data[i] = read(buf, s.dtype(), (int) (element * itemSize));
        for (int d = size.length - 1; d >= 0; d--) {
          if (++index[d] < size[d]) {
            break;
          }
          index[d] = 0;
        }
      }
      return new NamedTensor(name, size, data);
    }

    private static float read(ByteBuffer b, String dtype, int at) {
      return switch (dtype) {
        case "float32" -> b.getFloat(at);
        case "float64" -> (float) b.getDouble(at);
        case "float16" -> HalfFloats.fromHalf(b.getShort(at));
        case "bfloat16" -> HalfFloats.fromBfloat16(b.getShort(at));
        case "int64" -> (float) b.getLong(at);
        case "int32" -> (float) b.getInt(at);
        case "int16" -> b.getShort(at);
        case "int8" -> b.get(at);
        default -> b.get(at) & 0xff; // uint8, bool
      };
    }

    private TorchModule moduleTree(PickledModule m, String path, Map<String, NamedTensor> tensors) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (Map.Entry<Object, Object> e : m.state.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!key.startsWith("_") && !key.equals("training")) {
          attributes.put(key, plain(e.getValue()));
        }
      }
      Collection<?> nonPersistent = m.state.get("_non_persistent_buffers_set") instanceof Collection<?> c ? c : List.of();
      addTensors(m.state.get("_parameters"), path, tensors, List.of());
      addTensors(m.state.get("_buffers"), path, tensors, nonPersistent);
      Map<String, TorchModule> children = new LinkedHashMap<>();
      if (m.state.get("_modules") instanceof Map<?, ?> modules) {
        for (Map.Entry<?, ?> e : modules.entrySet()) {
          if (e.getValue() instanceof PickledModule child) {
            String name = String.valueOf(e.getKey());
            children.put(name, moduleTree(child, path + name + ".", tensors));
          }
        }
      }
      return new TorchModule(m.className, attributes, children);
    }

    private void addTensors(Object map, String path, Map<String, NamedTensor> tensors, Collection<?> skip) {
      if (map instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getValue() instanceof TensorRef ref && !skip.contains(e.getKey())) {
            String name = path + e.getKey();
            tensors.put(name, tensor(name, ref));
          }
        }
      }
    }

    private static Object plain(Object v) {
      if (v instanceof Object[] tuple) {
        return Arrays.stream(tuple).map(Archive::plain).toList();
      }
      if (v instanceof List<?> list) {
        return list.stream().map(Archive::plain).toList();
      }
      if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
        return v;
      }
      return String.valueOf(v);
    }
  }
}
