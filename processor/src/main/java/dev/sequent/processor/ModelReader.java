package dev.sequent.processor;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.catalog.AnnotationCatalog;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.ShapeRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads one {@code @Sequential} or {@code @Module} interface into the network model. Reports what
 * is wrong with the declaration itself; shape checking is {@code ShapeInference}'s job, afterwards.
 */
final class ModelReader {
  static final String SEQUENTIAL = "dev.sequent.dsl.Sequential";
  static final String MODULE = "dev.sequent.dsl.Module";
  private static final String LAYER = "dev.sequent.dsl.Layer";
  private static final String FROM = "dev.sequent.dsl.From";
  private static final String NAME = "dev.sequent.dsl.Name";
  private static final String INPUT = "dev.sequent.dsl.Input";
  private static final String ADD = "dev.sequent.dsl.Add";
  private static final String CUSTOM = "dev.sequent.dsl.Custom";
  private static final String CUSTOM_LAYER = "dev.sequent.dsl.CustomLayer";
  private static final String BLOCK = "dev.sequent.dsl.Block";
  private static final String USE = "dev.sequent.dsl.Use";
  private static final String STAGE = "dev.sequent.dsl.Stage";
  private static final String BIND = "dev.sequent.dsl.Bind";
  private static final String IF = "dev.sequent.dsl.If";
  private static final String FUNCTIONAL = "dev.sequent.dsl.Functional";

  /** Thrown when a type the model needs is not complete yet; the model is retried next round. */
  static final class Deferred extends RuntimeException {
    final String missing;

    Deferred(String missing) {
      super(missing, null, false, false);
      this.missing = missing;
    }
  }

  private final Elements elements;
  private final Reporter reporter;
  private final SourcePositions positions;
  /** The model's input shape, for {@code in[i]} in block expressions. */
  private Shape modelInput;

  ModelReader(Elements elements, Reporter reporter, SourcePositions positions) {
    this.elements = elements;
    this.reporter = reporter;
    this.positions = positions;
  }

  /** The model, or empty when its declaration has errors (already reported). */
  Optional<DeclaredModel> read(TypeElement type) {
    AnnotationMirror modelMirror = mirror(type.getAnnotationMirrors(), SEQUENTIAL);
    boolean sequential = modelMirror != null;
    if (modelMirror == null) {
      modelMirror = mirror(type.getAnnotationMirrors(), MODULE);
    }
    if (type.getKind() != ElementKind.INTERFACE) {
      reporter.error(Message.NOT_AN_INTERFACE.format(sequential ? "Sequential" : "Module", type.getSimpleName(),
          type.getKind().toString().toLowerCase(java.util.Locale.ROOT)), type, modelMirror, null);
      return Optional.empty();
    }
    Map<String, Object> modelValues = values(modelMirror);
    int[] input = (int[]) modelValues.get("input");
    modelInput = Shape.of(input);
    String name = (String) modelValues.get("name");
    if (name.isEmpty()) {
      name = type.getSimpleName().toString();
    }

    int errorsBefore = reporter.errors();
    List<ExecutableElement> methods = layerMethods(type);
    Framework framework = vocabulary(methods);
    Expansion out = new Expansion(framework);
    out.moduleInput = input.length > 0;
    Scope top = new Scope(type, "", Map.of(), ModelSpec.INPUT, List.of(), false, sequential);
    String previous = readBody(type, methods, top, out);
    boolean ok = previous != null && reporter.errors() == errorsBefore;
    if (!ok) {
      return Optional.empty();
    }
    String output = sequential ? previous : (String) modelValues.get("output");
    if (output.isEmpty()) {
      output = previous;
    }
    String[] outputs = sequential ? new String[0] : (String[]) modelValues.getOrDefault("outputs", new String[0]);
    if (!sequential && input.length == 0 && out.declaredInputs.isEmpty()) {
      reporter.error(Message.NO_INPUT.format(type.getSimpleName()), type, modelMirror, "input");
      return Optional.empty();
    }
    List<Node> nodes = out.resolvedNodes();
    ModelSpec spec = out.declaredInputs.isEmpty() && outputs.length == 0
        ? new ModelSpec(name, sequential ? ModelSpec.Style.SEQUENTIAL : ModelSpec.Style.MODULE,
            framework, Shape.of(input), nodes, out.resolve(output))
        : ModelSpec.graph(name, ModelSpec.Style.MODULE, framework,
            out.declaredInputs.isEmpty() ? List.of(new ModelSpec.Input(ModelSpec.INPUT, Shape.of(input)))
                : out.declaredInputs,
            nodes, outputs.length == 0 ? List.of(out.resolve(output))
                : java.util.Arrays.stream(outputs).map(out::resolve).toList());
    return Optional.of(new DeclaredModel(type, modelMirror, spec, out.sites, out.tree(), out.blockTypes));
  }

