package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasJson;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.TorchModuleInput;
import dev.sequent.model.kind.TracedCall;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Keras {@code PReLU} ({@code keras/src/layers/activations/prelu.py}: {@code alpha_initializer="Zeros"},
 * {@code shared_axes}) and PyTorch {@code nn.PReLU} ({@code torch/nn/modules/activation.py}:
 * {@code num_parameters=1}, {@code init=0.25}, traced to {@code aten::prelu(input, weight)}). See {@link PReLU}.
 */
public final class PReLUKind extends AbstractLayerKind<PReLU> {
  public static final String CLASS = "PReLU";
  public static final String TORCH_MODULE = "torch.nn.modules.activation.PReLU";
  public static final String KERAS_ALPHA = "alpha";
  public static final String TORCH_WEIGHT = "weight";
  /** PyTorch's {@code num_parameters=1}. */
  public static final int DEFAULT_NUM_PARAMETERS = 1;
  /** PyTorch's {@code init=0.25}. */
  public static final double TORCH_INIT = 0.25;

  public PReLUKind() {
    super(PReLU.class, List.of(CLASS), List.of(TORCH_MODULE));
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of(
        new AnnotationBuilder("dev.sequent.dsl.keras.PReLU", v -> new PReLU(Framework.KERAS, 0,
            Arrays.stream(v.ints("sharedAxes")).boxed().toList(), 0)),
        new AnnotationBuilder("dev.sequent.dsl.torch.PReLU", v -> new PReLU(Framework.TORCH,
            v.integer("numParameters"), List.of(), v.number("init"))));
  }

  @Override
  public PReLU fromKeras(KerasLayerInput c) {
    Object axes = c.get("shared_axes");
    List<Integer> shared = new ArrayList<>();
    if (axes instanceof List<?> l) {
      l.forEach(a -> shared.add(((Number) a).intValue()));
    } else if (axes instanceof Number n) {
      shared.add(n.intValue());
    }
    return new PReLU(Framework.KERAS, 0, shared, 0);
  }

  @Override
  public void writeKeras(PReLU p, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    c.set("alpha_initializer", KerasJson.initializer("Zeros"));
    c.putNull("alpha_regularizer");
    c.putNull("alpha_constraint");
    List<Integer> shared = p.sharedAxes();
    if (p.framework() == Framework.TORCH) {
      // A PyTorch layer is written as its twin on a channels-last input: slopes along the last axis.
      int rank = inferred.inputShapes().get(0).rank();
      shared = new ArrayList<>();
      for (int a = 1; a <= (p.numParameters() > 1 ? rank - 1 : rank); a++) {
        shared.add(a);
      }
    }
    if (shared.isEmpty()) {
      c.putNull("shared_axes");
    } else {
      ArrayNode a = c.putArray("shared_axes");
      shared.forEach(a::add);
    }
  }

  @Override
  public PReLU fromTorch(TorchModuleInput m) {
    return new PReLU(Framework.TORCH, m.integer("num_parameters", DEFAULT_NUM_PARAMETERS), List.of(), TORCH_INIT);
  }

  @Override
  public Map<String, Object> tracedAttributes(String simpleName, TracedCall c, Map<String, long[]> shapes) {
    long[] weight = shapes.get(TORCH_WEIGHT);
    if (!c.op().equals("prelu") || weight == null || weight.length != 1) {
      return Map.of();
    }
    return Map.of("num_parameters", (int) weight[0]);
  }

  @Override
  public Map<String, Object> torchAttributes(PReLU p, InferredModel.Layer inferred) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("num_parameters", (int) inferred.params().get(0).torchShape().size());
    return a;
  }

  /**
   * A PyTorch PReLU's Keras twin shares the slopes over every axis but the channels (all of them for
   * one slope); over an input of rank 2 or more but not an image, PyTorch's channel axis 1 is not
   * Keras' last one and there is none.
   */
  @Override
  public Twin kerasTwin(PReLU p, TwinContext context) {
    if (p.framework() == Framework.KERAS) {
      return Twin.of(p);
    }
    int rank = context.input().rank();
    List<Integer> shared = new ArrayList<>();
    int kept = p.numParameters() > 1 ? rank : 0; // the twin's channel axis is its last
    if (p.numParameters() > 1 && rank != 1 && !(rank == 3 && context.transposed())) {
      return Twin.none("PyTorch's PReLU(" + p.numParameters() + ") slopes axis 1 of an input " + context.input()
          + ", which is not Keras' channel axis");
    }
    for (int a = 1; a <= rank; a++) {
      if (a != kept) {
        shared.add(a);
      }
    }
    return Twin.of(new PReLU(Framework.KERAS, 0, shared, 0));
  }

  /** Keras' alpha starts at 0, PyTorch's weight at {@code init}. */
  @Override
  public float[] initialValue(PReLU p, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      Random random) {
    float[] v = new float[(int) param.count()];
    Arrays.fill(v, framework == Framework.KERAS ? 0f : (float) (p.framework() == Framework.TORCH ? p.init() : TORCH_INIT));
    return v;
  }

  @Override
  public List<Example> examples() {
    return List.of(
        new Example(new PReLU(Framework.KERAS, 0, List.of(1, 2), 0), Shape.of(6, 6, 4)),
        new Example(new PReLU(Framework.KERAS, 0, List.of(), 0), Shape.of(5)),
        new Example(new PReLU(Framework.TORCH, 4, List.of(), TORCH_INIT), Shape.of(4)),
        new Example(new PReLU(Framework.TORCH, 1, List.of(), TORCH_INIT), Shape.of(5)));
    // PReLU(C) over channels-first images has its twin only transposed (alpha (1, 1, C)), which the
    // catalogue's untransposed checks cannot express: the conv_family fixtures cover it.
  }

  /** Keras' {@code supports_masking=True}: a mask on the input passes to the output unchanged. */
  @Override
  public MaskUse kerasMaskUse(PReLU layer) {
    return MaskUse.PASSES;
  }
}
