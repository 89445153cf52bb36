package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * {@code x * scale + offset}: Keras {@code Rescaling(scale, offset=0.0)}
 * ({@code keras/src/layers/preprocessing/rescaling.py}). Each is a number or a list that broadcasts
 * against the input's last axis, as NumPy broadcasts a 1-D array: per channel of a channels-last
 * image. No parameters: the values are the config's. PyTorch has no such module (torchvision
 * scales in its transforms, outside the model).
 *
 * <p>Keras 3 reshapes a list {@code scale} (not {@code offset}) to {@code (c, 1, 1)} when the
 * process-wide {@code keras.config.image_data_format()} is channels_first; a saved model does not
 * record that setting, so the record follows the default, channels-last.
 *
 * @param scale one value, or one per entry of the last axis
 * @param offset one value, or one per entry of the last axis
 */
public record Rescaling(Framework framework, List<Double> scale, List<Double> offset) implements LayerSpec {

  public Rescaling {
    scale = List.copyOf(scale);
    offset = List.copyOf(offset);
    if (scale.isEmpty()) {
      throw new ShapeException("scale", "scale needs a value. Received: []");
    }
    if (offset.isEmpty()) {
      throw new ShapeException("offset", "offset needs a value. Received: []");
    }
  }

  @Override
  public String typeName() {
    return RescalingKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    check("scale", scale, in);
    check("offset", offset, in);
    return in;
  }

  private static void check(String attribute, List<Double> values, Shape in) {
    if (values.size() > 1 && in.last() != values.size()) {
      throw new ShapeException(attribute, attribute + " has " + values.size() + " values, which broadcast against the "
          + "last axis, but input " + in + " has " + in.last() + " there");
    }
  }
}
