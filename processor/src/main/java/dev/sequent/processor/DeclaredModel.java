package dev.sequent.processor;

import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * A model read from its interface: the network model, its module structure (blocks expanded into
 * dotted node names), and where in the source each layer was declared, so that diagnostics can
 * point at the method and the annotation attribute at fault.
 *
 * @param blocks the block interfaces the model uses (originating elements of the generated class)
 */
record DeclaredModel(TypeElement type, AnnotationMirror modelAnnotation, ModelSpec spec, List<LayerSite> sites,
    ModuleTree tree, List<TypeElement> blocks) {

  DeclaredModel(TypeElement type, AnnotationMirror modelAnnotation, ModelSpec spec, List<LayerSite> sites) {
    this(type, modelAnnotation, spec, sites, ModuleTree.FLAT, List.of());
  }

  /**
   * One use of a block on the way to a layer.
   *
   * @param name the use's node-name prefix ({@code layer3.1})
   * @param block the block interface
   * @param method the outermost use's method, in the model being compiled: where errors are reported
   * @param annotation the outermost use's annotation
   * @param attribute the outermost use's attribute holding the arguments
   * @param declaredAt the method of this use itself (in the model or in the enclosing block)
   * @param args this use's argument text
   */
  record Use(String name, TypeElement block, ExecutableElement method, AnnotationMirror annotation, String attribute,
      ExecutableElement declaredAt, String args) {}

  /** One layer's declaration: its name, method and layer annotation, and the block uses around it. */
  record LayerSite(String name, ExecutableElement method, AnnotationMirror annotation, List<Use> uses) {
    LayerSite(String name, ExecutableElement method, AnnotationMirror annotation) {
      this(name, method, annotation, List.of());
    }
  }

  /** The site of a layer by name; for duplicate names, the later declaration. */
  LayerSite site(String name, boolean last) {
    LayerSite found = null;
    for (LayerSite s : sites) {
      if (s.name().equals(name)) {
        found = s;
        if (!last) {
          return s;
        }
      }
    }
    return found;
  }

  /**
   * The nesting of a layer inside blocks, for a message reported at the outermost use:
   * {@code in layer3.1 = BasicBlock(planes = 256) at ResNet18.java:9} per use, then the block's own
   * layer line.
   */
  static String nesting(List<Use> uses, ExecutableElement layer, SourcePositions positions) {
    StringBuilder sb = new StringBuilder();
    for (Use u : uses) {
      sb.append("\n  in ").append(u.name()).append(" = ").append(u.block().getSimpleName()).append('(')
          .append(u.args()).append(") at ").append(positions.describe(u.declaredAt()));
    }
    Element owner = layer.getEnclosingElement();
    sb.append("\n  block layer: ").append(owner.getSimpleName()).append('.').append(layer.getSimpleName())
        .append("() at ").append(positions.describe(layer));
    return sb.toString();
  }
}
