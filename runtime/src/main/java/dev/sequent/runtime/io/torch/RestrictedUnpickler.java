package dev.sequent.runtime.io.torch;

import dev.sequent.model.kind.LayerKinds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's pickle machine with every global resolved through an explicit allow-list, and
 * nothing executed: an allowed global becomes a Java constructor of an inert value (a map, a
 * tensor reference, a module record), any other global stops the read with
 * {@link DisallowedGlobalException}. The list is what {@code torch.load(weights_only=True)} admits
 * ({@code torch/_weights_only_unpickler.py}) plus the {@code torch.nn} module classes of the core
 * layer set, so that a whole pickled {@code nn.Sequential} can be read as a structure, plus the
 * classes of a TorchScript archive ({@code __torch__.…}, compiled classes whose code lives in the
 * archive's {@code code/} files, never run here) and TorchScript's list-building helpers.
 *
 * <p>Every length a pickle states (strings, bytes) is checked against the bytes left in the input
 * before anything is allocated, so a corrupt file fails with a message rather than an
 * OutOfMemoryError.
 */
final class RestrictedUnpickler extends Unpickler {
  private static final short GLOBAL = 'c';
  private static final short STACK_GLOBAL = 0x93;
  private static final short INST = 'i';
  private static final short OBJ = 'o';
  private static final short EMPTY_DICT = '}';
  private static final short DICT = 'd';
  private static final short BUILD = 'b';
  private static final short SETITEMS = 'u';
  private static final short BINSTRING = 'T';
  private static final short BINUNICODE = 'X';
  private static final short BINBYTES = 'B';
  private static final short LONG4 = 0x8b;
  private static final short BINUNICODE8 = 0x8d;
  private static final short BINBYTES8 = 0x8e;
  private static final short BYTEARRAY8 = 0x96;
  /** TorchScript's compiled classes: inert records, their code is never run. */
  static final String TORCHSCRIPT_PREFIX = "__torch__.";

  /**
   * The torch.nn classes whose pickled state Sequent reads as a module tree: the container, every
   * module some layer kind reads ({@link LayerKinds#torchModules}), and modules read as structure
   * only (their weights load into a Java model; building an architecture refuses them by name).
   */
  static final Set<String> MODULE_CLASSES = moduleClasses();

  private static Set<String> moduleClasses() {
    Set<String> modules = new java.util.LinkedHashSet<>(List.of(
        "torch.nn.modules.container.Sequential",
        "torch.nn.modules.pooling.AdaptiveAvgPool2d"));
    modules.addAll(LayerKinds.torchModules());
    return Set.copyOf(modules);
  }

  private static final Map<String, String> STORAGE_TYPES = Map.ofEntries(
      Map.entry("torch.FloatStorage", "float32"), Map.entry("torch.DoubleStorage", "float64"),
      Map.entry("torch.HalfStorage", "float16"), Map.entry("torch.BFloat16Storage", "bfloat16"),
      Map.entry("torch.LongStorage", "int64"), Map.entry("torch.IntStorage", "int32"),
      Map.entry("torch.ShortStorage", "int16"), Map.entry("torch.CharStorage", "int8"),
      Map.entry("torch.ByteStorage", "uint8"), Map.entry("torch.BoolStorage", "bool"),
      Map.entry("torch.float32", "float32"), Map.entry("torch.float64", "float64"),
      Map.entry("torch.float16", "float16"), Map.entry("torch.bfloat16", "bfloat16"),
      Map.entry("torch.int64", "int64"), Map.entry("torch.int32", "int32"), Map.entry("torch.int16", "int16"),
      Map.entry("torch.int8", "int8"), Map.entry("torch.uint8", "uint8"), Map.entry("torch.bool", "bool"));

  private final Map<String, IObjectConstructor> allowed = new HashMap<>();
  private final Function<Object, Object> persistent;

  /** @param persistent resolves a persistent id (PyTorch's storage tuples) to a value */
  RestrictedUnpickler(Function<Object, Object> persistent) {
    this.persistent = persistent;
    allowed.put("collections.OrderedDict", args -> new PickledDict());
    IObjectConstructor set = args -> args.length == 0 ? new java.util.LinkedHashSet<>()
        : new java.util.LinkedHashSet<>((java.util.Collection<?>) args[0]);
    allowed.put("builtins.set", set);
    allowed.put("__builtin__.set", set); // protocol-2 pickles use the Python 2 module name
    allowed.put("torch._utils._rebuild_tensor_v2", RestrictedUnpickler::rebuildTensor);
    allowed.put("torch._utils._rebuild_tensor", RestrictedUnpickler::rebuildTensor);
    allowed.put("torch._utils._rebuild_parameter", args -> args[0]);
    allowed.put("torch._utils._rebuild_parameter_with_state", args -> args[0]);
    allowed.put("torch.Size", args -> args.length == 0 ? new Object[0] : args[0]);
    allowed.put("torch.device", args -> String.valueOf(args[0]));
    allowed.put("_codecs.encode", args -> String.valueOf(args[0]).getBytes(StandardCharsets.ISO_8859_1));
    // TorchScript (torch/jit/_pickle.py): each returns its first argument.
    for (String helper : new String[] {"build_intlist", "build_tensorlist", "build_doublelist", "build_boollist",
        "restore_type_tag"}) {
      allowed.put("torch.jit._pickle." + helper, args -> args[0]);
    }
    // Storage classes and dtypes appear as references inside persistent ids, not as calls.
    for (Map.Entry<String, String> e : STORAGE_TYPES.entrySet()) {
      allowed.put(e.getKey(), new StorageType(e.getValue()));
    }
    for (String module : MODULE_CLASSES) {
      allowed.put(module, args -> new PickledModule(module));
    }
  }

  /** A storage class or dtype named in a persistent id; carries only the element type. */
  record StorageType(String dtype) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException("storage type " + dtype + " cannot be called in a weights file");
    }
  }

  /** A view into a storage, as {@code _rebuild_tensor_v2} describes it. */
  record TensorRef(Object storage, long offset, long[] size, long[] stride) {}

  /** An OrderedDict; pickles of state_dicts also set a {@code _metadata} attribute via BUILD. */
  static final class PickledDict extends LinkedHashMap<Object, Object> {
    final Map<Object, Object> attributes = new HashMap<>();
  }

  /**
   * An instance of a torch.nn module class or of a TorchScript class ({@code __torch__.…}): its
   * class name as the pickle names it and its pickled {@code __dict__}.
   */
  static final class PickledModule {
    final String className;
    final Map<Object, Object> state = new LinkedHashMap<>();

    PickledModule(String className) {
      this.className = className;
    }
  }

  private static Object rebuildTensor(Object[] args) {
    if (args.length < 4) {
      throw new PickleException("_rebuild_tensor_v2 expects at least 4 arguments, got " + args.length);
    }
    return new TensorRef(args[0], ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
  }

  private static long[] longs(Object tuple) {
    Object[] items = tuple instanceof Object[] a ? a : ((java.util.List<?>) tuple).toArray();
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = ((Number) items[i]).longValue();
    }
    return out;
  }

  /** The pickle in {@code data} (from its position to its STOP opcode); the position ends after it. */
  Object load(ByteBuffer data) throws IOException {
    return load(new BufferInput(data));
  }

  @Override
  public Object load(InputStream stream) throws IOException {
    if (!(stream instanceof BufferInput)) {
      throw new IllegalArgumentException("read pickles through load(ByteBuffer), which bounds every length");
    }
    return super.load(stream);
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    switch (key) {
      case BINSTRING, BINUNICODE, BINBYTES, LONG4 -> {
        checkLength(4, key);
        return super.dispatch(key);
      }
      case BINUNICODE8, BINBYTES8, BYTEARRAY8 -> {
        checkLength(8, key);
        return super.dispatch(key);
      }
      case GLOBAL -> {
        String module = readLine();
        String name = readLine();
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      case STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        stack.add(resolve(String.valueOf(module), String.valueOf(name)));
        return NO_RETURN_VALUE;
      }
      case EMPTY_DICT -> {
        // Python dicts keep insertion order, which state_dict order depends on; Pyrolite's HashMap does not.
        stack.add(new PickledDict());
        return NO_RETURN_VALUE;
      }
      case DICT -> {
        java.util.List<Object> items = stack.pop_all_since_marker();
        PickledDict dict = new PickledDict();
        for (int i = 0; i + 1 < items.size(); i += 2) {
          dict.put(items.get(i), items.get(i + 1));
        }
        stack.add(dict);
        return NO_RETURN_VALUE;
      }
      case SETITEMS -> {
        // Pyrolite gathers the items in a HashMap before adding them, losing their order.
        java.util.List<Object> items = stack.pop_all_since_marker();
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
        for (int i = 0; i + 1 < items.size(); i += 2) {
          dict.put(items.get(i), items.get(i + 1));
        }
        return NO_RETURN_VALUE;
      }
      case BUILD -> {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(state instanceof Map<?, ?> map)) {
          throw new PickleException("BUILD with a " + (state == null ? "None" : state.getClass().getSimpleName())
              + " state is not supported");
        }
        if (target instanceof PickledDict d) {
          d.attributes.putAll(map);
        } else if (target instanceof PickledModule m) {
          m.state.putAll(map);
        } else {
          throw new PickleException("BUILD on a " + (target == null ? "None" : target.getClass().getSimpleName())
              + " is not supported");
        }
        return NO_RETURN_VALUE;
      }
      case INST, OBJ -> throw new DisallowedGlobalException("the INST/OBJ opcodes (old-style class instances)");
      default -> {
        return super.dispatch(key);
      }
    }
  }

  @Override
  protected Object persistentLoad(Object pid) {
    return persistent.apply(pid);
  }

  /** Refuses a length field that claims more bytes than the input has left. */
  private void checkLength(int width, short opcode) throws IOException {
    BufferInput in = (BufferInput) input;
    long length = in.peekLength(width);
    long left = in.available() - width;
    if (length < 0 || length > left) {
      throw new PickleException("a pickled string (opcode 0x" + Integer.toHexString(opcode) + ") claims " + length
          + " bytes but only " + Math.max(left, 0) + " are left");
    }
  }

  private IObjectConstructor resolve(String module, String name) {
    String qualified = module + "." + name;
    if (qualified.startsWith(TORCHSCRIPT_PREFIX)) {
      return args -> new PickledModule(qualified);
    }
    IObjectConstructor c = allowed.get(qualified);
    if (c == null) {
      throw new DisallowedGlobalException(module + "." + name);
    }
    return c;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = input.read()) != '\n') {
      if (b < 0) {
        throw new PickleException("unexpected end of pickle in a GLOBAL opcode");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** A pickle read from a buffer: exact about what is left, so lengths can be checked up front. */
  private static final class BufferInput extends InputStream {
    private final ByteBuffer buf;

    BufferInput(ByteBuffer buf) {
      this.buf = buf;
    }

    @Override
    public int read() {
      return buf.hasRemaining() ? buf.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!buf.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buf.remaining());
      buf.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return buf.remaining();
    }

    /** The little-endian length field of {@code width} bytes at the position, without consuming it. */
    long peekLength(int width) {
      if (buf.remaining() < width) {
        return -1;
      }
      ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      return width == 4 ? le.getInt() & 0xffffffffL : le.getLong();
    }
  }

  /** A pickle names a global outside the allow-list. Nothing further is read or run. */
  static final class DisallowedGlobalException extends RuntimeException {
    final String global;

    DisallowedGlobalException(String global) {
      super("refused to load " + global + ": it is not on the allow-list of PyTorch tensor and "
          + "torch.nn layer types (a pickle can run arbitrary code; Sequent never executes it)");
      this.global = global;
    }
  }
}
