package dev.sequent.runtime.io.torch.export;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.torch.export.ExportedProgram.AtenNode;
import dev.sequent.runtime.io.torch.export.ExportedProgram.Placeholder;
import dev.sequent.runtime.io.torch.export.ExportedProgram.Role;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorArg;
import dev.sequent.runtime.io.torch.export.ExportedProgram.TensorMeta;
import dev.sequent.runtime.io.torch.export.Value.Param;
import dev.sequent.runtime.io.torch.export.Value.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Lowers an {@link ExportedProgram} onto Sequent's network model: a {@link ModelSpec#graph} of the
 * torch-vocabulary layer records, one node per layer call, each layer with parameters named by the
 * module path its parameters' state_dict names share ({@code layer1.0.conv1} for {@code
 * layer1.0.conv1.weight}), so that the file's tensors pair with the model's parameters by name as a
 * state_dict's do. A module called twice is one node plus a node that shares its weights.
 *
 * <p>Each node goes to the translator of its op ({@link AtenOps}). Everything that cannot be
 * lowered is collected, not thrown at the first: ops with no translator (with how many nodes use
 * each) and nodes a translator refused (with why), and the program is refused once, naming all of
 * them. The batch axis is axis 0 of every model input and stays axis 0 throughout; a static batch
 * in the program is read as a dynamic one (the layers Sequent builds do not depend on it), and any
 * other dynamic size is refused unless the caller gives the input shape.
 */
final class ExportLowering {
  private final ExportedProgram program;
  private final Set<String> fileTensors;
  private final Map<String, Value> values = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final Set<String> reserved = new HashSet<>();
  private final Map<String, String> ownerOfPrefix = new HashMap<>();
  private final Map<String, List<AtenNode>> users = new HashMap<>();
  private final Set<AtenNode> consumed = new HashSet<>();
  private final Map<String, List<String>> unknownOps = new TreeMap<>();
  private final List<String> refusals = new ArrayList<>();
  private final Map<String, String> qualifiedTorchModules = new HashMap<>();

  /** Why a translator refused a node: the reason, reported with the node and its op. */
  static final class Refusal extends RuntimeException {
    Refusal(String why) {
      super(why, null, false, false);
    }
  }

  ExportLowering(ExportedProgram program, Set<String> fileTensors) {
    this.program = program;
    this.fileTensors = Set.copyOf(fileTensors);
    for (String qualified : LayerKinds.torchModules()) {
      qualifiedTorchModules.putIfAbsent(qualified.substring(qualified.lastIndexOf('.') + 1), qualified);
    }
  }

