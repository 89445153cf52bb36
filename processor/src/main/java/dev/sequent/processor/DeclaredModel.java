package dev.sequent.processor;

import dev.sequent.model.ModelSpec;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * A model read from its interface: the network model, and where in the source each layer was
 * declared, so that diagnostics can point at the method and the annotation attribute at fault.
 */
record DeclaredModel(TypeElement type, AnnotationMirror modelAnnotation, ModelSpec spec, List<LayerSite> sites) {

  /** One layer's declaration: its name, method and layer annotation. */
  record LayerSite(String name, ExecutableElement method, AnnotationMirror annotation) {}

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
}
