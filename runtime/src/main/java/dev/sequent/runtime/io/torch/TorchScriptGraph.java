package dev.sequent.runtime.io.torch;

import dev.sequent.model.Shape;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.PickledModule;
import dev.sequent.runtime.io.torch.RestrictedUnpickler.TensorRef;
import dev.sequent.runtime.io.torch.TorchScriptCode.ClassInfo;
import dev.sequent.runtime.io.torch.TorchScriptOps.Schema;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Assign;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Attr;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Call;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Const;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Evaluate;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Expr;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.If;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Index;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Method;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Name;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Negate;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Other;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Return;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Sequence;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Stmt;
import dev.sequent.runtime.io.torch.TorchScriptSyntax.Unparsed;
import dev.sequent.runtime.io.torch.export.ExportedProgram;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.ExportedProgram.OtherArg;
import dev.sequent.runtime.io.torch.export.ExportedProgram.Placeholder;
import dev.sequent.runtime.io.torch.export.ExportedProgram.Role;
import dev.sequent.runtime.io.torch.export.ExportedProgram.SymArg;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorArg;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A TorchScript module's {@code forward}, with every submodule's forward inlined into it, as one
 * graph of ATen calls: the {@link ExportedProgram} a {@code torch.export} of the same module would
 * be, lowered onto Sequent's network model by the export reader (one op table for both formats).
 *
 * <p>The code is run symbolically: the module tree is the archive's {@code data.pkl}, so {@code
 * self.layer1}, {@code getattr(self, "0")} and {@code self.training} are known at load time; a
 * parameter or buffer becomes the placeholder of its state_dict name ({@code layer1.0.conv1.weight});
 * each {@code torch.<op>} call ({@link TorchScriptOps}) becomes a node with its arguments by schema
 * name and its outputs' sizes (an archive records none; they follow from the input shape, which the
 * caller gives, the batch a symbol). Python-level arithmetic and comparisons on values known at load
 * time are done here, so an {@code if} whose condition is known (an attribute, {@code self.training},
 * a rank) takes its branch; an {@code if} on a computed value, a loop, or an op with no translation
 * is refused. Every refusal is collected, with its file and line in the archive, and reported at once.
 */
final class TorchScriptGraph {
  private static final int MAX_DEPTH = 256;
  /** The {@code torch.*} functions of Python values (sizes, comparisons, int arithmetic) computed at load time. */
  private static final Set<String> PYTHON = Set.of("size", "dim", "len", "eq", "ne", "lt", "le", "gt", "ge", "__is__",
      "__isnot__", "__not__", "floordiv", "floor_divide", "format", "append", "list", "__contains__");
  private static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  /** A submodule of the tree, at its module path ("" for the root). */
  private record ModuleRef(PickledModule module, String path) {}

  /** A free function of the archive's code ({@code __torch__.torch.nn.functional.relu}). */
  private record FunctionRef(Method method) {}

  /** A tensor value of the graph. */
  private record TensorValue(String name) {}

  /** An integer known only when the model runs (a size on the batch axis). */
  private record SymInt(String expr) {}

  /** A value that cannot be given to an op, with why; reported where it is used. */
  private record Opaque(String why) {}

  /** The result of something already refused: its uses are not reported again. */
  private record Refused() {}

  /** The method being run, for messages. */
  private record Frame(Method method, Map<String, Object> locals) {}

  private static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  private final TorchScriptCode code;
  private final Set<String> fileTensors;
  private final Map<String, Map<String, Map<String, Method>>> parsedFiles = new HashMap<>();
  private final Map<String, TensorMeta> metas = new LinkedHashMap<>();
  private final List<AtenNode> nodes = new ArrayList<>();
  private final List<Placeholder> placeholders = new ArrayList<>();
  private final Map<String, String> paramValues = new HashMap<>();
  private final Map<String, Integer> used = new HashMap<>();
  private final Map<String, List<String>> unknownOps = new TreeMap<>();
  private final List<String> refusals = new ArrayList<>();
  private final List<String> inputs = new ArrayList<>();
  private int depth;

  TorchScriptGraph(TorchScriptCode code, Set<String> fileTensors) {
    this.code = code;
    this.fileTensors = Set.copyOf(fileTensors);
  }

