package dev.sequent.model.source;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.Node;
import dev.sequent.model.catalog.AnnotationCatalog;
import dev.sequent.model.kind.AnnotationValues;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.SourceForm;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes a network model as DSL source: one {@code @Sequential} or {@code @Module} interface whose
 * methods are the model's layers under the model's own names, so the generated {@code <Name>Net}
 * pairs every tensor of the file the model came from by name.
 *
 * <p>Knows no layer: what annotation and attributes a layer is written as comes from its kind
 * ({@link LayerKind#sourceForm}) or, for kinds that give none, from the kind's annotations whose
 * attributes are named as the layer record's components. Every layer written is checked by building
 * its annotation back through the kind's own {@link LayerKind#annotations() builder} (the processor's
 * path from annotation to layer) and comparing with the model's layer, so the source declares exactly
 * the model that was read. Attributes equal to the annotation's defaults are left out. The output is
 * deterministic: declaration order is the model's, imports are sorted.
 */
public final class DslSourceWriter {
  private static final String DSL = "dev.sequent.dsl.";
  private static final String LAYER = DSL + "Layer";
  private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
      "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
      "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
      "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
      "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
      "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits", "_",
      // methods of Object an interface method may not redeclare with another return type
      "getClass", "hashCode", "equals", "clone", "toString", "notify", "notifyAll", "wait", "finalize");
  private static final int LINE = 120;

  private DslSourceWriter() {}

  /** One written source file: its path under the output folder ({@code com/example/Foo.java}) and text. */
  public record SourceFile(String path, String content) {}

  /**
   * The source of {@code model} as the interface {@code packageName.name}.
   *
   * @param modules the model's module structure (functional nodes are marked {@code @Functional})
   * @param origin what the model was read from, named in the interface's comment (a file name)
   * @throws UnwritableModelException naming the layer and its kind when the DSL cannot declare it
   */
  public static List<SourceFile> write(ModelSpec model, ModuleTree modules, String packageName, String name,
      String origin) {
    if (!JAVA_NAME.matcher(name).matches() || RESERVED.contains(name)) {
      throw new IllegalArgumentException("the interface name must be a Java name. Received: \"" + name + "\"");
    }
    for (String part : packageName.isEmpty() ? new String[0] : packageName.split("\\.", -1)) {
      if (!JAVA_NAME.matcher(part).matches() || RESERVED.contains(part)) {
        throw new IllegalArgumentException("the package must be a Java package name. Received: \"" + packageName
            + "\"");
      }
    }
    Body body = new Body(model, modules);
    String text = body.render(packageName, name, origin);
    String path = (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + name + ".java";
    return List.of(new SourceFile(path, text));
  }

  /** A layer as written: its annotation (qualified), the attributes to write, in order. */
  private record Written(String annotation, Map<String, Object> attributes) {}

  /** The declarations of one interface and the annotation types they use. */
  private static final class Body {
    private final ModelSpec model;
    private final ModuleTree modules;
    private final Set<String> used = new TreeSet<>();
    private final List<String> lines = new ArrayList<>();
    private final Map<String, String> simpleNames = new HashMap<>();
    private final Set<String> methodNames = new HashSet<>();
    private String modelAnnotation;

    Body(ModelSpec model, ModuleTree modules) {
      this.model = model;
      this.modules = modules;
    }

    String render(String packageName, String name, String origin) {
      boolean sequential = sequentialForm();
      boolean singleInput = model.inputs().size() == 1;
      Map<String, String> tensorNames = new HashMap<>();
      if (singleInput) {
        tensorNames.put(model.inputs().get(0).name(), ModelSpec.INPUT);
      }
      // Reserve the simple names of the annotations every model uses, so a layer annotation of the same
      // simple name (none today) is written qualified rather than shadowing them.
      for (String common : List.of(LAYER, DSL + "Name", DSL + "From", DSL + "Input", DSL + "Functional")) {
        simpleNames.put(common.substring(common.lastIndexOf('.') + 1), common);
      }
      simpleNames.put(sequential ? "Sequential" : "Module", DSL + (sequential ? "Sequential" : "Module"));

      StringBuilder header = new StringBuilder();
      header.append('@').append(type(DSL + (sequential ? "Sequential" : "Module"))).append('(');
      List<String> modelAttributes = new ArrayList<>();
      if (singleInput) {
        modelAttributes.add("input = " + literal(dims(model.inputs().get(0).shape())));
      }
      if (!model.name().equals(name)) {
        modelAttributes.add("name = " + literal(model.name()));
      }
      String last = model.nodes().isEmpty() ? null : model.nodes().get(model.nodes().size() - 1).name();
      if (!sequential) {
        if (model.outputs().size() > 1) {
          modelAttributes.add("outputs = " + literal(model.outputs().toArray(String[]::new)));
        } else if (!model.output().equals(last)) {
          modelAttributes.add("output = " + literal(model.output()));
        }
      }
      header.append(String.join(", ", modelAttributes)).append(')');
      modelAnnotation = header.toString();

      if (!singleInput) {
        for (ModelSpec.Input in : model.inputs()) {
          declare(List.of("@" + type(DSL + "Input") + "(" + literal(dims(in.shape())) + ")"), in.name());
        }
      }
      String previous = singleInput ? ModelSpec.INPUT : null;
      for (Node node : model.nodes()) {
        if (node.sharesWeights()) {
          throw new UnwritableModelException("layer " + node.name() + " (" + node.layer().typeName()
              + ") runs layer " + node.sharesWeightsOf() + " again with its weights; the DSL cannot declare "
              + "a layer called twice yet (docs/dsl.md)");
        }
        List<String> inputs = node.inputs().stream().map(i -> tensorNames.getOrDefault(i, i)).toList();
        Written w = written(node, inputs);
        List<String> annotations = new ArrayList<>();
        annotations.add(annotation(w));
        boolean readsWiring = w.attributes().containsKey(AnnotationCatalog.FROM);
        if (!readsWiring && !(inputs.size() == 1 && inputs.get(0).equals(previous))) {
          if (sequential) {
            throw new UnwritableModelException("layer " + node.name() + " (" + node.layer().typeName() + ") of "
                + "Sequential model " + model.name() + " reads " + inputs + ", not the layer before it");
          }
          annotations.add("@" + type(DSL + "From") + "(" + literal(inputs.get(0)) + ")");
        }
        if (!sequential && modules.isFunctional(node.name())) {
          annotations.add("@" + type(DSL + "Functional"));
        }
        declare(annotations, sequential && node.layer().framework() == Framework.TORCH ? null : node.name());
        previous = node.name();
      }

      StringBuilder out = new StringBuilder();
      if (!packageName.isEmpty()) {
        out.append("package ").append(packageName).append(";\n\n");
      }
      for (String imported : used) {
        out.append("import ").append(imported).append(";\n");
      }
      out.append("\n/**\n * ").append(model.name()).append(", written by {@code ./sequent import} from ")
          .append(origin.replace("*/", "*&#47;")).append(".\n * Each layer has the file's name, so {@code ")
          .append(name).append("Net.create().loadWeights(file)} pairs every tensor by name.\n */\n");
      out.append(modelAnnotation).append('\n');
      out.append("public interface ").append(name).append(" {\n");
      for (String line : lines) {
        out.append(line).append('\n');
      }
      out.append("}\n");
      return out.toString();
    }

    /**
     * {@code @Sequential} for a sequential model whose names it keeps: Keras names its layers by
     * method (or {@code @Name}), PyTorch by position, so a PyTorch model is written so only when its
     * layers are named {@code 0, 1, ...}.
     */
    private boolean sequentialForm() {
      if (model.style() != ModelSpec.Style.SEQUENTIAL || model.isMultiIO()) {
        return false;
      }
      for (int i = 0; i < model.nodes().size(); i++) {
        Node n = model.nodes().get(i);
        if (n.layer().framework() == Framework.TORCH && !n.name().equals(String.valueOf(i))) {
          return false;
        }
      }
      return true;
    }

    /** One method; {@code layerName} null for a layer named by its position. */
    private void declare(List<String> annotations, String layerName) {
      String method = methodName(layerName == null ? "layer" + methodNames.size() : layerName);
      List<String> all = new ArrayList<>(annotations);
      if (layerName != null && !method.equals(layerName)) {
        all.add("@" + type(DSL + "Name") + "(" + literal(layerName) + ")");
      }
      String decl = type(LAYER) + " " + method + "();";
      String one = "  " + String.join(" ", all) + " " + decl;
      if (one.length() <= LINE) {
        lines.add(one);
        return;
      }
      // The layer annotation on a line of its own, the wiring and naming with the method.
      lines.add("  " + all.get(0));
      lines.add("  " + String.join(" ", all.subList(1, all.size())) + (all.size() > 1 ? " " : "") + decl);
    }

    private String methodName(String layerName) {
      StringBuilder b = new StringBuilder();
      for (char c : layerName.toCharArray()) {
        b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' ? c : '_');
      }
      String base = b.length() == 0 || Character.isDigit(b.charAt(0)) ? "layer" + b : b.toString();
      if (RESERVED.contains(base)) {
        base = base + "_";
      }
      String candidate = base;
      for (int i = 2; !methodNames.add(candidate); i++) {
        candidate = base + "_" + i;
      }
      return candidate;
    }

    /** The simple name of an annotation type, imported, or its qualified name where the simple one is taken. */
    private String type(String qualified) {
      String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
      String owner = simpleNames.putIfAbsent(simple, qualified);
      if (owner == null || owner.equals(qualified)) {
        used.add(qualified);
        return simple;
      }
      return qualified;
    }

    private String annotation(Written w) {
      StringBuilder b = new StringBuilder("@").append(type(w.annotation()));
      if (w.attributes().isEmpty()) {
        return b.toString();
      }
      List<String> parts = new ArrayList<>();
      boolean onlyValue = w.attributes().size() == 1 && w.attributes().containsKey("value");
      for (Map.Entry<String, Object> e : w.attributes().entrySet()) {
        parts.add(onlyValue ? literal(e.getValue()) : e.getKey() + " = " + literal(e.getValue()));
      }
      return b.append('(').append(String.join(", ", parts)).append(')').toString();
    }
  }

  /** The annotation a node is written as, checked to give the node's layer back. */
  private static Written written(Node node, List<String> inputs) {
    LayerSpec layer = node.layer();
    LayerKind<LayerSpec> kind;
    try {
      kind = LayerKinds.of(layer);
    } catch (RuntimeException e) {
      throw new UnwritableModelException("layer " + node.name() + " (" + layer.typeName() + "): " + e.getMessage());
    }
    String kindName = kind.getClass().getSimpleName();
    Optional<SourceForm> form = kind.sourceForm(layer);
    List<SourceForm> candidates = new ArrayList<>();
    form.ifPresent(candidates::add);
    if (form.isEmpty()) {
      for (LayerKind.AnnotationBuilder b : kind.annotations()) {
        if (AnnotationCatalog.vocabulary(b.annotation()).map(v -> v == layer.framework()).orElse(true)) {
          candidates.add(byComponents(b.annotation(), layer));
        }
      }
    }
    if (candidates.isEmpty()) {
      throw new UnwritableModelException("layer " + node.name() + " (" + layer.typeName() + ", kind " + kindName
          + ") has no DSL annotation in the " + vocabulary(layer.framework()) + " vocabulary; it is read from files "
          + "but cannot be declared in Java yet");
    }
    List<String> tried = new ArrayList<>();
    for (SourceForm candidate : candidates) {
      Map<String, Method> attributes = attributes(candidate.annotation());
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, Object> given = new LinkedHashMap<>();
      // from is written where the layer reads several inputs, and where the annotation requires it
      // (a merge of one: DenseNet's first dense layer concatenates the list [x])
      Method from = attributes.get(AnnotationCatalog.FROM);
      if (from != null && (inputs.size() > 1 || from.getDefaultValue() == null
          || candidate.annotation().equals(DSL + "Add"))) {
        given.put(AnnotationCatalog.FROM, inputs.toArray(String[]::new));
      } else if (attributes.containsKey(AnnotationCatalog.INITIAL_STATE) && inputs.size() > 1) {
        given.put(AnnotationCatalog.INITIAL_STATE, inputs.subList(1, inputs.size()).toArray(String[]::new));
      } else if (inputs.size() > 1) {
        tried.add("@" + simple(candidate.annotation()) + " reads one input, the layer reads " + inputs.size());
        continue;
      }
      given.putAll(candidate.attributes());
      boolean fits = true;
      for (Map.Entry<String, Method> a : attributes.entrySet()) {
        Object d = a.getValue().getDefaultValue();
        if (d != null) {
          values.put(a.getKey(), d);
        }
      }
      for (Map.Entry<String, Object> g : given.entrySet()) {
        Method m = attributes.get(g.getKey());
        Object v = m == null ? null : coerce(g.getValue(), m.getReturnType());
        if (v == null) {
          fits = false;
          tried.add("@" + simple(candidate.annotation()) + " has no " + g.getKey() + " of that type");
          break;
        }
        values.put(g.getKey(), v);
      }
      if (!fits) {
        continue;
      }
      LayerSpec rebuilt;
      try {
        rebuilt = build(candidate.annotation(), values, layer.framework(), inputs.size());
      } catch (RuntimeException e) {
        tried.add("@" + simple(candidate.annotation()) + ": " + e.getMessage());
        continue;
      }
      if (!rebuilt.equals(layer)) {
        tried.add("@" + simple(candidate.annotation()) + " gives " + rebuilt);
        continue;
      }
      Map<String, Object> shown = new LinkedHashMap<>();
      if (given.containsKey(AnnotationCatalog.FROM)) {
        shown.put(AnnotationCatalog.FROM, values.get(AnnotationCatalog.FROM));
      }
      for (String key : given.keySet()) {
        Object d = attributes.get(key).getDefaultValue();
        if (d == null || !same(values.get(key), d)) {
          shown.put(key, values.get(key));
        }
      }
      return new Written(candidate.annotation(), shown);
    }
    throw new UnwritableModelException("layer " + node.name() + " (" + layer.typeName() + ", kind " + kindName
        + "): no DSL annotation declares this layer as read (" + layer + "): " + String.join("; ", tried));
  }

  private static String vocabulary(Framework f) {
    return f == Framework.KERAS ? "Keras" : "PyTorch";
  }

  private static String simple(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  /** The layer an annotation with these values declares, as the processor builds it. */
  private static LayerSpec build(String annotation, Map<String, Object> values, Framework framework, int inputs) {
    if (annotation.equals(DSL + "Add")) {
      return AnnotationCatalog.add(framework, inputs);
    }
    return AnnotationCatalog.layer(annotation, values);
  }

  /** Attributes named as the record's components (case aside), for kinds that give no source form. */
  private static SourceForm byComponents(String annotation, LayerSpec layer) {
    Map<String, Method> attributes = attributes(annotation);
    Map<String, String> byLowerCase = new HashMap<>();
    attributes.keySet().forEach(a -> byLowerCase.put(a.toLowerCase(Locale.ROOT), a));
    SourceForm form = new SourceForm(annotation, Map.of());
    for (RecordComponent c : layer.getClass().getRecordComponents()) {
      String attribute = byLowerCase.get(c.getName().toLowerCase(Locale.ROOT));
      if (attribute == null || attribute.equals(AnnotationCatalog.FROM)) {
        continue;
      }
      try {
        Object v = c.getAccessor().invoke(layer);
        if (v instanceof dev.sequent.model.Activation a) {
          v = a.kerasName();
        }
        if (coerce(v, attributes.get(attribute).getReturnType()) != null) {
          form = form.with(attribute, v);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return form;
  }

  /** The attributes of an annotation type, by name. */
  private static Map<String, Method> attributes(String annotation) {
    try {
      Class<?> type = Class.forName(annotation, false, DslSourceWriter.class.getClassLoader());
      Map<String, Method> out = new LinkedHashMap<>();
      Method[] methods = type.getDeclaredMethods();
      Arrays.sort(methods, (a, b) -> a.getName().compareTo(b.getName()));
      for (Method m : methods) {
        out.put(m.getName(), m);
      }
      return out;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("a layer kind names annotation " + annotation + ", which does not exist", e);
    }
  }

  /** {@code v} as the value javac reports for an attribute of {@code type}, or null when it is not one. */
  private static Object coerce(Object v, Class<?> type) {
    if (v == null) {
      return null;
    }
    if (type == int.class) {
      return v instanceof Integer || v instanceof Short || v instanceof Byte ? ((Number) v).intValue() : null;
    }
    if (type == long.class) {
      return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : null;
    }
    if (type == double.class) {
      return v instanceof Number n ? n.doubleValue() : null;
    }
    if (type == float.class) {
      return v instanceof Number n && (double) n.floatValue() == n.doubleValue() ? n.floatValue() : null;
    }
    if (type == boolean.class) {
      return v instanceof Boolean ? v : null;
    }
    if (type == String.class) {
      return v instanceof String ? v : null;
    }
    if (v instanceof List<?> list && type.isArray()) {
      if (type == int[].class && list.stream().allMatch(Integer.class::isInstance)) {
        return list.stream().mapToInt(i -> (Integer) i).toArray();
      }
      if (type == double[].class && list.stream().allMatch(Number.class::isInstance)) {
        return list.stream().mapToDouble(i -> ((Number) i).doubleValue()).toArray();
      }
      if (type == String[].class && list.stream().allMatch(String.class::isInstance)) {
        return list.toArray(String[]::new);
      }
      return null;
    }
    if (type == int[].class) {
      if (v instanceof int[] a) {
        return a.clone();
      }
      return v instanceof Integer i ? new int[] {i} : null;
    }
    if (type == double[].class) {
      if (v instanceof double[] a) {
        return a.clone();
      }
      if (v instanceof int[] a) {
        return Arrays.stream(a).asDoubleStream().toArray();
      }
      return v instanceof Number n ? new double[] {n.doubleValue()} : null;
    }
    if (type == String[].class) {
      if (v instanceof String[] a) {
        return a.clone();
      }
      return v instanceof String s ? new String[] {s} : null;
    }
    return null;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return Objects.deepEquals(a, b);
  }

  /** A Java constant for an attribute value. */
  static String literal(Object v) {
    if (v instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20 || c > 0x7e) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }
    if (v instanceof Double d) {
      return number(d);
    }
    if (v instanceof Float f) {
      return Float.isInfinite(f) ? (f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY")
          : Float.toString(f) + "f";
    }
    if (v instanceof Long l) {
      return l + "L";
    }
    if (v instanceof int[] a) {
      return array(Arrays.stream(a).mapToObj(String::valueOf).toList());
    }
    if (v instanceof double[] a) {
      return array(Arrays.stream(a).mapToObj(DslSourceWriter::number).toList());
    }
    if (v instanceof String[] a) {
      return array(Arrays.stream(a).map(DslSourceWriter::literal).toList());
    }
    return String.valueOf(v);
  }

  /** {@code 6} rather than {@code 6.0} (an int constant fits a double attribute), {@code 1.0E-5} as Java has it. */
  private static String number(double d) {
    if (Double.isNaN(d)) {
      return "Double.NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e9) {
      return String.valueOf((long) d);
    }
    return Double.toString(d);
  }

  private static int[] dims(dev.sequent.model.Shape shape) {
    return shape.dims().stream().mapToInt(Integer::intValue).toArray();
  }

  private static String array(List<String> items) {
    return items.size() == 1 ? items.get(0) : "{" + String.join(", ", items) + "}";
  }
}
