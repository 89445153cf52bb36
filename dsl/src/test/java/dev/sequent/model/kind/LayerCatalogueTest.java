package dev.sequent.model.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.kind.LayerKind.AnnotationBuilder;
import dev.sequent.model.kind.LayerKind.Example;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.LayerNorm;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Registry-wide checks of the layer catalogue, run over every kind of {@link LayerKinds#all()} and
 * every one of its {@linkplain LayerKind#examples() examples}, so that a kind is covered the moment
 * it is registered: its examples, its annotation builders, its Keras config codec in both dialects,
 * its PyTorch module codec, its parameter names and initialisers, and the registry's uniqueness.
 */
class LayerCatalogueTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String DSL = "dev.sequent.dsl.";
  private static final List<String> VOCABULARIES = List.of("keras", "torch");

  // ------------------------------------------------------------------------------- the cases

  /** One example of one kind, named for the test report. */
  record Case(LayerKind<LayerSpec> kind, Example example, int index) {
    LayerSpec layer() {
      return example.layer();
    }

    Shape input() {
      return example.input();
    }

    @Override
    public String toString() {
      return kind.getClass().getSimpleName() + " #" + index + " " + layer().typeName() + "("
          + layer().framework() + ") on " + input();
    }
  }

  /** One annotation builder of one kind. */
  record Builder(LayerKind<?> kind, AnnotationBuilder builder) {
    @Override
    public String toString() {
      return kind.getClass().getSimpleName() + " @" + builder.annotation();
    }
  }

  @SuppressWarnings("unchecked")
  private static LayerKind<LayerSpec> raw(LayerKind<?> kind) {
    // The kinds are only handed their own examples' records.
    return (LayerKind<LayerSpec>) kind;
  }

  static Stream<LayerKind<?>> kinds() {
    return LayerKinds.all().stream();
  }

  static Stream<Case> examples() {
    return LayerKinds.all().stream().flatMap(k -> {
      List<Example> examples = k.examples();
      return IntStream.range(0, examples.size()).mapToObj(i -> new Case(raw(k), examples.get(i), i));
    });
  }

  static Stream<Builder> builders() {
    return LayerKinds.all().stream().flatMap(k -> k.annotations().stream().map(b -> new Builder(k, b)));
  }

  /**
   * Examples with a Keras config: their kind reads Keras classes, and neither it
   * ({@link LayerKind#kerasUnsupported}) nor the config writer ({@link KerasConfig#unsupportedReason})
   * refuses them.
   */
  static Stream<Case> kerasExamples() {
    return examples().filter(c -> !c.kind().kerasClassNames().isEmpty()
        && c.kind().kerasUnsupported(c.layer()).isEmpty()
        && c.kind().kerasOperation(c.layer()).isEmpty() // code in the model: no layer config (KerasOperation)
        && KerasConfig.unsupportedReason(oneLayer(c.layer(), c.input())).isEmpty());
  }

  /** PyTorch-vocabulary examples with a Keras config whose input is not an image (so the twin keeps it). */
  static Stream<Case> untransposedTorchKerasExamples() {
    return kerasExamples().filter(c -> c.layer().framework() == Framework.TORCH && c.input().rank() != 3);
  }

  /** Keras-vocabulary examples with a Keras config: what the tf_keras form is written for. */
  static Stream<Case> kerasVocabularyExamples() {
    return kerasExamples().filter(c -> c.layer().framework() == Framework.KERAS);
  }

  /** PyTorch-vocabulary examples of kinds that read torch.nn modules. */
  static Stream<Case> torchExamples() {
    return examples().filter(c -> c.layer().framework() == Framework.TORCH && !c.kind().torchModules().isEmpty());
  }

  /** Examples whose one-layer model has a Keras twin. */
  static Stream<Case> twinnedExamples() {
    return examples().filter(c -> KerasTwin.whyNone(oneLayer(c.layer(), c.input())).isEmpty());
  }

  // ------------------------------------------------------------------------------- helpers

  /** The layer as the only layer of a model on {@code input}: Sequential, or a Module for merges. */
  static InferredModel oneLayer(LayerSpec layer, Shape input) {
    ModelSpec spec = layer.arity() == 1
        ? ModelSpec.sequential("OneLayer", layer.framework(), input, List.of(new ModelSpec.Named("l", layer)))
        : new ModelSpec("OneLayer", ModelSpec.Style.MODULE, layer.framework(), input,
            List.of(new Node("l", layer, Collections.nCopies(layer.arity(), ModelSpec.INPUT))), "l");
    return ShapeInference.infer(spec).orThrow();
  }

  static List<Shape> inputs(LayerSpec layer, Shape input) {
    return Collections.nCopies(layer.arity(), input);
  }

  static Shape outputShape(LayerSpec layer, Shape input) {
    return layer.outputShape(inputs(layer, input));
  }

  static List<ParamSpec> params(LayerSpec layer, Shape input) {
    return layer.params(inputs(layer, input));
  }

  static Map<String, Object> writeKeras(LayerSpec layer, Shape input, KerasDialect dialect) {
    InferredModel model = oneLayer(layer, input);
    ObjectNode config = JSON.objectNode();
    LayerKinds.of(layer).writeKeras(layer, model.layer("l"), dialect, config);
    return MAPPER.convertValue(config, new TypeReference<Map<String, Object>>() {});
  }

  static LayerSpec readKeras(LayerSpec written, Map<String, Object> config) {
    LayerKind<LayerSpec> kind = LayerKinds.of(written);
    DataFormat format = written.dataFormat() != null ? written.dataFormat() : DataFormat.CHANNELS_LAST;
    // The call as the Keras 3 writer records it (an attention layer's query, value, key=..., use_causal_mask=...).
    KerasCall call = kind.kerasCall(written);
    int tensors = call.separate() ? call.arguments().size() : written.arity();
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      arguments.add(!call.separate() || i < call.positional() ? KerasLayerInput.POSITIONAL : call.arguments().get(i));
    }
    return kind.fromKeras(new KerasLayerInput(kind.kerasClass(written), "l", config, tensors, format,
        arguments, call.options()));
  }

  /**
   * The record with its axes resolved against the input's rank: tf_keras stores a built layer's
   * axes (non-negative, batch counted), so its form cannot tell {@code -1} from {@code rank - 1}.
   */
  static LayerSpec resolvedAxes(LayerSpec layer, Shape input) {
    int rank = input.rank();
    if (layer instanceof BatchNorm b && b.featureAxis() < 0) {
      return new BatchNorm(b.framework(), b.typeName(), b.epsilon(), b.momentum(), rank + b.featureAxis(),
          b.center(), b.scale(), b.requiredRanks(), b.declaredFeatures());
    }
    if (layer instanceof LayerNorm n) {
      return new LayerNorm(n.framework(), n.axes().stream().map(a -> a < 0 ? rank + a : a).toList(), n.epsilon(),
          n.center(), n.scale(), n.declaredShape());
    }
    return layer;
  }

  /** The qualified torch.nn module of {@code kind} whose simple name is {@code simpleName}. */
  static String torchModule(LayerKind<?> kind, String simpleName) {
    return kind.torchModules().stream()
        .filter(m -> m.substring(m.lastIndexOf('.') + 1).equals(simpleName))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind.getClass().getSimpleName() + " lists no torch.nn module named "
            + simpleName + " among " + kind.torchModules()));
  }

  static LayerSpec readTorch(LayerKind<LayerSpec> kind, LayerSpec layer, Shape input) {
    InferredModel model = oneLayer(layer, input);
    InferredModel.Layer inferred = model.layer("l");
    Map<String, Object> attributes = kind.torchAttributes(layer, inferred);
    Set<String> tensors = inferred.params().stream().map(p -> "0." + p.torchName()).collect(Collectors.toSet());
    return kind.fromTorch(new TorchModuleInput("0", torchModule(kind, kind.torchClass(layer)), attributes,
        tensors::contains));
  }

  // ------------------------------------------------------------------------------- examples

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindHasExamplesAndNames(LayerKind<?> kind) {
    assertThat(kind.recordType()).as("record type").isNotNull();
    assertThat(kind.examples()).as("examples of " + kind.getClass().getSimpleName()).isNotEmpty();
    assertThat(kind.kerasClassNames()).doesNotContain("").doesNotHaveDuplicates();
    assertThat(kind.torchModules()).doesNotContain("").doesNotHaveDuplicates()
        .allSatisfy(m -> assertThat(m).startsWith("torch.nn.modules."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void anExampleIsARecordOfItsKindAndAcceptsItsInput(Case c) {
    LayerSpec layer = c.layer();
    assertThat(layer.getClass()).isEqualTo(c.kind().recordType());
    assertThat(LayerKinds.of(layer)).isSameAs(c.kind());
    assertThat(layer.typeName()).isNotBlank();
    assertThat(c.kind().kerasClass(layer)).isNotBlank();
    assertThat(c.kind().torchClass(layer)).isNotBlank();
    Shape out = outputShape(layer, c.input());
    assertThat(out.dims()).isNotEmpty().allSatisfy(d -> assertThat(d).isPositive());
    assertThat(params(layer, c.input())).allSatisfy(p -> assertThat(p.count()).isPositive());
    InferredModel model = oneLayer(layer, c.input());
    assertThat(model.outputShape()).isEqualTo(out);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void anExamplesClassNamesAreTheOnesItsKindReads(Case c) {
    LayerSpec layer = c.layer();
    if (!c.kind().kerasClassNames().isEmpty()) {
      assertThat(c.kind().kerasClassNames()).contains(c.kind().kerasClass(layer));
      assertThat(LayerKinds.forKerasClass(c.kind().kerasClass(layer))).containsSame(c.kind());
    }
    if (!c.kind().torchModules().isEmpty()) {
      String module = torchModule(c.kind(), c.kind().torchClass(layer));
      assertThat(LayerKinds.forTorchModule(module)).containsSame(c.kind());
      if (layer.framework() == Framework.TORCH) {
        assertThat(c.kind().torchClass(layer)).isEqualTo(layer.typeName());
      }
    }
  }

  // ---------------------------------------------------------------------------- annotations

  /** The attribute values as the processor hands them over, recording which ones the builder reads. */
  static final class RecordingValues extends LinkedHashMap<String, Object> {
    final Set<String> read = new HashSet<>();

    @Override
    public Object get(Object key) {
      read.add(String.valueOf(key));
      return super.get(key);
    }
  }

  /** A small valid value for an attribute without a default, of the types the processor passes. */
  static Object requiredValue(Class<?> annotation, Method m) {
    Class<?> t = m.getReturnType();
    if (t == int.class) {
      return 4;
    }
    if (t == int[].class) {
      // Permute's dims must be a permutation of 1..rank.
      return m.getName().equals("dims") ? new int[] {1} : new int[] {4};
    }
    if (t == double.class) {
      return 0.25;
    }
    if (t == double[].class) {
      return new double[] {0.25};
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == String.class) {
      // the required string attributes: Keras' @Activation(value), @Bidirectional(layer)
      return m.getName().equals("layer") ? "LSTM" : "relu";
    }
    if (t == String[].class) {
      return new String[] {"x", "y"}; // the merges: two layers, which every merge takes
    }
    throw new AssertionError("@" + annotation.getSimpleName() + "." + m.getName() + " has type " + t
        + ", which the processor does not hand to the builders (Integer, Double, Boolean, String, int[], double[], String[])");
  }

  /** A default value as the processor converts it: boxed scalars, int[] and String[] as they are. */
  static Object processorValue(Object value) {
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return value;
  }

  /**
   * Attributes that have a Java default only so that something other than the annotation can give
   * them: {@code out} of @Conv2d/@Linear and {@code filters} of Keras' @Conv2D, set by {@code @Bind}
   * inside a block (0 is refused), and
   * the pools' kernel, given either positionally ({@code value}) or as {@code kernel}.
   */
  private static final Map<String, Object> EFFECTIVELY_REQUIRED = Map.of(
      "Conv2d.out", 2, "Conv2D.filters", 2, "Linear.out", 2, "MaxPool2d.value", new int[] {2},
      "AvgPool2d.value", new int[] {2},
      "MultiheadAttention.embedDim", 4, "MultiheadAttention.numHeads", 2, "MultiHeadAttention.numHeads", 2,
      "MultiHeadAttention.keyDim", 2);

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void anAnnotationBuildsARecordOfItsKindFromItsDefaults(Builder b) throws ClassNotFoundException {
    Class<?> annotation = Class.forName(b.builder().annotation());
    assertThat(annotation.isAnnotation()).as(b.builder().annotation() + " is an annotation").isTrue();
    String vocabulary = annotation.getPackageName().substring(DSL.length());
    assertThat(VOCABULARIES).as("package of " + annotation.getName()).contains(vocabulary);

    RecordingValues values = new RecordingValues();
    for (Method m : annotation.getDeclaredMethods()) {
      Object dflt = m.getDefaultValue();
      Object required = EFFECTIVELY_REQUIRED.get(annotation.getSimpleName() + "." + m.getName());
      values.put(m.getName(), required != null ? required
          : dflt != null ? processorValue(dflt) : requiredValue(annotation, m));
    }
    AnnotationBuilder registered = LayerKinds.annotation(b.builder().annotation()).orElseThrow();
    LayerSpec layer = registered.build().apply(new AnnotationValues(values));

    assertThat(layer).isInstanceOf(b.kind().recordType());
    assertThat(LayerKinds.of(layer)).isSameAs(b.kind());
    assertThat(layer.framework()).isEqualTo(vocabulary.equals("keras") ? Framework.KERAS : Framework.TORCH);
    assertThat(layer.typeName()).isEqualTo(annotation.getSimpleName());
    assertThat(values.read).as("attributes of @" + annotation.getSimpleName() + " its builder reads")
        .containsAll(values.keySet());
  }

  // ------------------------------------------------------------------------- Keras configs

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasExamples")
  void theKeras3ConfigReadsBack(Case c) {
    LayerSpec layer = c.layer();
    Map<String, Object> config = writeKeras(layer, c.input(), KerasDialect.KERAS3);
    LayerSpec read = readKeras(layer, config);

    assertThat(read.framework()).isEqualTo(Framework.KERAS);
    assertThat(outputShape(read, c.input())).as("output shape of the re-read layer")
        .isEqualTo(outputShape(layer, c.input()));
    assertThat(kerasParams(read, c.input())).as("parameters of the re-read layer")
        .isEqualTo(kerasParams(layer, c.input()));
    if (layer.framework() == Framework.KERAS) {
      assertThat(read).isEqualTo(layer);
    }
    // The re-read layer writes the same config, and reads back as itself.
    assertThat(writeKeras(read, c.input(), KerasDialect.KERAS3)).isEqualTo(config);
    assertThat(readKeras(read, config)).isEqualTo(read);
  }

  /** The Keras 3 config of a PyTorch layer describes the layer of its Keras twin (declared values aside). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("untransposedTorchKerasExamples")
  void theKeras3ConfigOfAPytorchLayerIsItsTwinOnAnUntransposedInput(Case c) {
    LayerSpec layer = c.layer();
    InferredModel model = oneLayer(layer, c.input());
    Twin twin = c.kind().kerasTwin(layer, new TwinContext(model, model.layer("l"), false));
    assertThat(twin.layer()).as("twin of a layer with a Keras config, why none: " + twin.whyNone()).isPresent();
    LayerSpec read = readKeras(layer, writeKeras(layer, c.input(), KerasDialect.KERAS3));
    assertThat(outputShape(read, c.input())).isEqualTo(outputShape(twin.layer().get(), c.input()));
    assertThat(params(read, c.input())).isEqualTo(params(twin.layer().get(), c.input()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasVocabularyExamples")
  void theTfKerasConfigReadsBack(Case c) {
    LayerSpec layer = c.layer();
    Map<String, Object> config = writeKeras(layer, c.input(), KerasDialect.TF_KERAS);
    LayerSpec read = readKeras(layer, config);

    assertThat(resolvedAxes(read, c.input())).isEqualTo(resolvedAxes(layer, c.input()));
    assertThat(outputShape(read, c.input())).isEqualTo(outputShape(layer, c.input()));
    assertThat(params(read, c.input())).isEqualTo(params(layer, c.input()));
    assertThat(writeKeras(read, c.input(), KerasDialect.TF_KERAS)).isEqualTo(config);
  }

  /**
   * The twin (Keras vocabulary, channels-last) is what both dialects are written for: it reads back as
   * a layer with its shapes and parameters that writes the same config. The twin may keep what the
   * PyTorch layer declared ({@code in_features}, {@code num_features}), which no Keras config carries.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("twinsInBothDialects")
  void aKerasTwinsConfigReadsBackInBothDialects(Case c, KerasDialect dialect) {
    InferredModel model = oneLayer(c.layer(), c.input());
    InferredModel twinModel = KerasTwin.of(model);
    LayerSpec twin = twinModel.layer("l").spec();
    Shape twinInput = twinModel.inputShape();
    if (LayerKinds.of(twin).kerasClassNames().isEmpty() || LayerKinds.of(twin).kerasOperation(twin).isPresent()) {
      return;
    }
    assertThat(twin.framework()).isEqualTo(Framework.KERAS);
    Map<String, Object> config = writeKeras(twin, twinInput, dialect);
    LayerSpec read = readKeras(twin, config);
    assertThat(outputShape(read, twinInput)).isEqualTo(outputShape(twin, twinInput));
    assertThat(params(read, twinInput)).isEqualTo(params(twin, twinInput));
    assertThat(writeKeras(read, twinInput, dialect)).isEqualTo(config);
    assertThat(resolvedAxes(readKeras(read, config), twinInput)).isEqualTo(resolvedAxes(read, twinInput));
    if (c.layer().framework() == Framework.KERAS) {
      assertThat(resolvedAxes(read, twinInput)).isEqualTo(resolvedAxes(twin, twinInput));
    }
  }

  static Stream<Arguments> twinsInBothDialects() {
    return twinnedExamples().flatMap(c -> Stream.of(KerasDialect.values())
        .map(d -> Arguments.of(c, d)));
  }

  /** KerasTwin checks that the twin takes the exported weights and keeps the output: it must not throw. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("twinnedExamples")
  void aKerasTwinTakesTheSameWeights(Case c) {
    InferredModel model = oneLayer(c.layer(), c.input());
    InferredModel twin = KerasTwin.of(model);
    assertThat(twin.outputShape())
        .isEqualTo(KerasTwin.twinShape(model.outputShape(), KerasTwin.imageFormat(model)));
    // the twin is written, not the model: a padded PyTorch layer whose twin is a chain has no config itself
    assertThat(KerasConfig.unsupportedReason(twin)).isEmpty();
  }

  /** The layer's tensors in Keras' form (its own for a Keras layer; a PyTorch LSTM's differ: LayerKind.frameworkParams). */
  private static List<ParamSpec> kerasParams(LayerSpec layer, Shape input) {
    return LayerKinds.of(layer).frameworkParams(layer, inputs(layer, input), Framework.KERAS);
  }

  // ------------------------------------------------------------------------ PyTorch modules

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchExamples")
  void theTorchModuleReadsBack(Case c) {
    LayerSpec layer = c.layer();
    LayerSpec read = readTorch(c.kind(), layer, c.input());

    assertThat(read.getClass()).isEqualTo(c.kind().recordType());
    assertThat(read.framework()).isEqualTo(Framework.TORCH);
    assertThat(read.typeName()).isEqualTo(layer.typeName());
    assertThat(outputShape(read, c.input())).isEqualTo(outputShape(layer, c.input()));
    assertThat(params(read, c.input())).isEqualTo(params(layer, c.input()));
    assertThat(c.kind().torchExtraBuffers(read)).isEqualTo(c.kind().torchExtraBuffers(layer));
    assertThat(readTorch(c.kind(), read, c.input())).as("read again").isEqualTo(read);
  }

  // ----------------------------------------------------------------------------- parameters

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyParameterHasANameInEveryFormat(Case c) {
    InferredModel model = oneLayer(c.layer(), c.input());
    assertThat(ParameterNames.of(model)).hasSameSizeAs(model.layer("l").params());
    // Each framework's file names the tensors of that framework's form of the layer (the same list
    // for layers whose tensors pair 1:1).
    for (Framework f : Framework.values()) {
      List<NamedParam> names = ParameterNames.of(model, f);
      assertThat(names).allSatisfy(n -> {
        assertThat(n.torchName()).isNotBlank().doesNotEndWith(".");
        assertThat(n.keras2Name()).isNotBlank().endsWith(":0");
        assertThat(n.keras3Name()).isNotBlank();
        assertThat(n.spec().kerasName()).isNotBlank();
        assertThat(n.spec().torchName()).isNotBlank();
      });
      if (f == Framework.TORCH) {
        assertThat(names.stream().map(NamedParam::torchName)).doesNotHaveDuplicates();
      } else {
        assertThat(names.stream().map(NamedParam::keras2Name)).doesNotHaveDuplicates();
        assertThat(names.stream().map(NamedParam::keras3Name)).doesNotHaveDuplicates();
      }
    }
    for (ParamSpec p : model.layer("l").params()) {
      assertThat(p.kerasShape().size()).as(p.kerasName() + " has as many values in both layouts")
          .isEqualTo(p.torchShape().size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyParameterHasAnInitialValueInBothFrameworks(Case c) {
    InferredModel model = oneLayer(c.layer(), c.input());
    InferredModel.Layer inferred = model.layer("l");
    for (Framework framework : Framework.values()) {
      Random random = new Random(42);
      for (ParamSpec p : inferred.params()) {
        float[] value = c.kind().initialValue(c.layer(), inferred, p, framework, random);
        assertThat(value).as(p.kerasName() + " in " + framework).hasSize((int) p.count());
        for (float v : value) {
          if (!Float.isFinite(v)) {
            fail(p.kerasName() + " in " + framework + " has a non-finite initial value " + v);
          }
        }
      }
    }
  }

  // ----------------------------------------------------------------------- registry integrity

  /** A kind that reads no PyTorch module or no Keras class says why, and one that reads some gives no such reason. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aKindWithoutAFrameworkFormSaysWhy(LayerKind<?> kind) {
    assertThat(kind.withoutTorchModule().isPresent()).as("withoutTorchModule").isEqualTo(kind.torchModules().isEmpty());
    assertThat(kind.withoutKerasClass().isPresent()).as("withoutKerasClass").isEqualTo(kind.kerasClassNames().isEmpty());
    kind.withoutTorchModule().ifPresent(why -> assertThat(why).isNotBlank());
    kind.withoutKerasClass().ifPresent(why -> assertThat(why).isNotBlank());
  }

  @Test
  void theRegistryLoadsAndEveryLookupFindsItsKind() {
    assertThat(LayerKinds.all()).isNotEmpty();
    Set<Class<?>> records = new HashSet<>();
    for (LayerKind<?> kind : LayerKinds.all()) {
      assertThat(records.add(kind.recordType())).as("record " + kind.recordType() + " claimed once").isTrue();
      for (AnnotationBuilder b : kind.annotations()) {
        // Builders capture their arguments, so each annotations() call makes new ones: compare what they declare.
        assertThat(LayerKinds.annotation(b.annotation()).map(AnnotationBuilder::annotation)).contains(b.annotation());
      }
      for (String cls : kind.kerasClassNames()) {
        assertThat(LayerKinds.forKerasClass(cls)).as("Keras class " + cls).containsSame(kind);
      }
      for (String module : kind.torchModules()) {
        assertThat(LayerKinds.forTorchModule(module)).as("torch.nn module " + module).containsSame(kind);
      }
    }
    List<String> annotations = LayerKinds.all().stream()
        .flatMap(k -> k.annotations().stream().map(AnnotationBuilder::annotation)).toList();
    assertThat(annotations).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(LayerKinds.annotations());
    List<String> modules = LayerKinds.all().stream().flatMap(k -> k.torchModules().stream()).toList();
    assertThat(modules).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(LayerKinds.torchModules());
    List<String> kerasClasses = LayerKinds.all().stream().flatMap(k -> k.kerasClassNames().stream()).toList();
    assertThat(kerasClasses).doesNotHaveDuplicates();
  }

  enum Vocabulary { KERAS, TORCH }

  /** Every annotation of a vocabulary package declares a layer, through a registered kind. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Vocabulary.class)
  void everyDslAnnotationIsRegistered(Vocabulary vocabulary) throws Exception {
    String pkg = DSL + vocabulary.name().toLowerCase(java.util.Locale.ROOT);
    List<String> annotations = new ArrayList<>();
    for (String name : classesOf(pkg)) {
      Class<?> cls = Class.forName(name);
      if (cls.isAnnotation()) {
        annotations.add(name);
      }
    }
    assertThat(annotations).as("annotations of " + pkg).isNotEmpty();
    assertThat(annotations).allSatisfy(a -> assertThat(LayerKinds.annotation(a))
        .as("@" + a + " has a kind in LayerKinds").isPresent());
    Set<String> registered = LayerKinds.annotations().stream().filter(a -> a.startsWith(pkg + "."))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(registered).containsExactlyInAnyOrderElementsOf(annotations);
  }

  /** The top-level classes of a package on the test's class path (a directory or a jar). */
  static List<String> classesOf(String pkg) throws IOException, URISyntaxException {
    String dir = pkg.replace('.', '/');
    URL url = LayerCatalogueTest.class.getClassLoader().getResource(dir);
    assertThat(url).as("package " + pkg + " on the class path").isNotNull();
    URI uri = url.toURI();
    if (uri.getScheme().equals("jar")) {
      try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
        return classNames(pkg, fs.getPath(dir));
      }
    }
    return classNames(pkg, Path.of(uri));
  }

  private static List<String> classNames(String pkg, Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
          .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyKindWithACodecHasAnExampleThatRoundTrips() {
    // Guards the filters above: a kind that reads Keras configs or torch.nn modules has an example they round-trip.
    Map<String, Integer> covered = new HashMap<>();
    Stream.of(kerasExamples(), torchExamples()).flatMap(s -> s)
        .forEach(c -> covered.merge(c.kind().getClass().getSimpleName(), 1, Integer::sum));
    for (LayerKind<?> kind : LayerKinds.all()) {
      boolean hasCodec = !kind.kerasClassNames().isEmpty() || !kind.torchModules().isEmpty();
      // Code in a Keras model (arithmetic, whose constant is a call argument, not config) is an operation
      // node, no layer config: its nodes are compared with real Keras files' in runtime's
      // KerasOperationWritesTest.
      boolean operation = kind.torchModules().isEmpty()
          && kind.examples().stream().allMatch(e -> raw(kind).kerasOperation(e.layer()).isPresent());
      if (hasCodec && !operation) {
        assertThat(covered).as(kind.getClass().getSimpleName() + " has an example some codec round trip uses")
            .containsKey(kind.getClass().getSimpleName());
      }
    }
  }
}
