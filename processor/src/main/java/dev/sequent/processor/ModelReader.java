package dev.sequent.processor;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
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

  ModelReader(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
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
    String name = (String) modelValues.get("name");
    if (name.isEmpty()) {
      name = type.getSimpleName().toString();
    }

    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (!m.getModifiers().contains(Modifier.DEFAULT) && !m.getModifiers().contains(Modifier.STATIC)) {
        methods.add(m);
      }
    }
    Framework framework = vocabulary(methods);
    boolean ok = true;
    List<Node> nodes = new ArrayList<>();
    List<DeclaredModel.LayerSite> sites = new ArrayList<>();
    List<ModelSpec.Input> declaredInputs = new ArrayList<>();
    String previous = ModelSpec.INPUT;
    for (ExecutableElement method : methods) {
      String methodName = method.getSimpleName().toString();
      AnnotationMirror inputMirror = mirror(method.getAnnotationMirrors(), INPUT);
      if (inputMirror != null) {
        // An input of a several-input @Module: a name and a shape, no layer.
        if (sequential) {
          reporter.error(Message.INPUT_IN_SEQUENTIAL.format(methodName), method, inputMirror, null);
          ok = false;
        } else if (input.length > 0) {
          reporter.error(Message.INPUT_TWICE.format(methodName), method, inputMirror, null);
          ok = false;
        }
        AnnotationMirror inputName = mirror(method.getAnnotationMirrors(), NAME);
        String inName = inputName != null ? (String) values(inputName).get("value") : methodName;
        declaredInputs.add(new ModelSpec.Input(inName, Shape.of((int[]) values(inputMirror).get("value"))));
        sites.add(new DeclaredModel.LayerSite(inName, method, inputMirror));
        previous = inName;
        continue;
      }
      if (!isLayerType(method.getReturnType())) {
        reporter.error(Message.LAYER_METHOD_RETURN_TYPE.format(methodName, method.getReturnType()), method, null, null);
        ok = false;
        continue;
      }
      if (!method.getParameters().isEmpty()) {
        reporter.error(Message.LAYER_METHOD_HAS_PARAMETERS.format(methodName), method, null, null);
        ok = false;
        continue;
      }
      List<AnnotationMirror> layerMirrors = new ArrayList<>();
      for (AnnotationMirror am : method.getAnnotationMirrors()) {
        if (AnnotationCatalog.isLayer(qualifiedName(am))) {
          layerMirrors.add(am);
        }
      }
      if (layerMirrors.isEmpty()) {
        reporter.error(Message.NO_LAYER_ANNOTATION.format(methodName), method, null, null);
        ok = false;
        continue;
      }
      if (layerMirrors.size() > 1) {
        List<String> names = layerMirrors.stream().map(am -> "@" + simpleName(am)).toList();
        reporter.error(Message.TWO_LAYER_ANNOTATIONS.format(methodName, String.join(" and ", names)), method,
            layerMirrors.get(1), null);
        ok = false;
        continue;
      }
      AnnotationMirror layerMirror = layerMirrors.get(0);
      AnnotationMirror nameMirror = mirror(method.getAnnotationMirrors(), NAME);
      String layerName = nameMirror != null ? (String) values(nameMirror).get("value") : methodName;
      AnnotationMirror fromMirror = mirror(method.getAnnotationMirrors(), FROM);
      String annotation = qualifiedName(layerMirror);
      List<String> inputs;
      if (annotation.equals(ADD)) {
        String[] from = (String[]) values(layerMirror).get("from");
        if (sequential) {
          reporter.error(Message.FROM_IN_SEQUENTIAL.format(methodName), method, layerMirror, "from");
          ok = false;
        }
        inputs = List.of(from);
      } else if (fromMirror != null) {
        if (sequential) {
          reporter.error(Message.FROM_IN_SEQUENTIAL.format(methodName), method, fromMirror, null);
          ok = false;
        }
        inputs = List.of((String) values(fromMirror).get("value"));
      } else {
        inputs = List.of(previous);
      }
      sites.add(new DeclaredModel.LayerSite(layerName, method, layerMirror));
      try {
        LayerSpec spec = layer(annotation, layerMirror, framework, inputs.size(), method);
        if (spec != null) {
          nodes.add(new Node(layerName, spec, inputs));
        } else {
          ok = false;
        }
      } catch (ShapeException e) {
        reporter.error(Message.HYPERPARAMETER.format(layerName + " (@" + simpleName(layerMirror) + "): "
            + e.getMessage()), method, layerMirror, e.attribute());
        ok = false;
      }
      previous = layerName;
    }
    if (!ok) {
      return Optional.empty();
    }
    String output = sequential ? previous : (String) modelValues.get("output");
    if (output.isEmpty()) {
      output = previous;
    }
    String[] outputs = sequential ? new String[0] : (String[]) modelValues.getOrDefault("outputs", new String[0]);
    if (!sequential && input.length == 0 && declaredInputs.isEmpty()) {
      reporter.error(Message.NO_INPUT.format(type.getSimpleName()), type, modelMirror, "input");
      return Optional.empty();
    }
    ModelSpec spec = declaredInputs.isEmpty() && outputs.length == 0
        ? new ModelSpec(name, sequential ? ModelSpec.Style.SEQUENTIAL : ModelSpec.Style.MODULE,
            framework, Shape.of(input), nodes, output)
        : ModelSpec.graph(name, ModelSpec.Style.MODULE, framework,
            declaredInputs.isEmpty() ? List.of(new ModelSpec.Input(ModelSpec.INPUT, Shape.of(input))) : declaredInputs,
            nodes, outputs.length == 0 ? List.of(output) : List.of(outputs));
    return Optional.of(new DeclaredModel(type, modelMirror, spec, sites));
  }

  private LayerSpec layer(String annotation, AnnotationMirror mirror, Framework framework, int inputs,
      ExecutableElement method) {
    if (annotation.equals(ADD)) {
      return AnnotationCatalog.add(framework, inputs);
    }
    if (annotation.equals(CUSTOM)) {
      return custom(mirror, framework, method);
    }
    return AnnotationCatalog.layer(annotation, values(mirror));
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

  /** The vocabulary most layer annotations use; PyTorch when there is none. */
  private static Framework vocabulary(List<ExecutableElement> methods) {
    int keras = 0;
    int torch = 0;
    for (ExecutableElement m : methods) {
      for (AnnotationMirror am : m.getAnnotationMirrors()) {
        Optional<Framework> f = AnnotationCatalog.vocabulary(qualifiedName(am));
        if (f.isPresent()) {
          if (f.get() == Framework.KERAS) {
            keras++;
          } else {
            torch++;
          }
        }
      }
    }
    return keras > torch ? Framework.KERAS : Framework.TORCH;
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
      if (component.getKind() == TypeKind.DECLARED && component.toString().equals("java.lang.String")) {
        return items.stream().map(i -> (String) ((AnnotationValue) i).getValue()).toArray(String[]::new);
      }
      return items;
    }
    return v;
  }
}
