package dev.sequent.model.layers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Node;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.AbstractLayerKind;
import dev.sequent.model.kind.KerasDialect;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.MaskUse;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.kind.Twin;
import dev.sequent.model.kind.TwinContext;
import dev.sequent.model.kind.UnsupportedLayerException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Keras {@code TimeDistributed} ({@code keras/src/layers/rnn/time_distributed.py}: config
 * {@code layer}, the wrapped layer's own config; {@code supports_masking}, and a mask passes on).
 * Everything about the wrapped layer (its config, parameters, conversion, initialisers) is asked of
 * the wrapped layer's kind, on one step's shape; Keras 3 keeps its variables below the wrapper's
 * group as {@code layer/vars/<i>}. PyTorch has no module for it (a model reshapes the steps into
 * the batch in its forward).
 */
public final class TimeDistributedKind extends AbstractLayerKind<TimeDistributed> {
  public static final String KERAS_CLASS = "TimeDistributed";

  public TimeDistributedKind() {
    super(TimeDistributed.class, List.of(KERAS_CLASS), List.of());
  }

  @Override
  public String torchClass(TimeDistributed t) {
    return KERAS_CLASS;
  }

  @Override
  public List<AnnotationBuilder> annotations() {
    return List.of();
  }

  private static LayerKind<LayerSpec> inner(TimeDistributed t) {
    return LayerKinds.of(t.layer());
  }

  private static List<Shape> step(TimeDistributed t, List<Shape> inputs) {
    return List.of(t.stepShape(inputs.get(0)));
  }

  /** The wrapped layer as a layer of its own on one step, for the kinds' methods that take one. */
  static InferredModel.Layer innerLayer(TimeDistributed t, InferredModel.Layer inferred) {
    List<Shape> in = step(t, inferred.inputShapes());
    return new InferredModel.Layer(new Node(inferred.name(), t.layer(), inferred.node().inputs()), in,
        t.layer().outputShape(in), t.layer().params(in));
  }

  @Override
  public TimeDistributed fromKeras(KerasLayerInput c) {
    if (!(c.get("layer") instanceof Map<?, ?> layer) || !(layer.get("config") instanceof Map<?, ?> config)) {
      throw c.missing("layer", "the wrapped layer's config");
    }
    String cls = String.valueOf(layer.get("class_name"));
    LayerKind<?> kind = LayerKinds.forKerasClass(cls).orElseThrow(() ->
        c.unsupported("the wrapped layer is a " + cls + ", which Sequent does not read"));
    @SuppressWarnings("unchecked")
    Map<String, Object> wrapped = (Map<String, Object>) config;
    LayerSpec spec;
    try {
      spec = kind.fromKeras(new KerasLayerInput(cls, c.name(), wrapped, 1, c.imageFormat()));
      return new TimeDistributed(Framework.KERAS, spec);
    } catch (UnsupportedLayerException e) {
      throw c.unsupported("the wrapped " + cls + ": " + e.getMessage());
    } catch (ShapeException e) {
      throw c.unsupported("the wrapped " + cls + ": " + e.getMessage());
    }
  }

  @Override
  public void writeKeras(TimeDistributed t, InferredModel.Layer inferred, KerasDialect dialect, ObjectNode c) {
    LayerKind<LayerSpec> kind = inner(t);
    ObjectNode layer = JsonNodeFactory.instance.objectNode();
    layer.put("module", kind.kerasModule(t.layer()));
    layer.put("class_name", kind.kerasClass(t.layer()));
    ObjectNode config = layer.putObject("config");
    config.put("name", kind.kerasClass(t.layer()).toLowerCase(Locale.ROOT));
    config.put("trainable", true);
    kind.writeKeras(t.layer(), innerLayer(t, inferred), dialect, config);
    layer.putNull("registered_name");
    c.set("layer", layer);
  }

  @Override
  public Optional<String> kerasUnsupported(TimeDistributed t) {
    return inner(t).kerasUnsupported(t.layer());
  }

  @Override
  public MaskUse kerasMaskUse(TimeDistributed t) {
    return MaskUse.PASSES;
  }

  @Override
  public Optional<String> withoutTorchModule() {
    return Optional.of("PyTorch has no module that applies a layer per step: its models fold the steps into the "
        + "batch in forward");
  }

  @Override
  public Twin kerasTwin(TimeDistributed t, TwinContext context) {
    return Twin.of(t);
  }

  // ------------------------------------------------------------- parameters, by the wrapped layer

  @Override
  public List<ParamSpec> frameworkParams(TimeDistributed t, List<Shape> inputs, Framework framework) {
    return inner(t).frameworkParams(t.layer(), step(t, inputs), framework);
  }

  @Override
  public List<ParamArray> convertParams(TimeDistributed t, List<Shape> inputs, Framework from, Framework to,
      List<ParamArray> values) {
    return inner(t).convertParams(t.layer(), step(t, inputs), from, to, values);
  }

  @Override
  public Optional<String> conversionRefused(TimeDistributed t, Framework to) {
    return inner(t).conversionRefused(t.layer(), to);
  }

  @Override
  public Optional<String> describeConversion(TimeDistributed t, Framework from, Framework to) {
    return inner(t).describeConversion(t.layer(), from, to);
  }

  @Override
  public String keras3VarPath(TimeDistributed t, int index) {
    return "layer/" + inner(t).keras3VarPath(t.layer(), index);
  }

  @Override
  public boolean kerasIntegerVariable(TimeDistributed t, ParamSpec param) {
    return inner(t).kerasIntegerVariable(t.layer(), param);
  }

  @Override
  public float[] initialValue(TimeDistributed t, InferredModel.Layer inferred, ParamSpec param, Framework framework,
      Random random) {
    return inner(t).initialValue(t.layer(), innerLayer(t, inferred), param, framework, random);
  }

  @Override
  public List<Example> examples() {
    return List.of(new Example(new TimeDistributed(Framework.KERAS, new Dense(Framework.KERAS, 3, 0, true,
        dev.sequent.model.Activation.of(dev.sequent.model.Activation.Kind.TANH))), Shape.of(5, 4)));
  }
}
