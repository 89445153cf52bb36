package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * A parametric ReLU, {@code x} where {@code x >= 0}, else {@code alpha * x}: PyTorch
 * {@code nn.PReLU(num_parameters=1, init=0.25)} (one slope, or one per channel of axis 1), Keras
 * {@code PReLU(shared_axes=None)} (one slope per element of the sample, shared along
 * {@code shared_axes}, numbered with the batch axis as 0).
 *
 * <p>Parameters: PyTorch {@code weight (num_parameters)}; Keras {@code alpha}, shaped as the sample
 * with the shared axes 1. The two hold the same values whenever the layers agree: Keras' alpha
 * {@code (1, 1, C)} over channels-last images ({@code shared_axes=[1, 2]}) is PyTorch's weight
 * {@code (C)} over channels-first ones, Keras' alpha with every axis shared PyTorch's {@code PReLU(1)},
 * so the layout is {@link ParamSpec.Layout#RESHAPED}. A Keras alpha with more than one slope along
 * any axis but the channels has no PyTorch form.
 *
 * @param numParameters PyTorch's {@code num_parameters}; 0 for a Keras layer
 * @param sharedAxes Keras' {@code shared_axes} (1-based sample axes); empty for a PyTorch layer
 * @param init PyTorch's {@code init} (the initial slope); Keras initialises alpha to 0
 */
public record PReLU(Framework framework, int numParameters, List<Integer> sharedAxes, double init)
    implements LayerSpec {

  public PReLU {
    sharedAxes = List.copyOf(sharedAxes);
    if (framework == Framework.TORCH) {
      LayerSpec.positive("numParameters", numParameters, "num_parameters");
    }
    for (int a : sharedAxes) {
      if (a < 1) {
        throw new ShapeException("sharedAxes", "shared_axes are sample axes numbered from 1 (0 is the batch). "
            + "Received: shared_axes=" + sharedAxes);
      }
    }
  }

  @Override
  public String typeName() {
    return PReLUKind.CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (framework == Framework.TORCH) {
      if (numParameters > 1 && (in.rank() == 0 || in.dim(0) != numParameters)) {
        throw new ShapeException("numParameters", "PReLU(num_parameters=" + numParameters + ") needs "
            + numParameters + " channels on axis 1, but the input is " + in);
      }
    } else {
      for (int a : sharedAxes) {
        if (a > in.rank()) {
          throw new ShapeException("sharedAxes", "shared axis " + a + " is out of range for an input " + in
              + " (sample axes 1 to " + in.rank() + ")");
        }
      }
    }
    return in;
  }

  /** Keras' alpha shape for this input: the sample shape with the shared axes set to 1. */
  public Shape kerasAlphaShape(Shape in) {
    int[] dims = in.toArray();
    for (int a : sharedAxes) {
      dims[a - 1] = 1;
    }
    return Shape.of(dims);
  }

  /**
   * PyTorch's weight length for a Keras alpha, when there is one: 1 when every slope is shared, the
   * channel count when only the last (channel) axis has several; -1 otherwise.
   */
  public static int torchCount(Shape alpha) {
    int[] d = alpha.toArray();
    for (int i = 0; i < d.length - 1; i++) {
      if (d[i] != 1) {
        return -1;
      }
    }
    return d.length == 0 ? 1 : d[d.length - 1];
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    Shape keras;
    Shape torch;
    if (framework == Framework.TORCH) {
      torch = Shape.of(numParameters);
      // The twin's input is channels-last for an image, so its alpha's channel axis is last.
      int[] dims = new int[in.rank()];
      java.util.Arrays.fill(dims, 1);
      if (numParameters > 1) {
        dims[dims.length - 1] = numParameters;
      }
      keras = Shape.of(dims);
    } else {
      keras = kerasAlphaShape(in);
      int n = torchCount(keras);
      torch = n > 0 ? Shape.of(n) : keras;
    }
    return List.of(new ParamSpec(PReLUKind.KERAS_ALPHA, PReLUKind.TORCH_WEIGHT, keras, torch, true,
        ParamSpec.Layout.RESHAPED));
  }
}