  /**
   * The model, or an {@link UnsupportedArchitectureException} naming every op and construct that
   * stands in its way.
   *
   * @param inputShape the sample shape of the (single) input, for a program whose input has dynamic
   *     sizes besides the batch
   */
  ModelSpec build(String name, Optional<Shape> inputShape) {
    List<ModelSpec.Input> inputs = new ArrayList<>();
    for (Placeholder p : program.inputs()) {
      if (p.role() == Role.USER_INPUT) {
        reserved.add(p.name());
      } else if (p.role() != Role.OTHER) {
        reserved.add(modulePath(p.target()));
      }
    }
    for (Placeholder p : program.inputs()) {
      switch (p.role()) {
        case PARAMETER, BUFFER, CONSTANT -> values.put(p.name(), fileTensors.contains(p.target())
            ? new Param(p.target(), longs(meta(p.name())))
            : new Value.Unusable(RuntimeMessage.EXPORT_TENSOR_NOT_PLAIN.format(p.target())));
        case USER_INPUT -> {
          try {
            inputs.add(input(p, inputShape));
          } catch (Refusal e) {
            refusals.add(e.getMessage());
          }
        }
        case OTHER -> refusals.add(RuntimeMessage.EXPORT_INPUT_KIND.format(p.name(), p.specKind()));
      }
    }
    for (AtenNode n : program.nodes()) {
      for (Object arg : n.args().values()) {
        for (TensorArg t : tensorArgs(arg)) {
          users.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(n);
        }
      }
    }
    Map<AtenNode, List<AtenNode>> wholeModules = WholeModuleCalls.groups(program.nodes());
    List<String> wholeModuleRefusals = new ArrayList<>();
    for (AtenNode n : program.nodes()) {
      if (consumed.contains(n)) {
        continue;
      }
      List<AtenNode> group = wholeModules.get(n);
      if (group != null && group.stream().noneMatch(this::readsRefused)) {
        try {
          if (WholeModuleCalls.lower(group, this)) {
            consumed.addAll(group);
            continue;
          }
        } catch (Refusal e) {
          // read op by op instead; why the module was not read whole is told if that fails too
          wholeModuleRefusals.add(RuntimeMessage.EXPORT_WHOLE_MODULE_REFUSED.format(
              WholeModuleCalls.describe(group.get(0)), e.getMessage()));
        }
      }
      Optional<AtenTranslator> translator = AtenOps.translator(n.op());
      if (translator.isEmpty()) {
        unknownOps.computeIfAbsent(n.op(), k -> new ArrayList<>()).add(n.name());
        refuseOutputs(n);
        continue;
      }
      if (readsRefused(n)) {
        refuseOutputs(n);
        continue;
      }
      try {
        translator.get().lower(n, this);
      } catch (Refusal e) {
        refusals.add(RuntimeMessage.EXPORT_NODE_REFUSED.format(n.name(), n.op(), e.getMessage()));
        refuseOutputs(n);
      }
    }
    List<String> outputs = new ArrayList<>();
    for (String out : program.outputs()) {
      Value v = values.get(out);
      if (v instanceof Tensor t && !isInput(t.node(), inputs)) {
        outputs.add(t.node());
      } else if (!(v instanceof Value.Refused)) {
        refusals.add(RuntimeMessage.EXPORT_OUTPUT_NOT_COMPUTED.format(out, describe(v)));
      }
    }
    if (!unknownOps.isEmpty() || !refusals.isEmpty()) {
      refusals.addAll(wholeModuleRefusals);
      throw new UnsupportedArchitectureException(refusalMessage());
    }
    return ModelSpec.graph(name, ModelSpec.Style.MODULE, Framework.TORCH, inputs, nodes, outputs);
  }

  private static boolean isInput(String node, List<ModelSpec.Input> inputs) {
    return inputs.stream().anyMatch(i -> i.name().equals(node));
  }

