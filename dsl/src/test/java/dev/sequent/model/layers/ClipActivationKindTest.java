package dev.sequent.model.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Activation;
import dev.sequent.model.Activation.Kind;
import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.model.kind.TorchModuleInput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the catalogue test cannot ask of the clipped and hard activations: Keras 3's hard_sigmoid and
 * hard_silu (no tf_keras string, and tf_keras' hard_sigmoid is another function), a Keras ReLU with a
 * threshold (no torch.nn module), Hardtanh's twins, and the Keras ReLU config in both dialects.
 */
class ClipActivationKindTest {
  private static final ActivationKind KIND = new ActivationKind();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Map<String, Object> write(ActivationLayer a, KerasDialect dialect) {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    KIND.writeKeras(a, null, dialect, c);
    return MAPPER.convertValue(c, new TypeReference<Map<String, Object>>() {});
  }

  private static ActivationLayer read(String className, Map<String, Object> config) {
    return KIND.fromKeras(new KerasLayerInput(className, "l", config, 1, DataFormat.CHANNELS_LAST));
  }

  @Test
  void kerasReluWithEveryArgumentReadsAndWritesInBothDialects() {
    ActivationLayer relu = new ActivationLayer(Framework.KERAS, "ReLU", Activation.kerasRelu(4, 0.1, 1));
    for (KerasDialect d : KerasDialect.values()) {
      Map<String, Object> c = write(relu, d);
      assertThat(c).containsEntry("max_value", 4.0).containsEntry("negative_slope", 0.1).containsEntry("threshold", 1.0);
      assertThat(read("ReLU", c)).isEqualTo(relu);
    }
    Map<String, Object> plain = write(new ActivationLayer(Framework.KERAS, "ReLU", Activation.of(Kind.RELU)),
        KerasDialect.KERAS3);
    assertThat(plain).containsEntry("max_value", null).containsEntry("threshold", 0.0);
    assertThat(read("ReLU", plain).activation()).isEqualTo(Activation.of(Kind.RELU));
    assertThat(KIND.torchClass(relu)).contains("threshold=1.0");
  }

  @Test
  void kerasReluRefusesNegativeArguments() {
    Map<String, Object> c = new HashMap<>(Map.of("negative_slope", -1.0));
    assertThatThrownBy(() -> read("ReLU", c)).isInstanceOf(ShapeException.class)
        .hasMessageContaining("negative_slope of a ReLU layer cannot be a negative value. Received: negative_slope=-1.0");
  }

  @Test
  void hardSigmoidDependsOnTheDialect() {
    Map<String, Object> keras3 = new HashMap<>();
    keras3.put("activation", "hard_sigmoid");
    keras3.put("dtype", Map.of("module", "keras", "class_name", "DTypePolicy", "config", Map.of("name", "float32")));
    assertThat(read("Activation", keras3).activation().kind()).isEqualTo(Kind.HARD_SIGMOID);
    Map<String, Object> tfKeras = new HashMap<>(Map.of("activation", "hard_sigmoid", "dtype", "float32"));
    assertThat(read("Activation", tfKeras).activation().kind()).isEqualTo(Kind.HARD_SIGMOID_TF);
    assertThat(write(read("Activation", tfKeras), KerasDialect.TF_KERAS)).containsEntry("activation", "hard_sigmoid");

    ActivationLayer k3 = new ActivationLayer(Framework.KERAS, "Activation", Activation.of(Kind.HARD_SIGMOID));
    assertThat(write(k3, KerasDialect.KERAS3)).containsEntry("activation", "hard_sigmoid");
    assertThatThrownBy(() -> write(k3, KerasDialect.TF_KERAS)).hasMessageContaining("no tf_keras activation string");
    assertThatThrownBy(() -> write(read("Activation", tfKeras), KerasDialect.KERAS3))
        .hasMessageContaining("no Keras 3 activation string");
  }

  @Test
  void hardSiluAndHardSwishAreOneFunction() {
    for (String name : List.of("hard_silu", "hard_swish")) {
      assertThat(read("Activation", new HashMap<>(Map.of("activation", name))).activation().kind())
          .isEqualTo(Kind.HARD_SILU);
    }
    ActivationLayer a = new ActivationLayer(Framework.KERAS, "Activation", Activation.of(Kind.HARD_SILU));
    assertThat(write(a, KerasDialect.KERAS3)).containsEntry("activation", "hard_silu");
    assertThatThrownBy(() -> write(a, KerasDialect.TF_KERAS)).hasMessageContaining("hard_silu");
    assertThat(KIND.torchClass(a)).isEqualTo("Hardswish");
  }

  private static Twin twin(ActivationLayer a) {
    InferredModel m = ShapeInference.infer(ModelSpec.sequential("t", Framework.TORCH, Shape.of(4),
        List.of(new ModelSpec.Named("l", a)))).orThrow();
    return KIND.kerasTwin(a, new TwinContext(m, m.layer("l"), false));
  }

  @Test
  void torchClipsTwinAsKerasReluWhereTheyCan() {
    ActivationLayer relu6 = KIND.fromTorch(new TorchModuleInput("r", "torch.nn.modules.activation.ReLU6",
        Map.of("min_val", 0.0, "max_val", 6.0), t -> false));
    assertThat(relu6.activation().kind()).isEqualTo(Kind.RELU6);
    assertThat(twin(relu6).layer()).contains(new ActivationLayer(Framework.KERAS, "ReLU", Activation.kerasRelu(6, 0, 0)));
    assertThat(write(relu6, KerasDialect.KERAS3)).containsEntry("max_value", 6.0);

    ActivationLayer zero = KIND.fromTorch(new TorchModuleInput("h", "torch.nn.modules.activation.Hardtanh",
        Map.of("min_val", 0.0, "max_val", 4.0), t -> false));
    assertThat(twin(zero).layer()).contains(new ActivationLayer(Framework.KERAS, "ReLU", Activation.kerasRelu(4, 0, 0)));

    ActivationLayer other = KIND.fromTorch(new TorchModuleInput("h", "torch.nn.modules.activation.Hardtanh",
        Map.of("min_val", -2.0, "max_val", 3.0), t -> false));
    assertThat(twin(other).layer()).isEmpty();
    assertThat(twin(other).whyNone()).get().asString().contains("Keras has no Hardtanh(min_val=-2.0, max_val=3.0)");
    assertThat(KIND.kerasUnsupported(other)).get().asString().contains("only Hardtanh(0, m)");

    assertThat(twin(new ActivationLayer(Framework.TORCH, "Hardsigmoid", Activation.of(Kind.HARD_SIGMOID))).layer()
        .map(l -> ((ActivationLayer) l).activation().kind())).contains(Kind.HARD_SIGMOID);
  }

  @Test
  void hardtanhRefusesBoundsOutOfOrder() {
    assertThatThrownBy(() -> KIND.fromTorch(new TorchModuleInput("h", "torch.nn.modules.activation.Hardtanh",
        Map.of("min_val", 1.0, "max_val", 1.0), t -> false)))
        .hasMessageContaining("Received: min_val=1.0, max_val=1.0");
  }

  @Test
  void unknownStringsAreStillRefused() {
    // hard_tanh is Keras 3's name for Hardtanh(-1, 1) and is read (ConvFamilyKindTest); a misspelling is not.
    assertThatThrownBy(() -> Activation.fromKeras("hardtanh")).isInstanceOf(ShapeException.class)
        .hasMessageContaining("relu6, hard_sigmoid, hard_silu, hard_swish");
    assertThat(UnsupportedLayerException.class).isNotNull();
  }
}