  /** The abstract methods of an interface, in declaration order: its layers. */
  private static List<ExecutableElement> layerMethods(TypeElement type) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (!m.getModifiers().contains(Modifier.DEFAULT) && !m.getModifiers().contains(Modifier.STATIC)) {
        methods.add(m);
      }
    }
    return methods;
  }

  /**
   * Where the layers of one interface body go while blocks are expanded: the prefix of their names
   * ({@code layer1.0.}), the block's argument values, the node the body reads as {@code "input"},
   * and the chain of uses that led here (for diagnostics).
   */
  private record Scope(TypeElement type, String prefix, Map<String, Object> args, String input,
      List<DeclaredModel.Use> uses, boolean numbered, boolean sequential) {}

  /** Everything the expansion of a model collects: the flat nodes and the module structure. */
  private static final class Expansion {
    final Framework framework;
    /**
     * What joins a use's name and its layers' names: PyTorch's module paths are dotted
     * ({@code layer1.0.conv1}, the state_dict's keys); Keras functional models have no modules, and
     * keras.applications builds flat names with {@code _} ({@code conv2_block1_1_conv}).
     */
    final String joiner;
    /**
     * Whether uses are modules of a tree (PyTorch's {@code nn.Module} children, which summaries
     * print as torchinfo does). Keras' blocks are Python functions that only prefix names, and
     * Keras' summary of such a model lists its layers flat, so a Keras model records no containers.
     */
    final boolean modules;
    final List<Node> nodes = new ArrayList<>();
    final List<DeclaredModel.LayerSite> sites = new ArrayList<>();
    final List<ModuleTree.Container> containers = new ArrayList<>();
    final List<String> functional = new ArrayList<>();
    /** An absent optional layer, or a block use, names what stands for it: its input, its output. */
    final Map<String, String> aliases = new LinkedHashMap<>();
    /**
     * Names of layers an {@code @If} left out. Two alternatives may share a name (Python's
     * {@code padding="same" if stride == 1 else "valid"}, written as two {@code @If} layers with one
     * {@code @Name}): the present one's node then stands, whichever is declared first.
     */
    final java.util.Set<String> absent = new java.util.HashSet<>();
    final java.util.Set<String> present = new java.util.HashSet<>();
    /** What the first {@code @If} layer of each name reads: its alternatives read the same. */
    final Map<String, List<String>> alternativeInputs = new LinkedHashMap<>();
    final List<TypeElement> blockTypes = new ArrayList<>();
    /** The inputs of a several-input @Module, declared by @Input methods. */
    final List<ModelSpec.Input> declaredInputs = new ArrayList<>();
    /** Whether @Module(input = ...) declared the one input. */
    boolean moduleInput;

    Expansion(Framework framework) {
      this.framework = framework;
      this.modules = framework != Framework.KERAS;
      this.joiner = modules ? "." : "_";
    }

    /** A use's output, or its container when uses are modules. */
    void container(int at, ModuleTree.Container c) {
      if (modules) {
        containers.add(at, c);
      }
    }

    /**
     * What a name stands for. A layer wins over an alias of the same name: a block may declare one
     * module in two places, each under an {@code @If} (PyTorch's {@code TransformerEncoderLayer}
     * applies {@code self.norm1} before or after attention by {@code norm_first}), and the absent
     * declaration's alias must not shadow the present one.
     */
    String resolve(String name) {
      java.util.Set<String> layers = new java.util.HashSet<>();
      nodes.forEach(n -> layers.add(n.name()));
      String at = name;
      for (int guard = 0; aliases.containsKey(at) && !layers.contains(at) && guard < 10_000; guard++) {
        at = aliases.get(at);
      }
      return at;
    }

    List<Node> resolvedNodes() {
      List<Node> out = new ArrayList<>();
      for (Node n : nodes) {
        out.add(new Node(n.name(), n.layer(), n.inputs().stream().map(this::resolve).toList()));
      }
      return out;
    }

    ModuleTree tree() {
      List<ModuleTree.Container> resolved = containers.stream()
          .map(c -> new ModuleTree.Container(c.path(), c.className(), resolve(c.output()))).toList();
      return new ModuleTree(resolved, functional);
    }
  }

  /**
   * Reads the layer methods of a model or block body into {@code out}, expanding block uses in place.
   * Returns the global name of the last layer (what the body's output is by default), or null when
   * the body declares nothing usable.
   */
  private String readBody(TypeElement type, List<ExecutableElement> methods, Scope scope, Expansion out) {
    String previous = scope.input();
    int position = 0;
    boolean sequential = scope.sequential();
    String last = null;
    for (ExecutableElement method : methods) {
      String methodName = method.getSimpleName().toString();
      AnnotationMirror inputMirror = mirror(method.getAnnotationMirrors(), INPUT);
      if (inputMirror != null) {
        // An input of a several-input @Module: a name and a shape, no layer.
        if (sequential) {
          reporter.error(Message.INPUT_IN_SEQUENTIAL.format(methodName), method, inputMirror, null);
        } else if (!scope.uses().isEmpty()) {
          reporter.error(Message.BLOCK.format("@Input on " + methodName + "(): a block reads what its use is wired "
              + "to; declare inputs on the model"), method, inputMirror, null);
        } else if (out.moduleInput) {
          reporter.error(Message.INPUT_TWICE.format(methodName), method, inputMirror, null);
        }
        AnnotationMirror inputName = mirror(method.getAnnotationMirrors(), NAME);
        String inName = inputName != null ? (String) values(inputName).get("value") : methodName;
        out.declaredInputs.add(new ModelSpec.Input(inName, Shape.of((int[]) values(inputMirror).get("value"))));
        out.sites.add(new DeclaredModel.LayerSite(inName, method, inputMirror));
        previous = inName;
        continue;
      }
      if (!isLayerType(method.getReturnType())) {
        reporter.error(Message.LAYER_METHOD_RETURN_TYPE.format(methodName, method.getReturnType()), method, null, null);
        continue;
      }
      if (!method.getParameters().isEmpty()) {
        reporter.error(Message.LAYER_METHOD_HAS_PARAMETERS.format(methodName), method, null, null);
        continue;
      }
      List<AnnotationMirror> layerMirrors = new ArrayList<>();
      for (AnnotationMirror am : method.getAnnotationMirrors()) {
        String q = qualifiedName(am);
        if (AnnotationCatalog.isLayer(q) || q.equals(USE) || q.equals(STAGE)) {
          layerMirrors.add(am);
        }
      }
      if (layerMirrors.isEmpty()) {
        reporter.error(Message.NO_LAYER_ANNOTATION.format(methodName), method, null, null);
        continue;
      }
      if (layerMirrors.size() > 1) {
        List<String> names = layerMirrors.stream().map(am -> "@" + simpleName(am)).toList();
        reporter.error(Message.TWO_LAYER_ANNOTATIONS.format(methodName, String.join(" and ", names)), method,
            layerMirrors.get(1), null);
        continue;
      }
      AnnotationMirror layerMirror = layerMirrors.get(0);
      String annotation = qualifiedName(layerMirror);
      AnnotationMirror nameMirror = mirror(method.getAnnotationMirrors(), NAME);
      AnnotationMirror fromMirror = mirror(method.getAnnotationMirrors(), FROM);
      List<String> inputs;
      // Every merge (Add, Concatenate, Multiply, ...) names its inputs in a from attribute.
      String[] from = AnnotationCatalog.from(values(layerMirror));
      if (from != null) {
        if (sequential) {
          reporter.error(Message.FROM_IN_SEQUENTIAL.format(methodName), method, layerMirror, "from");
        }
        inputs = List.of(from).stream().map(n -> local(n, scope)).toList();
      } else if (fromMirror != null) {
        if (sequential) {
          reporter.error(Message.FROM_IN_SEQUENTIAL.format(methodName), method, fromMirror, null);
        }
        inputs = List.of(local((String) values(fromMirror).get("value"), scope));
      } else {
        inputs = List.of(previous);
      }
      AnnotationMirror ifMirror = mirror(method.getAnnotationMirrors(), IF);
      if (ifMirror != null && from == null && fromMirror == null) {
        // A later @If alternative of a name declared right after the first (Python's
        // `"same" if stride == 1 else "valid"`) reads what the first one read, not the first one
        // itself; one declared elsewhere (a pre-norm and a post-norm norm1) reads what precedes it.
        String ownName = scope.prefix() + (nameMirror != null ? (String) values(nameMirror).get("value") : methodName);
        List<String> first = out.alternativeInputs.putIfAbsent(ownName, inputs);
        if (first != null && inputs.equals(List.of(ownName))) {
          inputs = first;
        }
      }
      String[] states = AnnotationCatalog.initialState(values(layerMirror));
      if (states.length > 0) {
        if (sequential) {
          reporter.error(Message.FROM_IN_SEQUENTIAL.format(methodName), method, layerMirror,
              AnnotationCatalog.INITIAL_STATE);
        }
        List<String> all = new ArrayList<>(inputs);
        List.of(states).forEach(n -> all.add(local(n, scope)));
        inputs = all;
      }
      String input = inputs.isEmpty() ? previous : inputs.get(0);

      if (ifMirror != null) {
        if (scope.uses().isEmpty()) {
          reporter.error(Message.BLOCK_ONLY.format("@If", methodName), method, ifMirror, null);
          continue;
        }
        Object present;
        try {
          present = BlockExpression.evaluate((String) values(ifMirror).get("value"), scope.args(),
              () -> shapeOf(input, out, scope));
        } catch (BlockExpression.Error e) {
          useError(scope, method, ifMirror, "value", "@If on " + methodName + "(): " + e.getMessage());
          continue;
        }
        if (!(present instanceof Boolean)) {
          useError(scope, method, ifMirror, "value", "@If on " + methodName + "() needs a boolean condition; \""
              + values(ifMirror).get("value") + "\" is an int");
          continue;
        }
        if (!(Boolean) present) {
          // The absent layer is the identity: whatever reads it reads its input (its first, or the
          // one @If(otherwise) names: Keras' residual Add([inputs, x]) stands for x where it is absent).
          String localName = nameMirror != null ? (String) values(nameMirror).get("value") : methodName;
          Object otherwise = values(ifMirror).get("otherwise");
          String standsFor = input;
          if (otherwise instanceof String o && !o.isEmpty()) {
            standsFor = local(o, scope);
            if (!inputs.contains(standsFor)) {
              useError(scope, method, ifMirror, "otherwise", "@If(otherwise = \"" + o + "\") on " + methodName
                  + "() must name one of the layer's inputs " + inputs.stream()
                  .map(n -> n.equals(scope.input()) ? ModelSpec.INPUT : n.substring(scope.prefix().length())).toList());
              continue;
            }
          }
          if (!out.present.contains(scope.prefix() + localName)) {
            out.aliases.put(scope.prefix() + localName, standsFor);
            out.absent.add(scope.prefix() + localName);
          }
          continue;
        }
      }

      String localName;
      boolean module = annotation.equals(USE) || annotation.equals(STAGE) || from == null
          && mirror(method.getAnnotationMirrors(), FUNCTIONAL) == null;
      if (scope.numbered() && module) {
        // nn.Sequential numbers its modules; code that is not a module (an add, a @Functional
        // flatten) keeps its method name, which no state_dict key ever shows.
        localName = String.valueOf(position);
      } else {
        localName = nameMirror != null ? (String) values(nameMirror).get("value") : methodName;
      }
      String layerName = scope.prefix() + localName;

      if (annotation.equals(USE) || annotation.equals(STAGE)) {
        if (scope.type() != null && scope.uses().isEmpty() && scope.sequential()) {
          reporter.error(Message.BLOCK_IN_SEQUENTIAL.format(methodName), method, layerMirror, null);
          continue;
        }
        String output = annotation.equals(USE)
            ? use(layerMirror, layerMirror, method, layerName, input, scope, out, null)
            : stage(layerMirror, method, layerName, input, scope, out);
        if (output == null) {
          continue;
        }
        out.aliases.put(layerName, output);
        previous = layerName;
        last = layerName;
        position++;
        continue;
      }

      if (out.absent.remove(layerName)) {
        out.aliases.remove(layerName);   // the other alternative of an @If pair was left out
      }
      out.present.add(layerName);
      out.sites.add(new DeclaredModel.LayerSite(layerName, method, layerMirror, scope.uses()));
      try {
        LayerSpec spec = layer(annotation, layerMirror, out.framework, inputs.size(), method, scope);
        if (spec != null) {
          out.nodes.add(new Node(layerName, spec, inputs));
          if (!module || !LayerKinds.of(spec).isTorchModule()) {
            if (mirror(method.getAnnotationMirrors(), FUNCTIONAL) != null) {
              out.functional.add(layerName);
            }
          } else {
            position++;
          }
        }
      } catch (ShapeException e) {
        String what = layerName + " (@" + simpleName(layerMirror) + "): " + e.getMessage();
        if (scope.uses().isEmpty()) {
          reporter.error(Message.HYPERPARAMETER.format(what), method, layerMirror, e.attribute());
        } else {
          useError(scope, method, layerMirror, e.attribute(), what);
        }
      } catch (BlockExpression.Error e) {
        AnnotationMirror bind = mirror(method.getAnnotationMirrors(), BIND);
        useError(scope, method, bind, "value", "@Bind on " + methodName + "(): " + e.getMessage());
      }
      previous = layerName;
      last = layerName;
    }
    return last;
  }

  /** A local name in a body: {@code "input"} is what the body reads, others are its own layers. */
  private static String local(String name, Scope scope) {
    return name.equals(ModelSpec.INPUT) ? scope.input() : scope.prefix() + name;
  }

  /**
   * An error inside a block: reported at the outermost use, in the model being compiled, on the
   * arguments that made it (the block itself is fine for other arguments), naming the nesting and
   * the block's own line. Outside any block: on the layer itself.
   */
  private void useError(Scope scope, ExecutableElement method, AnnotationMirror annotation, String attribute,
      String message) {
    if (scope.uses().isEmpty()) {
      reporter.error(Message.BLOCK.format(message), method, annotation, attribute);
      return;
    }
    DeclaredModel.Use outer = scope.uses().get(0);
    reporter.error(Message.BLOCK.format(message + DeclaredModel.nesting(scope.uses(), method, positions)),
        outer.method(), outer.annotation(), outer.attribute());
  }

  /** The sample shape of a node expanded so far, for {@code in[i]}: infers the model up to it. */
  private Shape shapeOf(String node, Expansion out, Scope scope) {
    String resolved = out.resolve(node);
    if (resolved.equals(ModelSpec.INPUT)) {
      return modelInput;
    }
    ModelSpec partial = new ModelSpec("partial", ModelSpec.Style.MODULE, out.framework, modelInput,
        out.resolvedNodes(), resolved);
    ShapeInference.Result r = ShapeInference.infer(partial);
    if (!r.ok()) {
      throw new BlockExpression.Error("the input shape of " + node + " is unknown: "
          + r.problems().get(0).message().lines().findFirst().orElse(""));
    }
    return r.model().layer(resolved).outputShape();
  }

  /** One {@code @Use}: checks and evaluates its arguments, then expands the block in place. */
  private String use(AnnotationMirror site, AnnotationMirror use, ExecutableElement method, String layerName,
      String input, Scope scope, Expansion out, String extraArgs) {
    AnnotationValue value = valueOf(use, "value");
    TypeMirror typeMirror = value == null ? null : (TypeMirror) value.getValue();
    return expand(site, typeMirror, (String) values(use).get("args"), extraArgs, method, layerName, input, scope, out,
        use == site ? "args" : "value");
  }

  private String stage(AnnotationMirror stage, ExecutableElement method, String layerName, String input, Scope scope,
      Expansion out) {
    Map<String, Object> v = values(stage);
    @SuppressWarnings("unchecked")
    List<? extends AnnotationValue> list = (List<? extends AnnotationValue>) defaulted(stage, "value").getValue();
    AnnotationValue blockValue = valueOf(stage, "block");
    int count = (Integer) v.get("count");
    if (list.isEmpty() == (blockValue == null)) {
      reporter.error(Message.STAGE_FORM.format(layerName), method, stage, null);
      return null;
    }
    if (blockValue != null && count <= 0) {
      reporter.error(Message.STAGE_FORM.format(layerName), method, stage, "count");
      return null;
    }
    int containerAt = out.containers.size();
    String previous = input;
    int n = list.isEmpty() ? count : list.size();
    for (int k = 0; k < n; k++) {
      String child;
      try {
        Map<String, Object> names = new LinkedHashMap<>(scope.args());
        names.put("i", k);
        child = layerName + out.joiner + NamePattern.expand((String) v.get("names"), names, out.modules ? "." : null);
      } catch (BlockExpression.Error e) {
        useError(scope, method, stage, "names", "@Stage " + layerName + ", names: " + e.getMessage());
        return null;
      }
      String output;
      if (list.isEmpty()) {
        String args = (String) v.get("args");
        String first = k == 0 ? (String) v.get("first") : "";
        output = expand(stage, (TypeMirror) blockValue.getValue(), args, first, method, child, previous, scope, out,
            k == 0 && !first.isBlank() ? "first" : "args");
      } else {
        output = use(stage, (AnnotationMirror) list.get(k).getValue(), method, child, previous, scope, out, null);
      }
      if (output == null) {
        return null;
      }
      out.aliases.put(child, output);
      previous = child;
    }
    out.container(containerAt, new ModuleTree.Container(layerName, (String) v.get("name"), previous));
    return previous;
  }

  private String expand(AnnotationMirror site, TypeMirror typeMirror, String args, String extraArgs,
      ExecutableElement method, String layerName, String input, Scope scope, Expansion out, String argsAttribute) {
    if (typeMirror == null || typeMirror.getKind() == TypeKind.ERROR) {
      throw new Deferred(String.valueOf(typeMirror));
    }
    TypeElement block = (TypeElement) ((DeclaredType) typeMirror).asElement();
    AnnotationMirror blockMirror = mirror(block.getAnnotationMirrors(), BLOCK);
    if (blockMirror == null || block.getKind() != ElementKind.INTERFACE) {
      reporter.error(Message.NOT_A_BLOCK.format(block.getSimpleName(), method.getSimpleName(), block.getQualifiedName()),
          method, site, null);
      return null;
    }
    for (DeclaredModel.Use u : scope.uses()) {
      if (u.block().equals(block)) {
        useError(scope, method, site, null, Message.RECURSIVE_BLOCK.format(block.getSimpleName(), layerName)
            .substring("[sequent] ".length()));
        return null;
      }
    }
    if (!out.blockTypes.contains(block)) {
      out.blockTypes.add(block);
    }
    Map<String, Object> bv = values(blockMirror);
    List<DeclaredModel.Use> uses = new ArrayList<>(scope.uses());
    DeclaredModel.Use here = new DeclaredModel.Use(layerName, block,
        scope.uses().isEmpty() ? method : scope.uses().get(0).method(),
        scope.uses().isEmpty() ? site : scope.uses().get(0).annotation(),
        scope.uses().isEmpty() ? argsAttribute : scope.uses().get(0).attribute(), method, args
        + (extraArgs == null || extraArgs.isBlank() ? "" : (args.isBlank() ? "" : ", ") + extraArgs));
    uses.add(here);

    // Declarations, then the given arguments evaluated where they are written (the caller's scope).
    Map<String, BlockExpression.Declaration> declared = new LinkedHashMap<>();
    for (String d : (String[]) bv.get("params")) {
      try {
        BlockExpression.Declaration decl = BlockExpression.declaration(d);
        declared.put(decl.name(), decl);
      } catch (BlockExpression.Error e) {
        reporter.error(Message.BLOCK.format("@Block " + block.getSimpleName() + ": " + e.getMessage()), block,
            blockMirror, "params");
        return null;
      }
    }
    Map<String, Object> given = new LinkedHashMap<>();
    try {
      for (String text : new String[] {args, extraArgs == null ? "" : extraArgs}) {
        for (BlockExpression.Assignment a : BlockExpression.assignments(text)) {
          BlockExpression.Declaration decl = declared.get(a.name());
          if (decl == null) {
            throw new BlockExpression.Error(block.getSimpleName() + " has no parameter " + a.name()
                + " (it has: " + String.join(", ", declared.keySet()) + ")"
                + ShapeInference.didYouMean(a.name(), declared.keySet()));
          }
          Object v = BlockExpression.evaluate(a.expression(), scope.args(), () -> shapeOf(input, out, scope));
          if (!BlockExpression.typeOf(v).equals(decl.type())) {
            throw new BlockExpression.Error("argument " + a.name() + " of " + block.getSimpleName() + " is "
                + decl.type() + " but " + a.expression() + " is " + BlockExpression.typeOf(v));
          }
          given.put(a.name(), v);
        }
      }
    } catch (BlockExpression.Error e) {
      useError(scope, method, site, argsAttribute, layerName + " (" + block.getSimpleName() + "): " + e.getMessage());
      return null;
    }
    Map<String, Object> env = new LinkedHashMap<>();
    for (BlockExpression.Declaration decl : declared.values()) {
      Object v = given.get(decl.name());
      if (v == null && decl.defaultExpression() != null) {
        try {
          v = BlockExpression.evaluate(decl.defaultExpression(), env, () -> shapeOf(input, out, scope));
        } catch (BlockExpression.Error e) {
          reporter.error(Message.BLOCK.format("@Block " + block.getSimpleName() + ", default of " + decl.name() + ": "
              + e.getMessage()), block, blockMirror, "params");
          return null;
        }
      }
      if (v == null) {
        useError(scope, method, site, argsAttribute, layerName + " (" + block.getSimpleName() + "): argument "
            + decl.name() + " is required: " + block.getSimpleName() + "(" + String.join(", ", declared.keySet()) + ")");
        return null;
      }
      env.put(decl.name(), v);
    }

    boolean numbered = (Boolean) bv.get("sequential");
    String className = (String) bv.get("name");
    if (className.isEmpty()) {
      className = numbered ? "Sequential" : block.getSimpleName().toString();
    }
    int containerAt = out.containers.size();
    Scope inner = new Scope(block, layerName + out.joiner, env, input, uses, numbered, numbered);
    String last = readBody(block, layerMethods(block), inner, out);
    if (last == null) {
      reporter.error(Message.EMPTY_BLOCK.format(block.getSimpleName()), block, blockMirror, null);
      return null;
    }
    String declaredOutput = (String) bv.get("output");
    String output = declaredOutput.isEmpty() ? last : local(declaredOutput, inner);
    out.container(containerAt, new ModuleTree.Container(layerName, className, output));
    return output;
  }

  private LayerSpec layer(String annotation, AnnotationMirror mirror, Framework framework, int inputs,
      ExecutableElement method, Scope scope) {
    AnnotationMirror bind = mirror(method.getAnnotationMirrors(), BIND);
    if (bind != null && scope.uses().isEmpty()) {
      reporter.error(Message.BLOCK_ONLY.format("@Bind", method.getSimpleName()), method, bind, null);
      return null;
    }
    if (annotation.equals(ADD)) {
      return AnnotationCatalog.add(framework, inputs);
    }
    if (annotation.equals(CUSTOM)) {
      return custom(mirror, framework, method);
    }
    Map<String, Object> values = values(mirror);
    if (bind != null) {
      bindAttributes(mirror, (String) values(bind).get("value"), values, scope);
    }
    return AnnotationCatalog.layer(annotation, values);
  }

  /** {@code @Bind("out = planes, stride = stride")}: attribute values from the block's arguments, type-checked. */
  private void bindAttributes(AnnotationMirror layer, String text, Map<String, Object> values, Scope scope) {
    Map<String, TypeMirror> attributes = new LinkedHashMap<>();
    for (ExecutableElement e : ElementFilter.methodsIn(layer.getAnnotationType().asElement().getEnclosedElements())) {
      attributes.put(e.getSimpleName().toString(), e.getReturnType());
    }
    for (BlockExpression.Assignment a : BlockExpression.assignments(text)) {
      TypeMirror type = attributes.get(a.name());
      if (type == null) {
        throw new BlockExpression.Error("@" + simpleName(layer) + " has no attribute " + a.name()
            + ShapeInference.didYouMean(a.name(), attributes.keySet()));
      }
      Object v = BlockExpression.evaluate(a.expression(), scope.args(), () -> {
        throw new BlockExpression.Error("in[...] is not available in @Bind; pass it as a block argument");
      });
      String expected = type.getKind() == TypeKind.ARRAY ? ((ArrayType) type).getComponentType().toString() : type.toString();
      if (!expected.equals(BlockExpression.typeOf(v))) {
        throw new BlockExpression.Error("@" + simpleName(layer) + "." + a.name() + " is " + type + " but "
            + a.expression() + " is " + BlockExpression.typeOf(v));
      }
      values.put(a.name(), type.getKind() == TypeKind.ARRAY ? new int[] {(Integer) v} : v);
    }
  }

  private LayerSpec custom(AnnotationMirror mirror, Framework framework, ExecutableElement method) {
    AnnotationValue value = valueOf(mirror, "value");
    TypeMirror typeMirror = value == null ? null : (TypeMirror) value.getValue();
    if (typeMirror == null || typeMirror.getKind() == TypeKind.ERROR) {
      throw new Deferred(String.valueOf(typeMirror));
    }
    TypeElement customType = (TypeElement) ((DeclaredType) typeMirror).asElement();
    AnnotationMirror def = mirror(customType.getAnnotationMirrors(), CUSTOM_LAYER);
    if (def == null) {
      reporter.error(Message.NOT_A_CUSTOM_LAYER.format(customType.getSimpleName(), method.getSimpleName(),
          customType.getQualifiedName()), method, mirror, "value");
      return null;
    }
    Map<String, Object> values = values(def);
    List<CustomLayer.Param> params = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<? extends AnnotationValue> paramValues = (List<? extends AnnotationValue>) defaulted(def, "params").getValue();
    for (AnnotationValue pv : paramValues) {
      Map<String, Object> p = values((AnnotationMirror) pv.getValue());
      params.add(new CustomLayer.Param((String) p.get("name"), parseRule((String) p.get("shape"), "params"),
          (Boolean) p.get("trainable")));
    }
    return new CustomLayer(framework, customType.getSimpleName().toString(),
        elements.getBinaryName(customType).toString(), parseRule((String) values.get("output"), "output"), params);
  }

  private static ShapeRule parseRule(String text, String attribute) {
    try {
      return ShapeRule.parse(text);
    } catch (ShapeException e) {
      throw new ShapeException(attribute, e.getMessage());
    }
  }

  /**
   * The vocabulary most layer annotations use, counting those inside the blocks used (a model may
   * be all uses); PyTorch when there is none.
   */
  private static Framework vocabulary(List<ExecutableElement> methods) {
    int[] counts = new int[2];
    count(methods, counts, new java.util.HashSet<>());
    return counts[0] > counts[1] ? Framework.KERAS : Framework.TORCH;
  }

  private static void count(List<ExecutableElement> methods, int[] counts, java.util.Set<String> seen) {
    for (ExecutableElement m : methods) {
      for (AnnotationMirror am : m.getAnnotationMirrors()) {
        Optional<Framework> f = AnnotationCatalog.vocabulary(qualifiedName(am));
        if (f.isPresent()) {
          counts[f.get() == Framework.KERAS ? 0 : 1]++;
        }
        String q = qualifiedName(am);
        if (q.equals(USE) || q.equals(STAGE)) {
          for (TypeElement block : usedBlocks(am)) {
            if (seen.add(block.getQualifiedName().toString())) {
              count(layerMethods(block), counts, seen);
            }
          }
        }
      }
    }
  }

  /** The block types a {@code @Use} or {@code @Stage} names (none yet resolved are left out). */
  private static List<TypeElement> usedBlocks(AnnotationMirror am) {
    List<TypeElement> out = new ArrayList<>();
    for (String attribute : List.of("value", "block")) {
      AnnotationValue v = valueOf(am, attribute);
      if (v == null) {
        continue;
      }
      if (v.getValue() instanceof TypeMirror t) {
        if (t.getKind() == TypeKind.DECLARED) {
          out.add((TypeElement) ((DeclaredType) t).asElement());
        }
      } else if (v.getValue() instanceof List<?> uses) {
        for (Object u : uses) {
          if (((AnnotationValue) u).getValue() instanceof AnnotationMirror use) {
            out.addAll(usedBlocks(use));
          }
        }
      }
    }
    return out;
  }

  private static boolean isLayerType(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(LAYER);
  }

  static AnnotationMirror mirror(List<? extends AnnotationMirror> mirrors, String qualifiedName) {
    for (AnnotationMirror am : mirrors) {
      if (qualifiedName(am).equals(qualifiedName)) {
        return am;
      }
    }
    return null;
  }

  static String qualifiedName(AnnotationMirror am) {
    return ((TypeElement) am.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  static String simpleName(AnnotationMirror am) {
    return am.getAnnotationType().asElement().getSimpleName().toString();
  }

  static AnnotationValue valueOf(AnnotationMirror am, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : am.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private AnnotationValue defaulted(AnnotationMirror am, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(am).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    throw new IllegalStateException("@" + simpleName(am) + " has no attribute " + name);
  }

  /** Attribute values with defaults applied, as plain Java values. */
  private Map<String, Object> values(AnnotationMirror am) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(am).entrySet()) {
      out.put(e.getKey().getSimpleName().toString(), plain(e.getKey().getReturnType(), e.getValue()));
    }
    return out;
  }

  private static Object plain(TypeMirror type, AnnotationValue value) {
    Object v = value.getValue();
    if (type.getKind() == TypeKind.ARRAY) {
      List<?> items = (List<?>) v;
      TypeMirror component = ((ArrayType) type).getComponentType();
      if (component.getKind() == TypeKind.INT) {
        return items.stream().mapToInt(i -> (Integer) ((AnnotationValue) i).getValue()).toArray();
      }
      if (component.getKind() == TypeKind.DOUBLE) {
        return items.stream().mapToDouble(i -> ((Number) ((AnnotationValue) i).getValue()).doubleValue()).toArray();
      }
      if (component.getKind() == TypeKind.DECLARED && component.toString().equals("java.lang.String")) {
        return items.stream().map(i -> (String) ((AnnotationValue) i).getValue()).toArray(String[]::new);
      }
      return items;
    }
    return v;
  }
}