  private String refusalMessage() {
    List<String> parts = new ArrayList<>();
    if (!unknownOps.isEmpty()) {
      parts.add(RuntimeMessage.EXPORT_OPS_NOT_SUPPORTED.format(unknownOps.entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue().size() + (e.getValue().size() == 1 ? " node: " : " nodes: ")
              + e.getValue().stream().limit(3).collect(Collectors.joining(", "))
              + (e.getValue().size() > 3 ? ", ..." : "") + ")")
          .collect(Collectors.joining(", "))));
    }
    if (!refusals.isEmpty()) {
      parts.add(RuntimeMessage.EXPORT_CONSTRUCTS_NOT_SUPPORTED.format(String.join("; ", refusals)));
    }
    return RuntimeMessage.EXPORT_PROGRAM_REFUSED.format(program.torchVersion(), String.join(". ", parts));
  }

  private ModelSpec.Input input(Placeholder p, Optional<Shape> given) {
    TensorMeta meta = meta(p.name());
    if (meta.rank() == 0) {
      throw new Refusal(RuntimeMessage.EXPORT_SCALAR_INPUT.format(p.name()));
    }
    List<Object> sizes = new ArrayList<>(meta.sizes());
    List<Integer> sample = new ArrayList<>();
    List<String> dynamic = new ArrayList<>();
    for (int i = 1; i < sizes.size(); i++) {
      if (sizes.get(i) instanceof Integer d) {
        sample.add(d);
      } else {
        dynamic.add("dimension " + i + " (" + sizes.get(i) + ")");
        sample.add(-1);
      }
    }
    Shape shape = new Shape(sample);
    if (!dynamic.isEmpty()) {
      if (given.isEmpty() || given.get().rank() != sample.size()) {
        refusals.add(RuntimeMessage.EXPORT_DYNAMIC_SAMPLE_SIZE.format(p.name(), String.join(", ", dynamic)));
      } else {
        shape = given.get();
        for (int i = 1; i < sizes.size(); i++) {
          sizes.set(i, shape.dim(i - 1));
        }
      }
    }
    values.put(p.name(), new Tensor(p.name(), sizes, ScalarTypes.isInteger(meta.dtype())));
    return new ModelSpec.Input(p.name(), shape);
  }

  // ------------------------------------------------------------------ what translators use

  /** Refuses the node being lowered. */
  static Refusal refuse(String why) {
    return new Refusal(why);
  }

  /** The recorded meta of a value. */
  TensorMeta meta(String valueName) {
    TensorMeta m = program.tensors().get(valueName);
    if (m == null) {
      throw new Refusal(RuntimeMessage.EXPORT_NO_TENSOR_META.format(valueName));
    }
    return m;
  }

  /** The value an argument names ({@code null} for an absent or None argument). */
  Value value(Object arg) {
    if (arg instanceof TensorArg t) {
      Value v = values.get(t.name());
      if (v == null) {
        throw new Refusal("reads " + t.name() + ", which the graph does not define before it");
      }
      if (v instanceof Value.Unusable u) {
        throw new Refusal(u.why());
      }
      return v;
    }
    return null;
  }

  /** The tensor argument {@code name}: a value the network computes. */
  Tensor tensor(AtenNode n, String name) {
    Object arg = n.arg(name, null);
    Value v = value(arg);
    if (v instanceof Tensor t) {
      return t;
    }
    throw new Refusal(RuntimeMessage.EXPORT_NOT_A_COMPUTED_TENSOR.format(name,
        arg == null || arg instanceof TensorArg ? describe(v) : "the constant " + arg));
  }

  /** The parameter argument {@code name}, if the call has one there. */
  Optional<Param> param(AtenNode n, String name) {
    Object arg = n.arg(name, null);
    if (arg == null) {
      return Optional.empty();
    }
    Value v = value(arg);
    if (v instanceof Param p) {
      return Optional.of(p);
    }
    throw new Refusal(RuntimeMessage.EXPORT_NOT_A_PARAMETER.format(name, describe(v)));
  }

  /** The nodes that read a value, in graph order. */
  List<AtenNode> users(String valueName) {
    return users.getOrDefault(valueName, List.of());
  }

  /** Marks a later node as lowered together with the current one (a recurrent layer's last-step select). */
  void consume(AtenNode later) {
    consumed.add(later);
  }

  void bind(String valueName, Value v) {
    values.put(valueName, v);
  }

  /** Binds the first output to {@code v}, every other to a value whose use is refused with {@code why}. */
  void bindFirst(AtenNode n, Value v, String whyNotOthers) {
    for (int i = 0; i < n.outputs().size(); i++) {
      values.put(n.outputs().get(i), i == 0 ? v : new Value.Unusable(whyNotOthers));
    }
  }

  /** The torch module class a kind reads under this simple name ({@code torch.nn.modules.conv.Conv2d}). */
  String torchModule(String simpleName) {
    String qualified = qualifiedTorchModules.get(simpleName);
    if (qualified == null) {
      throw new Refusal(RuntimeMessage.EXPORT_NO_LAYER_FOR_MODULE.format(simpleName));
    }
    return qualified;
  }

  /**
   * The layer the torch module {@code simpleName} with these parameters would be, read by the kind
   * that reads that module from the call's arguments ({@link LayerKind#tracedAttributes}), as a
   * traced TorchScript module's is, and its module path.
   *
   * @param call the call as a kind's {@code tracedAttributes} reads it (op named as TorchScript does)
   * @param params the parameters the call reads; all must belong to one module
   * @param extra attributes the call does not state, which the caller knows (an input's rank)
   */
  Module module(String simpleName, TracedCall call, List<Param> params, Map<String, Object> extra) {
    return module(simpleName, call, params, extra, params.isEmpty() ? "" : modulePath(params.get(0).name()), false);
  }

  /**
   * {@link #module} for a module whose parameters sit at or below {@code path} (a MultiheadAttention's
   * {@code out_proj.weight}), named locally from there.
   */
  Module module(String simpleName, TracedCall call, List<Param> params, Map<String, Object> extra, String path) {
    return module(simpleName, call, params, extra, path, true);
  }

  private Module module(String simpleName, TracedCall call, List<Param> params, Map<String, Object> extra,
      String path, boolean nested) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    for (Param p : params) {
      boolean inside = nested && !path.isEmpty() ? p.name().startsWith(path + ".") : modulePath(p.name()).equals(path);
      if (!inside) {
        throw new Refusal(RuntimeMessage.EXPORT_PARAMS_OF_SEVERAL_MODULES.format(
            params.stream().map(Param::name).toList()));
      }
      shapes.put(p.name().substring(path.isEmpty() ? 0 : path.length() + 1), p.shape());
      used.add(p.name());
    }
    String className = torchModule(simpleName);
    LayerKind<?> kind = LayerKinds.forTorchModule(className).orElseThrow();
    Map<String, Object> attributes = new LinkedHashMap<>(kind.tracedAttributes(simpleName, call, shapes));
    attributes.putAll(extra);
    try {
      return new Module(path, kind.fromTorch(new TorchModuleInput(path.isEmpty() ? simpleName : path, className,
          attributes, used::contains)), Set.copyOf(shapes.keySet()));
    } catch (UnsupportedLayerException | ShapeException e) {
      throw new Refusal(e.getMessage());
    }
  }

  /** A layer built by {@link #module}: its module path ("" for a parameterless one) and the local names of its tensors. */
  record Module(String path, LayerSpec layer, Set<String> locals) {}

  /** {@link #module} for a parameterless module, whose attributes are all in the call. */
  LayerSpec parameterless(String simpleName, TracedCall call, Map<String, Object> extra) {
    return module(simpleName, call, List.of(), extra).layer();
  }

  /**
   * Adds a node computing {@code layer} from {@code inputs}, binds the call's first output to it,
   * and returns it. A layer with parameters is named by their module path, and its parameter
   * names must be the ones the layer declares; a second call of the same module becomes a node
   * that shares the first one's weights.
   */
  Tensor emit(AtenNode n, LayerSpec layer, List<Tensor> inputs, Module module) {
    String owner = null;
    String name;
    if (!module.path().isEmpty()) {
      checkLocals(layer, inputs, module);
      owner = ownerOfPrefix.get(module.path());
      if (owner == null) {
        name = module.path();
        ownerOfPrefix.put(module.path(), name);
      } else {
        if (!nodes.get(nodeIndex.get(owner)).layer().equals(layer)) {
          throw new Refusal(RuntimeMessage.EXPORT_MODULE_REUSED_DIFFERENTLY.format(module.path()));
        }
        name = fresh(n.name());
      }
    } else {
      name = fresh(n.name());
    }
    try {
      layer.outputShape(inputs.stream().map(ExportLowering::sample).toList());
    } catch (ShapeException e) {
      throw new Refusal(e.getMessage());
    }
    nodeIndex.put(name, nodes.size());
    nodes.add(new Node(name, layer, inputs.stream().map(Tensor::node).toList(), owner));
    reserved.add(name);
    String out = n.outputs().get(0);
    Tensor t = new Tensor(name, meta(out).sizes(), ScalarTypes.isInteger(meta(out).dtype()));
    bindFirst(n, t, RuntimeMessage.EXPORT_SECOND_OUTPUT.format(n.op()));
    return t;
  }

  /**
   * Adds a parameterless node computing output {@code output} of a node with several outputs
   * ({@code split}'s pieces, each its own layer), binds that output to it and returns it; the other
   * outputs keep their bindings.
   */
  Tensor emitOutput(AtenNode n, int output, LayerSpec layer, List<Tensor> inputs) {
    String out = n.outputs().get(output);
    try {
      layer.outputShape(inputs.stream().map(ExportLowering::sample).toList());
    } catch (ShapeException e) {
      throw new Refusal(e.getMessage());
    }
    String name = fresh(out);
    nodeIndex.put(name, nodes.size());
    nodes.add(new Node(name, layer, inputs.stream().map(Tensor::node).toList(), null));
    reserved.add(name);
    Tensor t = new Tensor(name, meta(out).sizes(), ScalarTypes.isInteger(meta(out).dtype()));
    values.put(out, t);
    return t;
  }

  /** Whether a state_dict name is a parameter of the program (rather than a buffer or constant). */
  boolean isParameter(String stateDictName) {
    return program.inputs().stream().anyMatch(p -> p.role() == Role.PARAMETER && p.target().equals(stateDictName));
  }

  /** Whether the module path already names a node computing another layer. */
  boolean pathTakenByAnotherLayer(String path, LayerSpec layer) {
    String owner = ownerOfPrefix.get(path);
    return owner != null && !nodes.get(nodeIndex.get(owner)).layer().equals(layer);
  }

  /** The program being lowered. */
  ExportedProgram program() {
    return program;
  }

  /** Whether a value is an output of the program. */
  boolean isProgramOutput(String valueName) {
    return program.outputs().contains(valueName);
  }

  /** Whether a value is read by a later node or is an output of the program. */
  boolean used(String valueName) {
    return users.containsKey(valueName) || program.outputs().contains(valueName);
  }

  /** {@link #emit} for a parameterless layer. */
  Tensor emit(AtenNode n, LayerSpec layer, List<Tensor> inputs) {
    return emit(n, layer, inputs, new Module("", layer, Set.of()));
  }

  /** The sample shape of a computed tensor (its sizes after the batch axis). */
  static Shape sample(Tensor t) {
    List<Integer> dims = new ArrayList<>();
    for (Object s : t.sizes().subList(1, t.sizes().size())) {
      if (!(s instanceof Integer d)) {
        throw new Refusal(RuntimeMessage.EXPORT_DYNAMIC_SIZE.format(t.node(), s));
      }
      dims.add(d);
    }
    return new Shape(dims);
  }

  /** The batch axis is kept: the output's axis 0 is the input's (the same symbol, or the same static size). */
  void keepsBatch(Tensor in, AtenNode n) {
    Object out = meta(n.outputs().get(0)).sizes().isEmpty() ? null : meta(n.outputs().get(0)).sizes().get(0);
    if (in.sizes().isEmpty() || !in.sizes().get(0).equals(out)) {
      throw new Refusal(RuntimeMessage.EXPORT_BATCH_AXIS_MOVED.format(in.sizes(), meta(n.outputs().get(0)).sizes()));
    }
  }

  private void checkLocals(LayerSpec layer, List<Tensor> inputs, Module module) {
    Set<String> declared = new LinkedHashSet<>();
    for (ParamSpec p : layer.params(inputs.stream().map(ExportLowering::sample).toList())) {
      declared.add(p.torchName());
    }
    if (!declared.equals(module.locals())) {
      throw new Refusal(RuntimeMessage.EXPORT_PARAM_NAMES.format(module.path(), module.locals(), layer.typeName(),
          declared));
    }
  }

  private String fresh(String base) {
    String name = base;
    for (int i = 1; reserved.contains(name) || nodeIndex.containsKey(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  boolean readsRefused(AtenNode n) {
    for (Object arg : n.args().values()) {
      for (TensorArg t : tensorArgs(arg)) {
        if (values.get(t.name()) instanceof Value.Refused) {
          return true;
        }
      }
    }
    return false;
  }

  private void refuseOutputs(AtenNode n) {
    for (String out : n.outputs()) {
      values.put(out, new Value.Refused());
    }
  }

  private static List<TensorArg> tensorArgs(Object arg) {
    if (arg instanceof TensorArg t) {
      return List.of(t);
    }
    if (arg instanceof List<?> l) {
      return l.stream().filter(TensorArg.class::isInstance).map(TensorArg.class::cast).toList();
    }
    return List.of();
  }

  /** {@code layer1.0.conv1} for {@code layer1.0.conv1.weight}; "" for a top-level name. */
  static String modulePath(String stateDictName) {
    int dot = stateDictName.lastIndexOf('.');
    return dot < 0 ? "" : stateDictName.substring(0, dot);
  }

  private static long[] longs(TensorMeta meta) {
    long[] out = new long[meta.rank()];
    for (int i = 0; i < out.length; i++) {
      out[i] = meta.sizes().get(i) instanceof Integer d ? d : -1;
    }
    return out;
  }

  /** A value as messages name it. */
  static String describe(Value v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Tensor t) {
      return "the tensor " + t.node();
    }
    if (v instanceof Param p) {
      return "the tensor " + p.name() + " of the state_dict";
    }
    if (v instanceof Value.Folded f) {
      return "the tensor " + f.tensor().node() + " with its batch axis folded into sizes " + f.sizes();
    }
    if (v instanceof Value.Transposed t) {
      return "the transposed tensor " + t.param().name();
    }
    if (v instanceof Value.Zeros z) {
      return "a tensor of zeros made in the graph (" + z.node() + ")";
    }
    if (v instanceof Value.Size s) {
      return "the size " + s.name();
    }
    if (v instanceof Value.Unusable u) {
      return "a value Sequent cannot use (" + u.why() + ")";
    }
    return "the output of a refused node";
  }
}
