package dev.sequent.model;

import dev.sequent.model.layers.ActivationLayer;
import dev.sequent.model.layers.Add;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.model.layers.CustomLayer;
import dev.sequent.model.layers.Dense;
import dev.sequent.model.layers.Dropout;
import dev.sequent.model.layers.Flatten;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import java.util.List;

/**
 * One layer of the network model: its hyperparameters (validated when the record is built), its
 * output-shape rule and its parameters. Shared by the annotation processor, which checks shapes at
 * compile time, and the runtime, which executes the same records. Layer records are immutable.
 *
 * <p>Shapes are sample shapes (no batch axis). A rule that cannot accept its input throws
 * {@link ShapeException} with a message stating what it got and what it expected.
 *
 * <p>The implementations are the records of {@code dev.sequent.model.layers} ({@link Dense},
 * {@link Conv2D}, {@link Pool2D}, {@link GlobalPool2D}, {@link Flatten}, {@link BatchNorm},
 * {@link Dropout}, {@link ActivationLayer}, {@link Add}, {@link CustomLayer}); the runtime and the
 * generators switch over exactly these. (Not {@code sealed}: that would need a named module.)
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
    long total = 0;
    boolean conv = this instanceof Conv2D;
    for (ParamSpec p : params(inputs)) {
      String n = p.torchName();
      if (!p.trainable()) {
        continue;
      }
      if (n.equals("weight") || n.equals("bias")) {
        if (conv) {
          DataFormat f = dataFormat();
          total += p.count() * output.dim(f.heightAxis()) * output.dim(f.heightAxis() + 1);
        } else {
          total += p.count();
        }
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
