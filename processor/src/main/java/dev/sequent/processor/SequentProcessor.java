package dev.sequent.processor;

import com.google.auto.service.AutoService;
import dev.sequent.model.Problem;
import dev.sequent.model.ShapeInference;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Sequent's annotation processor. For every {@code @Sequential} / {@code @Module} interface:
 * read it into the network model, check every shape, and only when nothing is wrong generate
 * {@code XNet}. Models whose custom layers are not compiled yet wait for a later round (kept by
 * name, never as elements). A failure inside the processor becomes an error on the model being
 * processed, never a compiler crash. Claims no annotations.
 */
@AutoService(Processor.class)
public final class SequentProcessor extends AbstractProcessor {
  private final Set<String> deferred = new LinkedHashSet<>();

  /** Test hook: a model with this simple name makes the processor fail internally. */
  static volatile String failOnModel;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ModelReader.SEQUENTIAL, ModelReader.MODULE);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<String> names = new LinkedHashSet<>(deferred);
    deferred.clear();
    for (String annotation : getSupportedAnnotationTypes()) {
      TypeElement a = processingEnv.getElementUtils().getTypeElement(annotation);
      if (a == null) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(a)) {
        if (e instanceof TypeElement t) {
          names.add(t.getQualifiedName().toString());
        }
      }
    }
    Reporter reporter = new Reporter(processingEnv.getMessager());
    for (String name : names) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type == null) {
        continue;
      }
      try {
        processModel(type, reporter);
      } catch (ModelReader.Deferred d) {
        if (round.processingOver()) {
          reporter.error(Message.CUSTOM_TYPE_MISSING.format(name, "the class " + d.missing), type, null, null);
        } else {
          deferred.add(name);
        }
      } catch (RuntimeException | Error e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.error(Message.INTERNAL_ERROR.format(name, trace), type, null, null);
      }
    }
    if (round.processingOver()) {
      for (String name : deferred) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
        reporter.error(Message.CUSTOM_TYPE_MISSING.format(name, "a class"), type, null, null);
      }
      deferred.clear();
    }
    return false;
  }

  private void processModel(TypeElement type, Reporter reporter) {
    if (type.getSimpleName().contentEquals(String.valueOf(failOnModel))) {
      throw new IllegalStateException("injected failure for " + type.getSimpleName());
    }
    SourcePositions positions = new SourcePositions(processingEnv);
    Optional<DeclaredModel> declared = new ModelReader(processingEnv.getElementUtils(), reporter, positions).read(type);
    if (declared.isEmpty()) {
      return;
    }
    DeclaredModel model = declared.get();
    ShapeInference.Result result = ShapeInference.infer(model.spec());
    for (Problem p : result.problems()) {
      report(model, p, reporter, positions);
    }
    if (!result.ok()) {
      return;
    }
    String pkg = processingEnv.getElementUtils().getPackageOf(type).getQualifiedName().toString();
    boolean runtime = processingEnv.getElementUtils().getTypeElement("dev.sequent.runtime.Network") != null;
    try {
      NetGenerator.generate(type, pkg, result.model(), model.tree(), model.blocks(), runtime)
          .writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      reporter.error("[sequent] cannot write " + NetGenerator.className(type) + ": " + e.getMessage(), type, null, null);
    }
  }

  private static void report(DeclaredModel model, Problem p, Reporter reporter, SourcePositions positions) {
    Message message = Message.valueOf(p.kind().name());
    if (p.node() == null) {
      reporter.error(message.format(p.message()), model.type(), model.modelAnnotation(), p.attribute());
      return;
    }
    DeclaredModel.LayerSite site = model.site(p.node(), p.kind() == Problem.Kind.DUPLICATE_NAME);
    if (site == null) {
      reporter.error(message.format(p.message()), model.type(), model.modelAnnotation(), null);
      return;
    }
    if (!site.uses().isEmpty()) {
      // Inside a block: the block is right for other arguments, so the error goes on this use's
      // arguments in the model, naming the nesting and the block's own line.
      DeclaredModel.Use outer = site.uses().get(0);
      reporter.error(message.format(p.message() + DeclaredModel.nesting(site.uses(), site.method(), positions)),
          outer.method(), outer.annotation(), outer.attribute());
      return;
    }
    var from = ModelReader.mirror(site.method().getAnnotationMirrors(), "dev.sequent.dsl.From");
    if ("from".equals(p.attribute()) && from != null) {
      reporter.error(message.format(p.message()), site.method(), from, "value");
    } else {
      reporter.error(message.format(p.message()), site.method(), site.annotation(), p.attribute());
    }
  }

}
