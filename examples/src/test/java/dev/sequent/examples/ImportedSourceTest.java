package dev.sequent.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.sequent.model.Shape;
import dev.sequent.model.source.DslSourceWriter.SourceFile;
import dev.sequent.model.source.UnwritableModelException;
import dev.sequent.processor.SequentProcessor;
import dev.sequent.runtime.ModelSource;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ./sequent import} end to end on files real Keras and PyTorch saved: the source written for
 * each reference model compiles with the processor without a diagnostic, and its generated
 * {@code <Name>Net.create().loadWeights(file)} (every tensor paired by the file's names) reproduces
 * the framework's recorded output, the batch of 8 and each sample alone.
 */
class ImportedSourceTest {
  private static final String PACKAGE = "com.example.imported";

  /** A model file, the input it was run on and the framework's output for it. */
  static Stream<Arguments> models() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String file : List.of("narrow_resnet18.pt2", "narrow_resnet18_core.pt2", "mobilenet_v2.pt2",
        "mobilenet_v2_core.pt2", "lstm_classifier.pt2", "lstm_classifier_core.pt2", "transformer_encoder.pt2",
        "transformer_encoder_core.pt2")) {
      String stem = "export/" + file.replaceFirst("(_core)?\\.pt2$", "");
      out.add(Arguments.of("export/" + file, stem + "_input.npy", stem + "_output.npy"));
    }
    // traced TorchScript of modules that are not nn.Sequential (their graphs read from code/)
    for (String stem : List.of("narrow_resnet18", "mobilenet_v2", "densenet", "lstm_classifier",
        "transformer_encoder", "custom")) {
      String dir = "torchscript_graphs/" + stem;
      out.add(Arguments.of(dir + "_traced.pt", dir + "_input.npy", dir + "_output.npy"));
    }
    for (String file : List.of("keras_text_lstm.keras", "keras_text_lstm.h5")) {
      out.add(Arguments.of("text_lstm/" + file, "text_lstm/keras_text_lstm_input.npy",
          "text_lstm/keras_text_lstm_output.npy"));
    }
    for (String stem : List.of("mobilenet_v2_035", "resnet_small", "resnet_v2_small")) {
      for (String ext : List.of(".keras", ".h5")) {
        out.add(Arguments.of("applications/" + stem + ext, "applications/" + stem + "_input.npy",
            "applications/" + stem + "_output.npy"));
      }
    }
    for (String model : List.of("mlp", "cnn", "lenet5", "batchnorm", "activations", "layernorm", "simple_net",
        "residual", "strided_same")) {
      String dir = "reference/" + model + "/";
      out.add(Arguments.of(dir + "keras3.keras", dir + "input_keras.npy", dir + "output_keras3.npy"));
      out.add(Arguments.of(dir + "keras2.h5", dir + "input_keras.npy", dir + "output_keras2.npy"));
      for (String torch : List.of("torch_model.pt", "torchscript.pt")) {
        if (Files.exists(root().resolve(dir + torch))) {
          out.add(Arguments.of(dir + torch, dir + "input_torch.npy", dir + "output_torch.npy"));
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theWrittenSourceCompilesAndReproducesTheFramework(String file, String input, String output) throws Exception {
    Path model = root().resolve(file);
    String name = "Imported_" + file.replaceAll("[^A-Za-z0-9]", "_");
    INDArray x = Nd4j.createFromNpyFile(root().resolve(input).toFile());
    // a pickled or TorchScript CNN does not record its input size: given as to ./sequent import --input-shape
    Network read = file.endsWith(".pt") ? Network.load(model, Shape.of(sampleShape(x))) : Network.load(model);
    List<SourceFile> sources = ModelSource.of(read, PACKAGE, name, model.getFileName().toString());
    Compilation compilation = compile(sources);
    assertThat(compilation).succeededWithoutWarnings();

    Network net = create(compilation, PACKAGE + "." + name + "Net").loadWeights(model);
    INDArray expected = Nd4j.createFromNpyFile(root().resolve(output).toFile()).castTo(DataType.FLOAT);
    assertBatchAndEachSample(net::forward, x, expected, file + " through its imported source");
  }

  /** The same file gives the same text: nothing depends on hash order or the time. */
  @Test
  void theSourceIsDeterministic() {
    Path model = root().resolve("export/narrow_resnet18.pt2");
    assertThat(ModelSource.of(model, PACKAGE, "ResNet")).isEqualTo(ModelSource.of(model, PACKAGE, "ResNet"));
  }

  /**
   * Layers are written as a person writes them: the file's names ({@code @Name} where a name is no
   * Java name), the file's vocabulary, defaults left out, merges naming their inputs, and
   * {@code @From} only where a layer does not read the one before it.
   */
  @Test
  void theSourceReadsLikeTheExamples() {
    String resnet = ModelSource.of(root().resolve("export/narrow_resnet18.pt2"), PACKAGE, "ResNet").get(0).content();
    assertThat(resnet)
        .contains("package com.example.imported;")
        .contains("import dev.sequent.dsl.torch.Conv2d;")
        .contains("@Module(input = {3, 32, 32}, name = \"narrow_resnet18\")")
        .contains("  @Conv2d(in = 3, out = 4, kernel = 7, stride = 2, padding = 3, bias = false) Layer conv1();\n")
        .contains("  @BatchNorm2d(numFeatures = 4) @Name(\"layer1.0.bn1\") Layer layer1_0_bn1();\n")
        .contains("  @Add(from = {\"layer1.0.bn2\", \"max_pool2d\"}) Layer add_();\n")
        .contains("@From(\"relu__4\") @Name(\"layer2.0.downsample.0\") Layer layer2_0_downsample_0();")
        .doesNotContain("momentum = 0.1"); // PyTorch's default
    String keras = ModelSource.of(root().resolve("text_lstm/keras_text_lstm.keras"), PACKAGE, "TextLstm").get(0)
        .content();
    assertThat(keras).contains("@Sequential(input = 20, name = \"sequential\")")
        .contains("  @Embedding(inputDim = 100, outputDim = 16) Layer embedding();\n")
        .contains("  @LSTM(units = 32) Layer lstm();\n")
        .contains("  @Dense(units = 4) Layer dense();\n")
        .doesNotContain("dev.sequent.dsl.torch");
  }

  private static int[] sampleShape(INDArray x) {
    long[] shape = x.shape();
    int[] sample = new int[shape.length - 1];
    for (int i = 1; i < shape.length; i++) {
      sample[i - 1] = (int) shape[i];
    }
    return sample;
  }

  /**
   * Layer kinds Sequent reads from files but has no annotation for (a Keras custom layer, ConvNeXt's
   * LayerScale, a tensor-and-number operator) are refused, naming the layer and its kind.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "applications/inception_resnet_mini.keras | layer custom_scale_layer (CustomScaleLayer, kind ScaledSumKind)",
      "applications/convnext_mini.keras | layer convnext_mini_stage_0_block_0_layer_scale (LayerScale, kind LayerScaleKind)",
      "applications/mobilenet_v3_small_mini.keras | layer add (Add, kind ArithmeticKind)"})
  void aKindWithoutAnAnnotationIsRefusedByName(String file, String layer) {
    assertThatThrownBy(() -> ModelSource.of(root().resolve(file), PACKAGE, "Refused"))
        .isInstanceOf(UnwritableModelException.class)
        .hasMessageContaining(layer + " has no DSL annotation in the Keras vocabulary");
  }

  /** A module called twice (shared weights) has no DSL form yet: refused, naming the layer. */
  @Test
  void aLayerTheDslCannotDeclareIsRefusedByName() {
    Path functional = root().resolve("export/functional.pt2");
    assertThatThrownBy(() -> ModelSource.of(functional, PACKAGE, "Functional"))
        .isInstanceOf(UnwritableModelException.class)
        .hasMessageContaining("runs layer")
        .hasMessageContaining("called twice");
  }

  @Test
  void badNamesAreRefused() {
    Path model = root().resolve("export/lstm_classifier.pt2");
    assertThatThrownBy(() -> ModelSource.of(model, PACKAGE, "class")).hasMessageContaining("Java name");
    assertThatThrownBy(() -> ModelSource.of(model, "com.1x", "Ok")).hasMessageContaining("package");
  }

  static Compilation compile(List<SourceFile> sources) {
    JavaFileObject[] files = sources.stream()
        .map(s -> JavaFileObjects.forSourceString(s.path().replace('/', '.').replaceFirst("\\.java$", ""),
            s.content()))
        .toArray(JavaFileObject[]::new);
    return javac().withProcessors(new SequentProcessor()).compile(files);
  }

  /** {@code generatedNet.create()} from the compiled classes. */
  static Network create(Compilation compilation, String generatedNet) throws ReflectiveOperationException {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        String binary = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length())
            .replaceFirst("\\.class$", "").replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(binary, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    ClassLoader loader = new ClassLoader(ImportedSourceTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
    return (Network) loader.loadClass(generatedNet).getMethod("create").invoke(null);
  }
}