  /**
   * The root module's forward as a program.
   *
   * @param inputShape the sample shape of the input (a TorchScript archive does not record it)
   * @throws UnsupportedArchitectureException naming every construct and op that stands in the way
   */
  ExportedProgram program(PickledModule root, Optional<Shape> inputShape) {
    Method forward = method(root, "forward").orElseThrow(() -> new UnsupportedArchitectureException(
        RuntimeMessage.TORCHSCRIPT_NO_FORWARD.format(TorchScriptModules.className(root.className))));
    List<String> params = forward.params().subList(1, forward.params().size());
    // one input; others only with their defaults (TransformerEncoder's mask=None, ...), which are used
    if (params.isEmpty() || params.stream().skip(1).anyMatch(p -> !forward.defaults().containsKey(p))) {
      throw new UnsupportedArchitectureException(RuntimeMessage.TORCHSCRIPT_INPUTS.format(params));
    }
    if (inputShape.isEmpty()) {
      throw new UnsupportedArchitectureException(RuntimeMessage.TORCHSCRIPT_INPUT_SHAPE.format(
          TorchScriptModules.className(root.className)));
    }
    String input = fresh(params.get(0));
    List<Object> sizes = new ArrayList<>();
    sizes.add(TorchScriptOps.BATCH);
    sizes.addAll(inputShape.get().dims());
    metas.put(input, new TensorMeta(TorchScriptOps.FLOAT, sizes));
    inputs.add(input);
    List<String> outputs = new ArrayList<>();
    Object result;
    try {
      result = invoke(forward, List.of(new ModuleRef(root, ""), new TensorValue(input)), Map.of());
    } catch (Abort e) {
      result = new Refused();
    }
    for (Object out : result instanceof List<?> l ? l : List.of(result)) {
      if (out instanceof TensorValue t) {
        outputs.add(t.name());
      } else if (!(out instanceof Refused)) {
        refusals.add(RuntimeMessage.TORCHSCRIPT_OUTPUT.format(describe(out)));
      }
    }
    if (!unknownOps.isEmpty() || !refusals.isEmpty()) {
      throw new UnsupportedArchitectureException(message(root));
    }
    List<Placeholder> all = new ArrayList<>(placeholders);
    all.add(new Placeholder(input, Role.USER_INPUT, input, "user_input"));
    return new ExportedProgram(-1, -1, "TorchScript", all, nodes, outputs, metas);
  }

