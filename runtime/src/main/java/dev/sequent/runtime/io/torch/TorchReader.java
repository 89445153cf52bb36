package dev.sequent.runtime.io.torch;

import dev.sequent.runtime.io.FileArchitecture;
import dev.sequent.runtime.io.Float32Conversion;
import dev.sequent.runtime.io.MappedFile;
import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFileException;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.DisallowedGlobalException;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.PickledModule;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.StorageType;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.TensorRef;
import dev.sequent.runtime.io.torch.TorchSource.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.razorvine.pickle.PickleException;

/**
 * Reads PyTorch files, telling the forms apart by content:
 *
 * <ul>
 *   <li>{@code torch.save} zip archives (PyTorch >= 1.6, {@code .pt}/{@code .pth}): a state_dict,
 *       a whole pickled {@code nn.Sequential} (parameters plus its module tree), or a checkpoint
 *       dict wrapping a state_dict;
 *   <li>the same objects in the pre-1.6 legacy format ({@link TorchLegacy});
 *   <li>TorchScript archives ({@code torch.jit.save}, scripted or traced): parameters and buffers
 *       under their state_dict names, and the module tree with the core layers' hyperparameters
 *       ({@link TorchScriptModules}).
 * </ul>
 *
 * Pickles go through {@link RestrictedUnpickler}: nothing is executed. Storages are
 * memory-mapped and converted straight into each tensor's {@code float[]}; other dtypes follow
 * {@link Float32Conversion}'s policy. Thread-safe: each call reads with its own state.
 */
public final class TorchReader {
  private TorchReader() {}

  public static WeightFile read(Path file) {
    return read(file, TorchReadOptions.DEFAULT);
  }

  /**
   * The module tree of a file that holds a whole model (its {@link TorchModuleArchitecture}), or
   * empty for a state_dict and for files of other formats.
   */
  public static Optional<TorchModule> moduleTree(WeightFile file) {
    return file.architecture().flatMap(a -> a instanceof TorchModuleArchitecture t ? Optional.of(t.root())
        : a instanceof TorchScriptArchitecture s ? Optional.of(s.tree().root()) : Optional.empty());
  }

