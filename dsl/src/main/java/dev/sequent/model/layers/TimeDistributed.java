package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.Arrays;
import java.util.List;

/**
 * Keras {@code TimeDistributed(layer)}: the wrapped layer applied to every step of a sequence with
 * the same weights. Input {@code (T, ...)}, the wrapped layer's input being {@code (...)}; output
 * {@code (T, ...)} of the wrapped layer's output. Its parameters are the wrapped layer's, named as
 * Keras names them (tf_keras: {@code time_distributed/kernel:0}; Keras 3:
 * {@code layers/time_distributed/layer/vars/0}).
 */
public record TimeDistributed(Framework framework, LayerSpec layer) implements LayerSpec {

  public TimeDistributed {
    if (layer instanceof TimeDistributed || layer.arity() != 1) {
      throw new ShapeException("layer", "TimeDistributed wraps a layer of one input; received " + layer.typeName());
    }
  }

  @Override
  public String typeName() {
    return TimeDistributedKind.KERAS_CLASS;
  }

  /** The wrapped layer's input: one step of the sequence. */
  public Shape stepShape(Shape in) {
    if (in.rank() < 2) {
      throw new ShapeException("input is " + in + "; TimeDistributed takes (time, ...) samples of at least one "
          + "more dimension, the wrapped " + layer.typeName() + "'s input");
    }
    return Shape.of(Arrays.copyOfRange(in.toArray(), 1, in.rank()));
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    Shape step = layer.outputShape(List.of(stepShape(in)));
    int[] out = new int[step.rank() + 1];
    out[0] = in.dim(0);
    System.arraycopy(step.toArray(), 0, out, 1, step.rank());
    return Shape.of(out);
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return layer.params(List.of(stepShape(LayerSpec.only(inputs, this))));
  }

  @Override
  public DataFormat dataFormat() {
    return layer.dataFormat();
  }

  /** As torchinfo would count the wrapped layer once per step. */
  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    Shape in = LayerSpec.only(inputs, this);
    Shape step = stepShape(in);
    return in.dim(0) * layer.multAdds(List.of(step), layer.outputShape(List.of(step)));
  }
}
