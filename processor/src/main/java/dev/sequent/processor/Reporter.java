package dev.sequent.processor;

import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;

/** Reports errors at the most precise position known: element, annotation, attribute value. */
final class Reporter {
  private final Messager messager;
  private int errors;

  Reporter(Messager messager) {
    this.messager = messager;
  }

  /**
   * @param attribute the annotation attribute at fault, or null; when the annotation states it
   *     explicitly the error points at its value, otherwise at the annotation
   */
  void error(String message, Element element, AnnotationMirror annotation, String attribute) {
    errors++;
    if (annotation == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element);
      return;
    }
    AnnotationValue value = null;
    if (attribute != null) {
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : annotation.getElementValues().entrySet()) {
        if (e.getKey().getSimpleName().contentEquals(attribute)) {
          value = e.getValue();
        }
      }
    }
    if (value != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation, value);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation);
    }
  }

  int errors() {
    return errors;
  }
}
