package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import java.util.List;

/**
 * Global average or max pooling over the steps of a sequence: Keras {@code GlobalAveragePooling1D} /
 * {@code GlobalMaxPooling1D(data_format, keepdims)}. Input {@code [steps, channels]} (or
 * {@code [channels, steps]} channels-first), output {@code [channels]}, or with {@code keepDims}
 * {@code [1, channels]} ({@code [channels, 1]}).
 */
public record GlobalPool1D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat, boolean keepDims)
    implements LayerSpec {

  @Override
  public String typeName() {
    if (framework == Framework.TORCH && kind == Pool2D.Kind.AVG) {
      return GlobalPool1DKind.TORCH_MEAN;
    }
    return kind == Pool2D.Kind.MAX ? GlobalPool1DKind.KERAS_MAX : GlobalPool1DKind.KERAS_AVG;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = Conv1D.requireSequence(LayerSpec.only(inputs, this), dataFormat);
    int c = in.dim(Conv1D.channelAxis(dataFormat));
    return keepDims ? Conv1D.sequenceShape(dataFormat, c, 1) : Shape.of(c);
  }
}
