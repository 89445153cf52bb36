package dev.sequent.model.kind;

import dev.sequent.model.Framework;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversions between a layer's tensors in one framework and in the other, as plain Java over
 * {@link ParamArray}s. {@link #perParameter} is every kind's default ({@link LayerKind#convertParams}):
 * each {@link ParamSpec} pairs one tensor with one, converted by its {@link ParamSpec.Layout}. The
 * other helpers are the pieces kinds whose tensors do not pair 1:1 build their conversion from
 * (recurrent layers' gate blocks, split and summed biases; attention's packed projections).
 */
public final class ParamConversion {
  private ParamConversion() {}

  /** The 1:1 conversion: tensor {@code i} of {@code from}'s form is tensor {@code i} of {@code to}'s. */
  public static List<ParamArray> perParameter(List<ParamSpec> specs, Framework from, Framework to,
      List<ParamArray> values) {
    if (values.size() != specs.size()) {
      throw new IllegalArgumentException(specs.size() + " parameters, " + values.size() + " values");
    }
    List<ParamArray> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      ParamSpec spec = specs.get(i);
      ParamArray v = values.get(i);
      if (from == to) {
        out.add(new ParamArray(v.shape(), v.data().clone()));
        continue;
      }
      out.add(switch (spec.layout()) {
        case SAME -> new ParamArray(v.shape(), v.data().clone());
        case DENSE_TRANSPOSED -> transpose(v);
        case CONV_HWIO_OIHW -> from == Framework.KERAS ? hwioToOihw(v) : oihwToHwio(v);
        // Keras (kh, kw, C, M) is the grouped HWIO kernel (kh, kw, 1, C*M) reshaped.
        case DEPTHWISE_HWCM_OIHW -> from == Framework.KERAS
            ? hwioToOihw(reshape(v, v.shape().dim(0), v.shape().dim(1), 1, v.shape().dim(2) * v.shape().dim(3)))
            : reshape(oihwToHwio(v), spec.kerasShape().toArray());
        case RESHAPED -> reshape(v, spec.shape(to).toArray());
        case LAYER -> throw new IllegalStateException("parameter " + spec.kerasName() + " is converted by its "
            + "layer's kind, not by itself: the kind must override convertParams");
      });
    }
    return out;
  }

  /**
   * A convolution kernel from Keras' (spatial..., in, out) to PyTorch's (out, in, spatial...), for
   * any number of spatial axes (Conv1D's (k, in, out), Conv2D's (kh, kw, in, out)).
   */
  public static ParamArray hwioToOihw(ParamArray a) {
    int r = a.shape().rank();
    int[] axes = new int[r];
    axes[0] = r - 1;
    axes[1] = r - 2;
    for (int i = 2; i < r; i++) {
      axes[i] = i - 2;
    }
    return permute(a, axes);
  }

  /** The inverse of {@link #hwioToOihw}: PyTorch's (out, in, spatial...) to Keras' (spatial..., in, out). */
  public static ParamArray oihwToHwio(ParamArray a) {
    int r = a.shape().rank();
    int[] axes = new int[r];
    for (int i = 0; i < r - 2; i++) {
      axes[i] = i + 2;
    }
    axes[r - 2] = 1;
    axes[r - 1] = 0;
    return permute(a, axes);
  }

  /** The same values in the same row-major order, as {@code dims}. */
  public static ParamArray reshape(ParamArray a, int... dims) {
    Shape shape = Shape.of(dims);
    if (shape.size() != a.shape().size()) {
      throw new IllegalArgumentException("cannot reshape " + a.shape() + " to " + shape);
    }
    return new ParamArray(shape, a.data().clone());
  }

  /** A matrix (r, c) as (c, r). */
  public static ParamArray transpose(ParamArray m) {
    return permute(m, 1, 0);
  }

  /** The array with its axes reordered: axis {@code i} of the result is axis {@code axes[i]} of {@code a}. */
  public static ParamArray permute(ParamArray a, int... axes) {
    int rank = a.shape().rank();
    if (axes.length != rank) {
      throw new IllegalArgumentException("permutation of " + axes.length + " axes for a rank-" + rank + " array");
    }
    int[] in = a.shape().toArray();
    int[] outDims = new int[rank];
    for (int i = 0; i < rank; i++) {
      outDims[i] = in[axes[i]];
    }
    long[] inStride = new long[rank];
    long s = 1;
    for (int i = rank - 1; i >= 0; i--) {
      inStride[i] = s;
      s *= in[i];
    }
    long[] stride = new long[rank]; // the input stride of each output axis
    for (int i = 0; i < rank; i++) {
      stride[i] = inStride[axes[i]];
    }
    float[] src = a.data();
    float[] dst = new float[src.length];
    int[] index = new int[rank];
    long offset = 0;
    for (int o = 0; o < dst.length; o++) {
      dst[o] = src[(int) offset];
      for (int k = rank - 1; k >= 0; k--) {
        index[k]++;
        offset += stride[k];
        if (index[k] < outDims[k]) {
          break;
        }
        offset -= stride[k] * outDims[k];
        index[k] = 0;
      }
    }
    return new ParamArray(Shape.of(outDims), dst);
  }

  /**
   * The row blocks of a matrix (or the blocks of a vector) reordered: the leading axis holds
   * {@code order.length} equal blocks, and block {@code i} of the result is block {@code order[i]}
   * of {@code a} (GRU gates z,r,h in Keras, r,z,n in PyTorch).
   */
  public static ParamArray permuteBlocks(ParamArray a, int... order) {
    int n = order.length;
    int block = a.data().length / n;
    float[] out = new float[a.data().length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a.data(), order[i] * block, out, i * block, block);
    }
    return new ParamArray(a.shape(), out);
  }

  /** The element-wise sum of arrays of one shape. */
  public static ParamArray sum(ParamArray a, ParamArray b) {
    float[] out = a.data().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b.data()[i];
    }
    return new ParamArray(a.shape(), out);
  }

  /** Slice {@code i} of the leading axis, as an array of the remaining axes. */
  public static ParamArray slice(ParamArray a, int i) {
    Shape rest = new Shape(a.shape().dims().subList(1, a.shape().rank()));
    int n = (int) rest.size();
    float[] out = new float[n];
    System.arraycopy(a.data(), i * n, out, 0, n);
    return new ParamArray(rest, out);
  }

  /** Arrays of one shape stacked along a new leading axis. */
  public static ParamArray stack(List<ParamArray> parts) {
    Shape one = parts.get(0).shape();
    List<Integer> dims = new ArrayList<>();
    dims.add(parts.size());
    dims.addAll(one.dims());
    int n = (int) one.size();
    float[] out = new float[n * parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      System.arraycopy(parts.get(i).data(), 0, out, i * n, n);
    }
    return new ParamArray(new Shape(dims), out);
  }
}