  private String message(PickledModule root) {
    List<String> parts = new ArrayList<>();
    if (!unknownOps.isEmpty()) {
      parts.add(RuntimeMessage.TORCHSCRIPT_OPS_NOT_SUPPORTED.format(unknownOps.entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue().size() + (e.getValue().size() == 1 ? " call: " : " calls: ")
              + e.getValue().stream().limit(3).collect(Collectors.joining(", "))
              + (e.getValue().size() > 3 ? ", ..." : "") + ")")
          .collect(Collectors.joining(", "))));
    }
    if (!refusals.isEmpty()) {
      parts.add(RuntimeMessage.EXPORT_CONSTRUCTS_NOT_SUPPORTED.format(String.join("; ", refusals)));
    }
    return RuntimeMessage.TORCHSCRIPT_REFUSED.format(TorchScriptModules.className(root.className),
        String.join(". ", parts));
  }

  // ------------------------------------------------------------------------------ methods

  private Optional<Method> method(PickledModule m, String name) {
    String qualified = m.className;
    int dot = qualified.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String file = qualified.substring(0, dot).replace('.', '/') + ".py";
    Map<String, Map<String, Method>> classes = parsedFiles.computeIfAbsent(file,
        f -> code.source(f).map(s -> TorchScriptSyntax.parse("code/" + f, s)).orElse(Map.of()));
    return Optional.ofNullable(classes.getOrDefault(qualified.substring(dot + 1), Map.of()).get(name));
  }

  /** The free function {@code __torch__.a.b.f}, in {@code code/__torch__/a/b.py}. */
  private Optional<Method> function(String qualified) {
    int dot = qualified.lastIndexOf('.');
    String file = qualified.substring(0, dot).replace('.', '/') + ".py";
    Map<String, Map<String, Method>> classes = parsedFiles.computeIfAbsent(file,
        f -> code.source(f).map(s -> TorchScriptSyntax.parse("code/" + f, s)).orElse(Map.of()));
    return Optional.ofNullable(classes.getOrDefault(TorchScriptSyntax.FUNCTIONS, Map.of())
        .get(qualified.substring(dot + 1)));
  }

  /** Runs a method (its {@code self} the first argument) or a function, its defaults filling what is not passed. */
  private Object invoke(Method method, List<Object> args, Map<String, Object> kwargs) {
    if (++depth > MAX_DEPTH) {
      refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("calls nested deeper than " + MAX_DEPTH,
          where(method, method.line())));
      throw new Abort();
    }
    try {
      Map<String, Object> locals = new HashMap<>();
      Frame frame = new Frame(method, locals);
      Frame defaults = new Frame(method, new HashMap<>());
      List<String> params = method.params();
      for (int i = 0; i < params.size(); i++) {
        String p = params.get(i);
        if (i < args.size()) {
          locals.put(p, args.get(i));
        } else if (kwargs.containsKey(p)) {
          locals.put(p, kwargs.get(p));
        } else if (method.defaults().containsKey(p)) {
          locals.put(p, eval(defaults, method.defaults().get(p), method.line()));
        } else {
          refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("a call of " + method.name() + " without its "
              + "argument " + p, where(method, method.line())));
          throw new Abort();
        }
      }
      Object result = run(frame, method.body());
      return result == null ? NONE : result;
    } finally {
      depth--;
    }
  }

  /** Runs statements; the returned value, or null when the block ends without a return. */
  private Object run(Frame f, List<Stmt> body) {
    for (Stmt s : body) {
      if (s instanceof Assign a) {
        Object v = eval(f, a.value(), a.line());
        if (a.targets().size() == 1) {
          f.locals().put(a.targets().get(0), v);
        } else if (v instanceof List<?> l && l.size() == a.targets().size()) {
          for (int i = 0; i < l.size(); i++) {
            f.locals().put(a.targets().get(i), l.get(i));
          }
        } else {
          for (String t : a.targets()) {
            f.locals().put(t, v instanceof Refused ? v : new Opaque("an element of " + describe(v)));
          }
        }
      } else if (s instanceof Return r) {
        return eval(f, r.value(), r.line());
      } else if (s instanceof Evaluate e) {
        eval(f, e.value(), e.line());
      } else if (s instanceof If i) {
        Object c = eval(f, i.condition(), i.line());
        if (!(c instanceof Boolean b)) {
          if (!(c instanceof Refused)) {
            refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("an if on " + describe(c)
                + ", known only when the model runs", where(f.method(), i.line())));
          }
          // what either branch assigns is unknown: go on, so that the rest is reported too
          assigned(i.then(), f.locals());
          assigned(i.otherwise(), f.locals());
          continue;
        }
        Object result = run(f, b ? i.then() : i.otherwise());
        if (result != null) {
          return result;
        }
      } else if (s instanceof Other o) {
        refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("the statement \"" + abbreviate(o.text())
            + "\"", where(f.method(), o.line())));
      }
    }
    return null;
  }

  /** Binds every name the statements assign to a refused value. */
  private static void assigned(List<Stmt> body, Map<String, Object> locals) {
    for (Stmt s : body) {
      if (s instanceof Assign a) {
        a.targets().forEach(t -> locals.put(t, new Refused()));
      } else if (s instanceof If i) {
        assigned(i.then(), locals);
        assigned(i.otherwise(), locals);
      }
    }
  }

  // ------------------------------------------------------------------------------ expressions

  private Object eval(Frame f, Expr e, int line) {
    if (e instanceof Const c) {
      return c.value() == null ? NONE : c.value();
    }
    if (e instanceof Name n) {
      Object v = f.locals().get(n.id());
      if (v == null) {
        refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("the name " + n.id(), where(f.method(), line)));
        return new Refused();
      }
      return v;
    }
    if (e instanceof Sequence s) {
      List<Object> items = new ArrayList<>();
      for (Expr item : s.items()) {
        items.add(eval(f, item, line));
      }
      return items;
    }
    if (e instanceof Negate n) {
      Object v = eval(f, n.operand(), line);
      return v instanceof Integer i ? (Object) (-i) : v instanceof Double d ? (Object) (-d)
          : opaque(f, line, "the negation of " + describe(v));
    }
    if (e instanceof Attr a) {
      return attribute(f, a, line);
    }
    if (e instanceof Index i) {
      Object target = eval(f, i.target(), line);
      Object index = eval(f, i.index(), line);
      if (target instanceof List<?> l && index instanceof Integer k && Math.abs(k) <= l.size() && k != l.size()) {
        return l.get(k < 0 ? k + l.size() : k);
      }
      return opaque(f, line, "an index into " + describe(target));
    }
    if (e instanceof Call c) {
      return call(f, c, line);
    }
    Unparsed u = (Unparsed) e;
    refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("the expression \"" + abbreviate(u.text()) + "\"",
        where(f.method(), line)));
    return new Refused();
  }

  private Object attribute(Frame f, Attr a, int line) {
    if (a.target() instanceof Name n && n.id().equals("CONSTANTS") && !f.locals().containsKey("CONSTANTS")) {
      return new Opaque(RuntimeMessage.TORCHSCRIPT_CONSTANT_TENSOR.format(a.name()));
    }
    Optional<String> qualified = dotted(f, a);
    if (qualified.isPresent() && qualified.get().startsWith(RestrictedUnpickler.TORCHSCRIPT_PREFIX)) {
      Optional<Method> function = function(qualified.get());
      return function.isPresent() ? new FunctionRef(function.get())
          : opaque(f, line, "the function " + qualified.get() + ", which the archive's code does not define");
    }
    Object target = eval(f, a.target(), line);
    if (target instanceof ModuleRef m) {
      return member(f, m, a.name(), line);
    }
    if (target instanceof Refused) {
      return target;
    }
    return opaque(f, line, "the attribute " + a.name() + " of " + describe(target));
  }

  /** A module's attribute: a submodule, a parameter or buffer, a constant of its class, or a plain value. */
  private Object member(Frame f, ModuleRef m, String name, int line) {
    String path = m.path().isEmpty() ? name : m.path() + "." + name;
    if (!m.module().state.containsKey(name)) {
      Optional<ClassInfo> info = code.classInfo(m.module().className);
      if (info.isPresent() && info.get().constants().containsKey(name)) {
        Object v = info.get().constants().get(name);
        return v == null ? NONE : v;
      }
      return opaque(f, line, "the attribute " + path + ", which the archive does not hold");
    }
    Object v = m.module().state.get(name);
    if (v instanceof PickledModule child) {
      return new ModuleRef(child, path);
    }
    if (v instanceof TensorRef ref) {
      return parameter(path, ref);
    }
    if (v instanceof List<?> l && l.stream().anyMatch(TensorRef.class::isInstance)) {
      // a list of the module's own tensors (an RNN's _flat_weights): each by the attribute that holds it
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(x instanceof TensorRef ref ? ownTensor(m, ref) : PickledValues.plain(x));
      }
      return out;
    }
    Object plain = PickledValues.plain(v);
    return plain == null ? NONE : plain;
  }

  private Object ownTensor(ModuleRef m, TensorRef ref) {
    for (Map.Entry<Object, Object> e : m.module().state.entrySet()) {
      if (e.getValue() == ref) {
        return parameter(m.path().isEmpty() ? String.valueOf(e.getKey()) : m.path() + "." + e.getKey(), ref);
      }
    }
    return new Opaque("a tensor of " + (m.path().isEmpty() ? "the module" : m.path()) + " that is not one of its "
        + "parameters or buffers");
  }

  private Object parameter(String stateDictName, TensorRef ref) {
    if (!fileTensors.contains(stateDictName)) {
      return new Opaque(RuntimeMessage.EXPORT_TENSOR_NOT_PLAIN.format(stateDictName));
    }
    String name = paramValues.get(stateDictName);
    if (name == null) {
      name = fresh("p_" + stateDictName.replaceAll("\\W", "_"));
      paramValues.put(stateDictName, name);
      List<Object> sizes = new ArrayList<>();
      for (long s : ref.size()) {
        sizes.add((int) s);
      }
      metas.put(name, new TensorMeta(TorchScriptOps.FLOAT, sizes));
      placeholders.add(new Placeholder(name, Role.PARAMETER, stateDictName, "parameter"));
    }
    return new TensorValue(name);
  }

  private Object call(Frame f, Call c, int line) {
    Optional<String> name = dotted(f, c.function());
    // (m).forward(x), (self)._conv_forward(...): a method of a module
    if (c.function() instanceof Attr a && name.isEmpty()) {
      Object target = eval(f, a.target(), line);
      if (target instanceof Refused) {
        return target;
      }
      if (target instanceof ModuleRef m) {
        Optional<Method> method = method(m.module(), a.name());
        if (method.isEmpty()) {
          return opaque(f, line, "the method " + a.name() + " of " + TorchScriptModules.className(m.module().className)
              + ", which its code does not define");
        }
        List<Object> args = new ArrayList<>();
        args.add(m);
        args.addAll(arguments(f, c, line));
        return invoke(method.get(), args, keywords(f, c, line));
      }
      return opaque(f, line, "the method " + a.name() + " of " + describe(target));
    }
    String function = name.orElse("?");
    switch (function) {
      case "annotate", "unchecked_cast" -> {
        // the first argument is a type (List[int]), not a value
        return c.args().size() == 2 ? eval(f, c.args().get(1), line) : opaque(f, line, function + " " + c.args());
      }
      case "uninitialized" -> {
        return new Opaque("an uninitialized value");
      }
      default -> {
        // evaluated below
      }
    }
    Object callee = name.isPresent() && function.startsWith(RestrictedUnpickler.TORCHSCRIPT_PREFIX)
        ? eval(f, c.function(), line) : name.isEmpty() ? eval(f, c.function(), line) : null;
    if (callee instanceof Refused) {
      return callee;
    }
    if (callee instanceof FunctionRef fn) {
      return invoke(fn.method(), arguments(f, c, line), keywords(f, c, line));
    }
    if (callee != null) {
      return opaque(f, line, "a call of " + describe(callee));
    }
    List<Object> args = arguments(f, c, line);
    Map<String, Object> kwargs = keywords(f, c, line);
    switch (function) {
      case "getattr" -> {
        if (args.size() == 2 && args.get(0) instanceof ModuleRef m && args.get(1) instanceof String attr) {
          return member(f, m, attr, line);
        }
        return opaque(f, line, "getattr of " + args);
      }
      case "ops.prim.NumToTensor", "int", "float", "torch.Int", "torch.Float" -> {
        return args.size() == 1 ? numeric(function, args.get(0)) : opaque(f, line, function + args);
      }
      case "bool" -> {
        if (args.size() == 1 && args.get(0) instanceof Number n) {
          return n.doubleValue() != 0;
        }
        return args.size() == 1 && (args.get(0) instanceof Boolean || args.get(0) instanceof Refused) ? args.get(0)
            : opaque(f, line, "bool of " + describe(args.get(0)));
      }
      case "ops.prim.dtype" -> {
        return args.size() == 1 && args.get(0) instanceof TensorValue t ? (Object) metas.get(t.name()).dtype()
            : args.size() == 1 && args.get(0) instanceof Refused r ? r : opaque(f, line, "the dtype of " + args);
      }
      case "ops.prim.is_nested" -> {
        return args.size() == 1 && args.get(0) instanceof TensorValue ? (Object) Boolean.FALSE
            : args.size() == 1 && args.get(0) instanceof Refused r ? r : opaque(f, line, "is_nested of " + args);
      }
      case "ops.prim.device" -> {
        return new OtherArg("as_device", "the input's device");
      }
      case "torch.device" -> {
        return new OtherArg("as_device", String.valueOf(args));
      }
      case "torch.jit.is_scripting", "torch.jit._is_scripting" -> {
        return Boolean.TRUE;
      }
      case "torch.jit.is_tracing", "torch._C._get_tracing_state" -> {
        return Boolean.FALSE;
      }
      case "ops.prim.RaiseException" -> {
        refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format("an exception raised: " + args,
            where(f.method(), line)));
        throw new Abort();
      }
      default -> {
        // fall through to the ops
      }
    }
    if (function.startsWith("torch.")) {
      String op = function.substring("torch.".length());
      Optional<Object> python = python(op, args);
      if (python.isPresent()) {
        return python.get();
      }
      return op(f, op, args, kwargs, line);
    }
    unknownOps.computeIfAbsent(function, k -> new ArrayList<>()).add(where(f.method(), line));
    return new Refused();
  }

  private List<Object> arguments(Frame f, Call c, int line) {
    List<Object> args = new ArrayList<>();
    for (Expr arg : c.args()) {
      args.add(eval(f, arg, line));
    }
    return args;
  }

  private Map<String, Object> keywords(Frame f, Call c, int line) {
    Map<String, Object> kwargs = new LinkedHashMap<>();
    c.kwargs().forEach((k, v) -> kwargs.put(k, eval(f, v, line)));
    return kwargs;
  }

  /** {@code torch.a.b} for a chain of names that does not start at a local variable. */
  private static Optional<String> dotted(Frame f, Expr e) {
    if (e instanceof Name n) {
      return f.locals().containsKey(n.id()) ? Optional.empty() : Optional.of(n.id());
    }
    if (e instanceof Attr a) {
      return dotted(f, a.target()).map(s -> s + "." + a.name());
    }
    return Optional.empty();
  }

  private static Object numeric(String function, Object v) {
    if (v instanceof Number n) {
      return function.equals("float") || function.equals("torch.Float") ? (Object) n.doubleValue()
          : function.equals("ops.prim.NumToTensor") ? n : (Object) n.intValue();
    }
    return v; // a symbolic size stays one; a tensor stays a tensor (NumToTensor of a size)
  }

  /**
   * {@code torch.eq}, {@code torch.add}, {@code torch.size}, ... on values known at load time (and
   * {@code torch.size} of a tensor, whose sizes are known but the batch's): computed here, no node.
   */
  private Optional<Object> python(String op, List<Object> args) {
    if (op.equals("size") && !args.isEmpty() && args.get(0) instanceof TensorValue t) {
      List<Object> sizes = metas.get(t.name()).sizes();
      if (args.size() == 1) {
        return Optional.of(sizes.stream().map(TorchScriptGraph::size).toList());
      }
      if (args.get(1) instanceof Integer d && Math.abs(d) <= sizes.size()) {
        return Optional.of(size(sizes.get(d < 0 ? d + sizes.size() : d)));
      }
    }
    if (op.equals("dim") && args.size() == 1 && args.get(0) instanceof TensorValue t) {
      return Optional.of(metas.get(t.name()).rank());
    }
    if (op.equals("append") && args.size() == 2 && args.get(0) instanceof List<?> l && !(args.get(1) instanceof Refused)) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) l; // a list the code built (a literal, annotate(List[T], []))
      try {
        list.add(args.get(1));
        return Optional.of(list);
      } catch (UnsupportedOperationException e) {
        return Optional.empty();
      }
    }
    if (op.equals("list") && args.size() == 1 && args.get(0) instanceof List<?> l) {
      return Optional.of(new ArrayList<>(l));
    }
    if (op.equals("__contains__") && args.size() == 2 && args.get(0) instanceof List<?> l && known(args.get(1))) {
      return Optional.of(l.contains(args.get(1)));
    }
    if (PYTHON.contains(op) && args.stream().anyMatch(a -> a instanceof Refused)) {
      return Optional.of(new Refused()); // of a value already refused: not reported again
    }
    if (args.stream().anyMatch(a -> a instanceof TensorValue || a instanceof Refused || a instanceof Opaque)) {
      return Optional.empty();
    }
    Object a = args.isEmpty() ? null : args.get(0);
    Object b = args.size() > 1 ? args.get(1) : null;
    switch (op) {
      case "__is__", "__isnot__" -> {
        if (args.size() == 2 && (a == NONE || b == NONE)) {
          return Optional.of((a == b) == op.equals("__is__"));
        }
        return args.size() == 2 && known(a) && known(b) ? Optional.of(Objects.equals(a, b) == op.equals("__is__"))
            : Optional.empty();
      }
      case "eq" -> {
        return args.size() == 2 && known(a) && known(b) ? Optional.of(Objects.equals(a, b)) : Optional.empty();
      }
      case "ne" -> {
        return args.size() == 2 && known(a) && known(b) ? Optional.of(!Objects.equals(a, b)) : Optional.empty();
      }
      case "__not__" -> {
        return a instanceof Boolean x ? Optional.of(!x) : Optional.empty();
      }
      case "len" -> {
        return a instanceof List<?> l ? Optional.of(l.size())
            : a instanceof String str ? Optional.of(str.length()) : Optional.empty();
      }
      default -> {
        // arithmetic and comparisons below
      }
    }
    if (a instanceof Integer x && b instanceof Integer y) {
      switch (op) {
        case "add" -> {
          return Optional.of(x + y);
        }
        case "sub" -> {
          return Optional.of(x - y);
        }
        case "mul" -> {
          return Optional.of(x * y);
        }
        case "floordiv", "floor_divide" -> {
          return y == 0 ? Optional.empty() : Optional.of(Math.floorDiv(x, y));
        }
        default -> {
          // comparisons below
        }
      }
    }
    if (a instanceof Number x && b instanceof Number y) {
      double p = x.doubleValue();
      double q = y.doubleValue();
      return switch (op) {
        case "add" -> Optional.of(p + q);
        case "sub" -> Optional.of(p - q);
        case "mul" -> Optional.of(p * q);
        case "div" -> Optional.of(p / q);
        case "lt" -> Optional.of(p < q);
        case "le" -> Optional.of(p <= q);
        case "gt" -> Optional.of(p > q);
        case "ge" -> Optional.of(p >= q);
        case "eq" -> Optional.of(p == q);
        case "ne" -> Optional.of(p != q);
        default -> Optional.empty();
      };
    }
    if ((a instanceof SymInt || b instanceof SymInt) && (a instanceof Integer || a instanceof SymInt)
        && (b instanceof Integer || b instanceof SymInt)) {
      String sa = a instanceof SymInt s ? s.expr() : String.valueOf(a);
      String sb = b instanceof SymInt s ? s.expr() : String.valueOf(b);
      return switch (op) {
        case "mul" -> Optional.of(new SymInt(sa + "*" + sb));
        case "add" -> Optional.of(new SymInt(sa + "+" + sb));
        case "sub" -> Optional.of(new SymInt(sa + "-" + sb));
        case "floordiv", "floor_divide" -> Optional.of(new SymInt(sa + "//" + sb));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private static boolean known(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().allMatch(x -> known(x) || x instanceof SymInt);
    }
    return v == NONE || v instanceof Number || v instanceof String || v instanceof Boolean;
  }

  private static Object size(Object s) {
    return s instanceof Integer ? s : new SymInt(String.valueOf(s));
  }

  // ------------------------------------------------------------------------------ ops

  private Object op(Frame f, String op, List<Object> args, Map<String, Object> kwargs, int line) {
    Optional<TorchScriptOps.Composite> composite = TorchScriptOps.composite(op);
    if (composite.isPresent()) {
      List<String> names = composite.get().names();
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        named.put(names.get(i), i < args.size() ? args.get(i) : kwargs.getOrDefault(names.get(i), NONE));
      }
      return composite.get().expansion().expand(named,
          (sub, subArgs) -> op(f, sub, java.util.Arrays.asList(subArgs), Map.of(), line));
    }
    Optional<Schema> schema = TorchScriptOps.schema(op);
    if (schema.isEmpty()) {
      unknownOps.computeIfAbsent("torch." + op, k -> new ArrayList<>()).add(where(f.method(), line));
      return new Refused();
    }
    Schema s = schema.get();
    if (args.size() > s.names().size()) {
      return opaque(f, line, "torch." + op + " with " + args.size() + " arguments (its schema has "
          + s.names().size() + ")");
    }
    Map<String, Object> named = new LinkedHashMap<>();
    List<Object> all = new ArrayList<>(args);
    for (int i = 0; i < args.size(); i++) {
      named.put(s.names().get(i), args.get(i));
    }
    kwargs.forEach((k, v) -> {
      named.put(k, v);
      all.add(v);
    });
    for (Object v : all) {
      String why = unusable(v);
      if (why != null) {
        if (!why.isEmpty()) {
          refusals.add(RuntimeMessage.TORCHSCRIPT_ARGUMENT.format("torch." + op, why, where(f.method(), line)));
        }
        return s.outputs() == 1 ? new Refused() : java.util.Collections.nCopies(s.outputs(), new Refused());
      }
    }
    Map<String, Object> converted = new LinkedHashMap<>();
    named.forEach((k, v) -> converted.put(k, convert(v)));
    List<TensorMeta> outs;
    try {
      outs = s.shape().outputs(converted, metas);
    } catch (RuntimeException e) {
      refusals.add(RuntimeMessage.TORCHSCRIPT_SIZES.format("torch." + op, String.valueOf(e.getMessage()),
          where(f.method(), line)));
      return s.outputs() == 1 ? new Refused() : java.util.Collections.nCopies(s.outputs(), new Refused());
    }
    // a slice that keeps its whole axis (x[:, -1] traces to one before the select) is the tensor itself
    if (op.equals("slice") && converted.get("self") instanceof TensorArg t && metas.get(t.name()).equals(outs.get(0))) {
      return new TensorValue(t.name());
    }
    if (op.equals("embedding") && converted.get("indices") instanceof TensorArg t && inputs.contains(t.name())) {
      // the model's input is token ids: integer, as the embedding reads it
      metas.put(t.name(), new TensorMeta(TorchScriptOps.LONG, metas.get(t.name()).sizes()));
    }
    String node = fresh(op.endsWith("_") ? op.substring(0, op.length() - 1) : op);
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < s.outputs(); i++) {
      String out = i == 0 ? node : fresh(node + "_out" + i);
      outputs.add(out);
      metas.put(out, outs.get(Math.min(i, outs.size() - 1)));
    }
    nodes.add(new AtenNode(node, "torch.ops." + s.op(converted), converted, outputs, ""));
    if (s.outputs() == 1) {
      return new TensorValue(outputs.get(0));
    }
    return outputs.stream().map(o -> (Object) new TensorValue(o)).toList();
  }

  /** Why a value cannot be an op's argument ("" when already reported), or null when it can. */
  private static String unusable(Object v) {
    if (v instanceof Refused) {
      return "";
    }
    if (v instanceof Opaque o) {
      return o.why();
    }
    if (v instanceof ModuleRef m) {
      return "the module " + (m.path().isEmpty() ? "self" : m.path());
    }
    if (v instanceof List<?> l) {
      for (Object x : l) {
        String why = unusable(x);
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  /** A value as an exported program's argument. */
  private static Object convert(Object v) {
    if (v == NONE) {
      return null;
    }
    if (v instanceof TensorValue t) {
      return new TensorArg(t.name());
    }
    if (v instanceof SymInt s) {
      return new SymArg(s.expr());
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(convert(x));
      }
      return java.util.Collections.unmodifiableList(out);
    }
    return v;
  }

  // ------------------------------------------------------------------------------ helpers

  private Object opaque(Frame f, int line, String what) {
    refusals.add(RuntimeMessage.TORCHSCRIPT_CONSTRUCT.format(what, where(f.method(), line)));
    return new Refused();
  }

  private static String where(Method m, int line) {
    return m.file() + ":" + line;
  }

  private String fresh(String base) {
    String name = base;
    for (int i = used.getOrDefault(base, 0); used.containsKey(name); i++) {
      name = base + "_" + i;
    }
    used.merge(base, 1, Integer::sum);
    used.putIfAbsent(name, 1);
    return name;
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  private String describe(Object v) {
    if (v == NONE) {
      return "None";
    }
    if (v instanceof TensorValue t) {
      return "the tensor " + t.name();
    }
    if (v instanceof ModuleRef m) {
      return "the module " + (m.path().isEmpty() ? "self" : m.path());
    }
    if (v instanceof SymInt s) {
      return "the size " + s.expr();
    }
    if (v instanceof Opaque o) {
      return o.why();
    }
    return String.valueOf(v);
  }
}
