package dev.sequent.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.ModuleTree;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.model.report.TorchSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code XNet} for a checked model: compile-time constants for the shapes and parameter
 * counts, the model itself, and the reports and factory delegating to {@code dsl} and the runtime.
 */
final class NetGenerator {
  static final String GENERATOR = "dev.sequent.processor.SequentProcessor";
  private static final ClassName NETWORK = ClassName.get("dev.sequent.runtime", "Network");

  private NetGenerator() {}

  static String className(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    for (var e = type.getEnclosingElement(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
      name.insert(0, t.getSimpleName() + "_");
    }
    return name.append("Net").toString();
  }

  static JavaFile generate(TypeElement type, String packageName, InferredModel model, boolean runtimePresent) {
    return generate(type, packageName, model, ModuleTree.FLAT, List.of(), runtimePresent);
  }

  /**
   * @param tree the module structure of a model with blocks; a model without blocks gets no
   *     {@code MODULES} constant, so its generated class is as before
   * @param blocks the block interfaces used, also originating elements of the generated class
   */
  static JavaFile generate(TypeElement type, String packageName, InferredModel model, ModuleTree tree,
      List<TypeElement> blocks, boolean runtimePresent) {
    ModelSpec spec = model.spec();
    ClassName self = ClassName.get(packageName, className(type));
    ClassName shape = ClassName.get(Shape.class);
    ParameterizedTypeName shapeMap = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), shape);
    // Each framework counts its own form of a layer's tensors (a PyTorch LSTM has two biases, Keras' one).
    long torchParams = ParameterNames.count(model, Framework.TORCH, true);
    long kerasParams = ParameterNames.count(model, Framework.KERAS, false);
    long kerasTrainable = ParameterNames.count(model, Framework.KERAS, true);

    TypeSpec.Builder t = TypeSpec.classBuilder(self)
        .addOriginatingElement(type)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
            .addMember("value", "$S", GENERATOR).build())
        .addJavadoc("The {@link $T} model as Sequent checked it at compile time: shapes, parameter counts,\n"
            + "summaries, Keras config and a factory into the runtime. Generated; do not edit.\n", ClassName.get(type))
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (TypeElement block : blocks) {
      t.addOriginatingElement(block);
    }
    boolean nested = !tree.isFlat();

    t.addField(FieldSpec.builder(ModelSpec.class, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The network model, as declared.\n")
        .initializer(SpecCode.model(spec)).build());
    if (nested) {
      t.addField(FieldSpec.builder(ModuleTree.class, "MODULES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The blocks behind the dotted layer names, for the nested summaries.\n")
          .initializer(SpecCode.tree(tree)).build());
    }
    t.addField(constant(shape, "INPUT_SHAPE", SpecCode.value(model.inputShape()), "Sample input shape (no batch axis)."));
    t.addField(constant(shape, "OUTPUT_SHAPE", SpecCode.value(model.outputShape()), "Sample output shape (no batch axis)."));
    t.addField(FieldSpec.builder(shapeMap, "OUTPUT_SHAPES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Each layer's output shape, in execution order.\n")
        .initializer("outputShapes()").build());
    t.addField(constant(ClassName.LONG, "TOTAL_PARAMS", CodeBlock.of("$LL", kerasParams),
        "All weights as Keras counts them, BatchNorm moving statistics included."));
    t.addField(constant(ClassName.LONG, "TRAINABLE_PARAMS", CodeBlock.of("$LL", kerasTrainable), "Trainable weights."));
    t.addField(constant(ClassName.LONG, "NON_TRAINABLE_PARAMS", CodeBlock.of("$LL", kerasParams - kerasTrainable),
        "Keras' non-trainable weights (BatchNorm moving statistics)."));
    t.addField(constant(ClassName.LONG, "TORCH_PARAMS", CodeBlock.of("$LL", torchParams),
        "Parameters as PyTorch counts them (BatchNorm running statistics are buffers, not parameters)."));

    CodeBlock.Builder shapes = CodeBlock.builder()
        .addStatement("$T<$T, $T> shapes = new $T<>()", Map.class, String.class, shape, LinkedHashMap.class);
    for (InferredModel.Layer l : model.nodes()) {
      shapes.addStatement("shapes.put($S, $L)", l.name(), SpecCode.value(l.outputShape()));
    }
    shapes.addStatement("return $T.unmodifiableMap(shapes)", Collections.class);
    t.addMethod(MethodSpec.methodBuilder("outputShapes").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(shapeMap).addCode(shapes.build()).build());

    t.addType(TypeSpec.classBuilder("Holder").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Infers the model once, on first use.\n")
        .addField(FieldSpec.builder(InferredModel.class, "MODEL", Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.inferOrThrow(SPEC)", ShapeInference.class).build())
        .build());
    t.addMethod(MethodSpec.methodBuilder("model").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The model with every shape and parameter inferred.\n")
        .returns(InferredModel.class).addStatement("return Holder.MODEL").build());

    boolean keras = spec.framework() == Framework.KERAS;
    t.addMethod(MethodSpec.methodBuilder("summary").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The summary in this model's vocabulary: " + (keras ? "Keras' table." : "torchinfo's table.") + "\n")
        .returns(String.class).addStatement("return $L()", keras ? "kerasSummary" : "torchSummary").build());
    t.addMethod(delegate("kerasSummary", String.class, CodeBlock.of("$T.render(model())", KerasSummary.class),
        "Keras' {@code model.summary()} table."));
    t.addMethod(delegate("torchSummary", String.class, nested
        ? CodeBlock.of("$T.render(model(), MODULES)", TorchSummary.class)
        : CodeBlock.of("$T.render(model())", TorchSummary.class),
        "torchinfo's {@code summary(model, input_size=(1, ...))} table."));
    if (nested) {
      t.addMethod(delegate("modules", ModuleTree.class, CodeBlock.of("MODULES"),
          "The module structure: blocks, their class names and outputs."));
    }
    t.addMethod(delegate("config", String.class, CodeBlock.of("$T.toJson(model())", KerasConfig.class),
        "The architecture as Keras {@code model.to_json()} writes it."));
    t.addMethod(delegate("parameters", ParameterizedTypeName.get(List.class, NamedParam.class),
        CodeBlock.of("$T.of(model())", ParameterNames.class),
        "Every parameter with its PyTorch, Keras 2 and Keras 3 names and shapes."));
    if (runtimePresent) {
      t.addMethod(MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .addJavadoc("A runnable network with freshly initialised weights.\n")
          .returns(NETWORK).addStatement(nested ? "return $T.create(model(), MODULES)" : "return $T.create(model())",
              NETWORK).build());
    }
    return JavaFile.builder(packageName, t.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private static FieldSpec constant(com.palantir.javapoet.TypeName type, String name, CodeBlock value, String doc) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n").initializer(value).build();
  }

  private static MethodSpec delegate(String name, java.lang.reflect.Type returns, CodeBlock body, String doc) {
    return delegate(name, com.palantir.javapoet.TypeName.get(returns), body, doc);
  }

  private static MethodSpec delegate(String name, com.palantir.javapoet.TypeName returns, CodeBlock body, String doc) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc(doc + "\n").returns(returns).addStatement("return $L", body).build();
  }
}
