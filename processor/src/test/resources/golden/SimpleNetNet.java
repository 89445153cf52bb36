package test;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeInference;
import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.report.KerasConfig;
import dev.sequent.model.report.KerasSummary;
import dev.sequent.model.report.NamedParam;
import dev.sequent.model.report.ParameterNames;
import dev.sequent.model.report.TorchSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;

/**
 * The {@link SimpleNet} model as Sequent checked it at compile time: shapes, parameter counts,
 * summaries, Keras config and a factory into the runtime. Generated; do not edit.
 */
@Generated("dev.sequent.processor.SequentProcessor")
public final class SimpleNetNet {
  /**
   * The network model, as declared.
   */
  public static final ModelSpec SPEC = ModelSpec.sequential("SimpleNet", Framework.TORCH, Shape.of(10), List.of(
    new ModelSpec.Named("fc1", new Dense(Framework.TORCH, 20, 0, true, Activation.LINEAR)),
    new ModelSpec.Named("act", new ActivationLayer(Framework.TORCH, "ReLU", Activation.of(Activation.Kind.RELU))),
    new ModelSpec.Named("fc2", new Dense(Framework.TORCH, 2, 0, true, Activation.LINEAR))
  ));

  /**
   * Sample input shape (no batch axis).
   */
  public static final Shape INPUT_SHAPE = Shape.of(10);

  /**
   * Sample output shape (no batch axis).
   */
  public static final Shape OUTPUT_SHAPE = Shape.of(2);

  /**
   * Each layer's output shape, in execution order.
   */
  public static final Map<String, Shape> OUTPUT_SHAPES = outputShapes();

  /**
   * All weights as Keras counts them, BatchNorm moving statistics included.
   */
  public static final long TOTAL_PARAMS = 262L;

  /**
   * Trainable weights.
   */
  public static final long TRAINABLE_PARAMS = 262L;

  /**
   * Keras' non-trainable weights (BatchNorm moving statistics).
   */
  public static final long NON_TRAINABLE_PARAMS = 0L;

  /**
   * Parameters as PyTorch counts them (BatchNorm running statistics are buffers, not parameters).
   */
  public static final long TORCH_PARAMS = 262L;

  private SimpleNetNet() {
  }

  private static Map<String, Shape> outputShapes() {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    shapes.put("fc1", Shape.of(20));
    shapes.put("act", Shape.of(20));
    shapes.put("fc2", Shape.of(2));
    return Collections.unmodifiableMap(shapes);
  }

  /**
   * The model with every shape and parameter inferred.
   */
  public static InferredModel model() {
    return Holder.MODEL;
  }

  /**
   * The summary in this model's vocabulary: torchinfo's table.
   */
  public static String summary() {
    return torchSummary();
  }

  /**
   * Keras' {@code model.summary()} table.
   */
  public static String kerasSummary() {
    return KerasSummary.render(model());
  }

  /**
   * torchinfo's {@code summary(model, input_size=(1, ...))} table.
   */
  public static String torchSummary() {
    return TorchSummary.render(model());
  }

  /**
   * The architecture as Keras {@code model.to_json()} writes it.
   */
  public static String config() {
    return KerasConfig.toJson(model());
  }

  /**
   * Every parameter with its PyTorch, Keras 2 and Keras 3 names and shapes.
   */
  public static List<NamedParam> parameters() {
    return ParameterNames.of(model());
  }

  /**
   * Infers the model once, on first use.
   */
  private static final class Holder {
    static final InferredModel MODEL = ShapeInference.inferOrThrow(SPEC);
  }
}
