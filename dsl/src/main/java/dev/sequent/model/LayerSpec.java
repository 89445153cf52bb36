package dev.sequent.model;

import java.util.List;

/**
 * One layer of the network model: its hyperparameters (validated when the record is built), its
 * output-shape rule and its parameters. Shared by the annotation processor, which checks shapes at
 * compile time, and the runtime, which executes the same records. Layer records are immutable.
 *
 * <p>Shapes are sample shapes (no batch axis). A rule that cannot accept its input throws
 * {@link ShapeException} with a message stating what it got and what it expected.
 *
 * <p>The implementations are the records of {@code dev.sequent.model.layers}, each described by
 * its {@link dev.sequent.model.kind.LayerKind kind} in the {@link dev.sequent.model.kind.LayerKinds
 * registry}, through which the generators and the runtime reach everything layer-specific.
 */
public interface LayerSpec {

  /** The vocabulary the layer was declared in; decides parameter layout and naming. */
  Framework framework();

  /** The class name the declaring framework uses ({@code Dense}, {@code Conv2d}, {@code AvgPool2d}). */
  String typeName();

  /** How many inputs the layer takes; 1 for all but merges. */
  default int arity() {
    return 1;
  }

  /**
   * Which output of the framework layer's call this record gives: 0 for layers with one output. A
   * Keras layer returning several tensors (an {@code LSTM(return_state=True)}'s {@code [output, h, c]})
   * is one node per output, those after the first sharing the first's weights
   * ({@link Node#sharesWeightsOf}) and reading the same inputs; a Keras config written back refers to
   * output {@code k} of that call rather than to another call.
   */
  default int outputIndex() {
    return 0;
  }

  /**
   * Whether this record may be another call of {@code owner}, with its weights
   * ({@link Node#sharesWeightsOf}): the same layer, or the same layer giving another of its call's
   * outputs ({@link #outputIndex}) or called with other optional inputs (a recurrent layer's initial
   * states or mask).
   */
  default boolean isCallOf(LayerSpec owner) {
    return equals(owner);
  }

  /** The output shape for these inputs, or a {@link ShapeException}. */
  Shape outputShape(List<Shape> inputs);

  /** The layer's parameters for these inputs, in the declaring framework's order. */
  default List<ParamSpec> params(List<Shape> inputs) {
    return List.of();
  }

  /** The activation fused into the layer (Keras {@code activation=}); linear when none. */
  default Activation activation() {
    return Activation.LINEAR;
  }

  /**
   * Whether the layer reads integer ids (an embedding's lookup) rather than values: such a layer
   * must read the model input itself, which may then be an integer array.
   */
  default boolean readsIntegerIds() {
    return false;
  }

  /** The data format of an image layer, or null for layers that do not care. */
  default DataFormat dataFormat() {
    return null;
  }

  /**
   * Multiply-accumulate count for one sample, as torchinfo counts it: each {@code weight} or
   * {@code bias} parameter once per output position (per output pixel for convolutions, per sample
   * otherwise); other parameter names count per leading output position.
   */
  default long multAdds(List<Shape> inputs, Shape output) {
    return multAdds(inputs, output, 1);
  }

  /**
   * {@link #multAdds(List, Shape)} for a layer whose {@code weight} and {@code bias} are applied
   * {@code positions} times per sample (a convolution: once per output pixel).
   */
  default long multAdds(List<Shape> inputs, Shape output, long positions) {
    long total = 0;
    for (ParamSpec p : params(inputs)) {
      String n = p.torchName();
      if (!p.trainable()) {
        continue;
      }
      if (n.equals("weight") || n.equals("bias")) {
        total += p.count() * positions;
      } else if (n.contains("weight") || n.contains("bias")) {
        total += p.count() * (output.rank() > 0 ? output.dim(0) : 1);
      }
    }
    return total;
  }

  /** Single-input convenience for {@link #outputShape(List)}. */
  default Shape outputShape(Shape input) {
    return outputShape(List.of(input));
  }

  /** Single-input convenience for {@link #params(List)}. */
  default List<ParamSpec> params(Shape input) {
    return params(List.of(input));
  }

  static Shape only(List<Shape> inputs, LayerSpec layer) {
    if (inputs.size() != 1) {
      throw new ShapeException(layer.typeName() + " takes one input but is wired to " + inputs.size());
    }
    return inputs.get(0);
  }

  static void positive(String attribute, int value, String what) {
    if (value <= 0) {
      throw new ShapeException(attribute, what + " must be positive. Received: " + attribute + "=" + value);
    }
  }
}
