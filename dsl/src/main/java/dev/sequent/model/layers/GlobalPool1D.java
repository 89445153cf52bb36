package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Global average or max pooling over the steps of a sequence: Keras {@code GlobalAveragePooling1D} /
 * {@code GlobalMaxPooling1D(data_format, keepdims)}. Input {@code [steps, channels]} (or
 * {@code [channels, steps]} channels-first), output {@code [channels]}, or with {@code keepDims}
 * {@code [1, channels]} ({@code [channels, 1]}).
 *
 * @param masked whether the last input is a Keras mask of the steps ({@code (steps)}, 0 for a masked
 *     one): Keras' {@code GlobalAveragePooling1D} then averages the kept steps only (none kept: 0/0,
 *     NaN, as in Keras)
 */
public record GlobalPool1D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat, boolean keepDims,
    boolean masked) implements LayerSpec {

  public GlobalPool1D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat, boolean keepDims) {
    this(framework, kind, dataFormat, keepDims, false);
  }

  public GlobalPool1D {
    if (masked && kind != Pool2D.Kind.AVG) {
      throw new ShapeException("mask", "only average pooling reads a mask (Keras' GlobalMaxPooling1D drops it)");
    }
  }

  @Override
  public int arity() {
    return masked ? 2 : 1;
  }

  @Override
  public String typeName() {
    if (framework == Framework.TORCH && kind == Pool2D.Kind.AVG) {
      return GlobalPool1DKind.TORCH_MEAN;
    }
    return kind == Pool2D.Kind.MAX ? GlobalPool1DKind.KERAS_MAX : GlobalPool1DKind.KERAS_AVG;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != arity()) {
      throw new ShapeException(typeName() + " takes " + arity() + " input(s)" + (masked ? " (the sequence, the mask)"
          : "") + " but is wired to " + inputs.size());
    }
    Shape in = Conv1D.requireSequence(inputs.get(0), dataFormat);
    int steps = in.dim(dataFormat == DataFormat.CHANNELS_LAST ? 0 : 1);
    if (masked && !inputs.get(1).equals(Shape.of(steps))) {
      throw new ShapeException("mask", "the mask is " + inputs.get(1) + "; a mask of " + steps + " steps is ("
          + steps + ")");
    }
    int c = in.dim(Conv1D.channelAxis(dataFormat));
    return keepDims ? Conv1D.sequenceShape(dataFormat, c, 1) : Shape.of(c);
  }
}