  public static WeightFile read(Path file, TorchReadOptions options) {
    try (MappedFile mapped = MappedFile.open(file)) {
      if (mapped.size() == 0) {
        throw new WeightFileException(file, "the file is empty");
      }
      ByteBuffer head = mapped.region(0, Math.min(2, mapped.size()), "the first bytes");
      Map<String, Storage> storages = new HashMap<>();
      PersistentIds ids = new PersistentIds(file, storages);
      TorchSource source;
      if (head.limit() >= 2 && head.get(0) == 'P' && head.get(1) == 'K') {
        source = TorchZip.open(mapped, ids::resolve);
      } else if ((head.get(0) & 0xff) == 0x80) {
        source = TorchLegacy.read(mapped, ids::resolve, storages);
      } else {
        throw new WeightFileException(file, "not a PyTorch file: neither a zip archive (torch.save >= 1.6, "
            + "torch.jit.save) nor a pickle (legacy torch.save)");
      }
      try (source) {
        return new Contents(file, mapped.size(), source).weightFile(options);
      }
    } catch (DisallowedGlobalException e) {
      throw new WeightFileException(file, e.getMessage());
    } catch (WeightFileException e) {
      throw e;
    } catch (PickleException | IOException e) {
      throw new WeightFileException(file, "truncated or corrupt PyTorch file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new WeightFileException(file, "corrupt PyTorch file: " + e, e);
    } catch (StackOverflowError e) {
      throw new WeightFileException(file, "corrupt PyTorch file: pickle nested too deeply");
    } catch (InternalError e) {
      // what a fault in a memory-mapped region becomes, e.g. when the file is truncated while read
      throw new WeightFileException(file, "the file changed or became unreadable while it was read: " + e.getMessage(), e);
    }
  }

  /**
   * Persistent ids: {@code ('storage', type, key, location, numel[, view_metadata])} and, in legacy
   * files of whole models, {@code ('module', class, source_file, source)} (the class is already
   * resolved through the allow-list).
   */
  private record PersistentIds(Path file, Map<String, Storage> roots) {
    Object resolve(Object pid) {
      Object[] t = pid instanceof Object[] a ? a : null;
      if (t != null && t.length == 4 && "module".equals(t[0])) {
        return t[1];
      }
      if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)
          || !(t[4] instanceof Number numel)) {
        throw new WeightFileException(file, "unexpected persistent id " + Arrays.deepToString(t));
      }
      String key = String.valueOf(t[2]);
      Storage root = roots.computeIfAbsent(key, k -> new Storage(k, type.dtype(), numel.longValue(), 0));
      if (t.length > 5 && t[5] instanceof Object[] view) { // (view_key, offset, view_size): pre-1.0 files
        if (view.length != 3 || !(view[1] instanceof Number offset) || !(view[2] instanceof Number size)) {
          throw new WeightFileException(file, "unexpected storage view " + Arrays.deepToString(view));
        }
        return new Storage(key, root.dtype(), size.longValue(), offset.longValue());
      }
      return root;
    }
  }

  /** The unpickled object turned into named tensors and, for models, a module tree. */
  private static final class Contents {
    private final Path file;
    private final long fileSize;
    private final TorchSource source;
    private final Float32Conversion conversion;

    Contents(Path file, long fileSize, TorchSource source) {
      this.file = file;
      this.fileSize = fileSize;
      this.source = source;
      this.conversion = new Float32Conversion(file);
    }

    WeightFile weightFile(TorchReadOptions options) {
      Object root = source.root();
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      Optional<TorchModule> module = Optional.empty();
      Optional<PickledModule> scripted = Optional.empty();
      String format = source.format();
      Optional<TorchScriptCode> code = source.torchScript();
      if (code.isPresent()) {
        if (options.entry().isPresent()) {
          throw new WeightFileException(file, "a TorchScript archive holds one module, it has no entry \""
              + options.entry().get() + "\"");
        }
        if (!(root instanceof PickledModule m)) {
          throw new WeightFileException(file, "a TorchScript archive whose data.pkl holds a " + describe(root)
              + ", not a module");
        }
        module = Optional.of(new TorchScriptModules(code.get(), this::tensor).tree(m, "", tensors));
        scripted = Optional.of(m);
      } else if (root instanceof PickledModule m) {
        if (options.entry().isPresent()) {
          throw new WeightFileException(file, "holds a whole " + m.className + ", not a checkpoint dict: it has no "
              + "entry \"" + options.entry().get() + "\"");
        }
        module = Optional.of(moduleTree(m, "", tensors));
      } else if (root instanceof Map<?, ?> map) {
        Object chosen = map;
        if (!isStateDict(map) || options.entry().isPresent()) {
          String entry = options.entry().orElseGet(() -> pickEntry(map));
          chosen = lookup(map, entry);
          format += "/checkpoint[" + entry + "]";
        }
        if (chosen instanceof PickledModule m) {
          module = Optional.of(moduleTree(m, "", tensors));
        } else {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) chosen).entrySet()) {
            String name = String.valueOf(e.getKey());
            tensors.put(name, tensor(name, (TensorRef) e.getValue()));
          }
        }
      } else {
        throw new WeightFileException(file, "holds a " + describe(root) + ", not a state_dict or an nn.Module");
      }
      conversion.warnIfConverted();
      Optional<FileArchitecture> architecture = module.map(m -> new TorchModuleArchitecture(m, tensors.keySet()));
      if (scripted.isPresent()) {
        PickledModule scriptRoot = scripted.get();
        architecture = architecture.map(a -> new TorchScriptArchitecture((TorchModuleArchitecture) a, scriptRoot,
            code.get()));
      }
      WeightFile read = new WeightFile(file, format, tensors, List.of(), architecture);
      return options.stripPrefix().map(read::withoutPrefix).orElse(read);
    }

    private static boolean isStateDict(Map<?, ?> map) {
      return !map.isEmpty() && map.values().stream().allMatch(v -> v instanceof TensorRef);
    }

    private static boolean isCandidate(Object v) {
      return v instanceof PickledModule || (v instanceof Map<?, ?> inner && isStateDict(inner));
    }

    private String pickEntry(Map<?, ?> map) {
      List<String> candidates = new ArrayList<>();
      List<String> described = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (isCandidate(e.getValue())) {
          candidates.add(String.valueOf(e.getKey()));
          described.add("\"" + e.getKey() + "\" (" + (e.getValue() instanceof Map<?, ?> inner
              ? inner.size() + " tensors" : ((PickledModule) e.getValue()).className) + ")");
        }
      }
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      List<String> keys = map.keySet().stream().map(k -> "\"" + k + "\"").toList();
      throw new WeightFileException(file, "a dict with keys " + keys + " rather than a state_dict; "
          + (candidates.isEmpty() ? "none of its entries is a mapping of tensors"
              : "several entries hold state_dicts: " + String.join(", ", described) + "; choose one")
          + " (--entry KEY, TorchReadOptions.entry(...))");
    }

    private Object lookup(Map<?, ?> map, String path) {
      Object at = map;
      for (String key : path.split("\\.")) {
        if (!(at instanceof Map<?, ?> m) || !m.containsKey(key)) {
          throw new WeightFileException(file, "no entry \"" + path + "\" in the checkpoint (keys: "
              + (at instanceof Map<?, ?> m2 ? m2.keySet() : "none") + ")");
        }
        at = m.get(key);
      }
      if (!isCandidate(at)) {
        throw new WeightFileException(file, "entry \"" + path + "\" is a " + describe(at) + ", not a state_dict");
      }
      return at;
    }

    /** A value as Python would name its type. */
    private static String describe(Object o) {
      if (o == null) {
        return "None";
      }
      if (o instanceof PickledModule m) {
        return m.className;
      }
      if (o instanceof Map<?, ?> map) {
        return "dict with keys " + map.keySet().stream().limit(8).map(k -> "\"" + k + "\"").toList()
            + (map.size() > 8 ? " and " + (map.size() - 8) + " more" : "");
      }
      if (o instanceof Object[]) {
        return "tuple";
      }
      if (o instanceof List<?>) {
        return "list";
      }
      if (o instanceof TensorRef) {
        return "tensor";
      }
      return o instanceof String ? "str" : o instanceof Number ? "number" : o.getClass().getSimpleName();
    }

    NamedTensor tensor(String name, TensorRef ref) {
      if (!(ref.storage() instanceof Storage s)) {
        throw new WeightFileException(file, "tensor " + name + " has no storage");
      }
      return StridedTensors.read(file, fileSize, conversion, name, s.dtype(), ref.size(), ref.stride(),
          s.elementOffset() + ref.offset(), ref.offset(), needed -> source.storage(s, needed), source.describe(s));
    }

    private TorchModule moduleTree(PickledModule m, String path, Map<String, NamedTensor> tensors) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (Map.Entry<Object, Object> e : m.state.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!key.startsWith("_") && !key.equals("training")) {
          attributes.put(key, PickledValues.plain(e.getValue()));
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
  }
}
