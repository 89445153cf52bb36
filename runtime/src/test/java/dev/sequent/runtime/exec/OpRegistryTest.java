package dev.sequent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.AdaptivePool2D;
import dev.sequent.model.layers.Conv1D;
import dev.sequent.model.layers.Embedding;
import dev.sequent.model.layers.GlobalPool1D;
import dev.sequent.model.layers.Pool1D;
import dev.sequent.model.layers.RepeatVector;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.ConvTranspose2D;
import dev.sequent.model.layers.Cropping2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.LayerNorm;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.model.layers.Upsample2D;
import dev.sequent.model.layers.Recurrent;
import dev.sequent.model.layers.ZeroPad2D;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry binds every layer record through its own op and refuses, by name, a layer it has
 * no op for instead of running it some other way.
 */
class OpRegistryTest {
  private static final OpContext NO_CUSTOM_LAYERS = new OpContext(c -> {
    throw new AssertionError("no custom layer in this test: " + c);
  });

  /** A layer kind the runtime has never heard of. */
  record MysteryLayer(Framework framework) implements LayerSpec {
    @Override
    public String typeName() {
      return "Mystery";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) {
      return LayerSpec.only(inputs, this);
    }
  }

  @Test
  void everyLayerRecordHasAnOp() {
    assertThat(OpRegistry.layerTypes()).containsExactlyInAnyOrder(
        Dense.class, Conv2D.class, ConvTranspose2D.class, Pool2D.class, GlobalPool2D.class, Flatten.class,
        BatchNorm.class, LayerNorm.class, Dropout.class, ActivationLayer.class, ElementwiseMerge.class,
        dev.sequent.model.layers.Concatenate.class, CustomLayer.class,
        dev.sequent.model.layers.Reshape.class, dev.sequent.model.layers.Permute.class,
        dev.sequent.model.layers.Unflatten.class, dev.sequent.model.layers.Rescaling.class,
        dev.sequent.model.layers.Normalization.class, dev.sequent.model.layers.Arithmetic.class,
        dev.sequent.model.layers.LayerScale.class, dev.sequent.model.layers.ScaledSum.class,
        ZeroPad2D.class, Cropping2D.class,
        Upsample2D.class, dev.sequent.model.layers.DepthwiseConv2D.class,
        dev.sequent.model.layers.SeparableConv2D.class, dev.sequent.model.layers.PReLU.class,
        Embedding.class, Conv1D.class, Pool1D.class, GlobalPool1D.class, AdaptivePool2D.class,
        RepeatVector.class, Recurrent.class, dev.sequent.model.layers.Masking.class,
        dev.sequent.model.layers.StepMask.class, dev.sequent.model.layers.TimeDistributed.class,
        dev.sequent.model.layers.MultiHeadAttention.class,
        dev.sequent.model.layers.ScaledDotProductAttention.class, dev.sequent.model.layers.Slice.class,
        dev.sequent.model.layers.TensorOperand.class);
  }

  @Test
  void aRegisteredLayerIsBoundByItsOp() {
    BoundLayer dropout = OpRegistry.bind(layer("drop", new Dropout(Framework.KERAS, 0.5)), List.of(),
        NO_CUSTOM_LAYERS);

    float[] x = {1f, 2f, 3f};
    assertThat(dropout.java().apply(List.of(x), 1)).isSameAs(x);
  }

  @Test
  void anUnregisteredLayerTypeIsRefusedByName() {
    InferredModel.Layer mystery = layer("mystery_1", new MysteryLayer(Framework.KERAS));

    assertThatThrownBy(() -> OpRegistry.bind(mystery, List.of(), NO_CUSTOM_LAYERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mystery_1")
        .hasMessageContaining(MysteryLayer.class.getName());
  }

  private static InferredModel.Layer layer(String name, LayerSpec spec) {
    Shape shape = Shape.of(3);
    return new InferredModel.Layer(new Node(name, spec, List.of(ModelSpec.INPUT)), List.of(shape),
        spec.outputShape(shape), List.of());
  }
}
