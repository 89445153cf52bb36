package dev.sequent.runtime.weights;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layout conversions between Keras and PyTorch parameters on ND4J arrays: the flatten row order of
 * a dense layer after an image, and the kernel layouts for callers holding INDArrays. The
 * conversion of a layer's tensors between the frameworks is its kind's
 * ({@link dev.sequent.model.kind.LayerKind#convertParams}, per tensor by layout by default), applied
 * by {@link WeightMapping#convertLayer}. Each returns a new c-ordered array and never modifies its
 * argument.
 */
public final class LayoutConversion {
  private LayoutConversion() {}

  /** Dense kernel (in, out) to Linear weight (out, in), and back. */
  public static INDArray denseTranspose(INDArray a) {
    return a.transpose().dup('c');
  }

  /**
   * Keras conv kernel (kh, kw, in, out) to PyTorch (out, in, kh, kw); for any number of spatial
   * axes, so a Conv1D kernel (k, in, out) becomes (out, in, k).
   */
  public static INDArray convHwioToOihw(INDArray a) {
    int r = a.rank();
    int[] perm = new int[r];
    perm[0] = r - 1;
    perm[1] = r - 2;
    for (int i = 2; i < r; i++) {
      perm[i] = i - 2;
    }
    return a.permute(perm).dup('c');
  }

  /** PyTorch conv weight (out, in, kh, kw) to Keras (kh, kw, in, out); any number of spatial axes. */
  public static INDArray convOihwToHwio(INDArray a) {
    int r = a.rank();
    int[] perm = new int[r];
    for (int i = 0; i < r - 2; i++) {
      perm[i] = i + 2;
    }
    perm[r - 2] = 1;
    perm[r - 1] = 0;
    return a.permute(perm).dup('c');
  }

  /**
   * For a dense layer that reads a flattened image: {@code perm[i]} is the row of the source
   * kernel that feeds feature {@code i} of this model's flatten. A channels-last flatten orders
   * features (h, w, c), a channels-first one (c, h, w).
   *
   * @param image the image shape as this model lays it out
   */
  public static int[] flattenPermutation(Shape image, DataFormat ours, DataFormat source) {
    int c = image.dim(ours.channelAxis());
    int h = image.dim(ours.heightAxis());
    int w = image.dim(ours.heightAxis() + 1);
    int[] perm = new int[c * h * w];
    for (int ci = 0; ci < c; ci++) {
      for (int hi = 0; hi < h; hi++) {
        for (int wi = 0; wi < w; wi++) {
          int chw = (ci * h + hi) * w + wi;
          int hwc = (hi * w + wi) * c + ci;
          if (ours == DataFormat.CHANNELS_FIRST) {
            perm[chw] = source == DataFormat.CHANNELS_FIRST ? chw : hwc;
          } else {
            perm[hwc] = source == DataFormat.CHANNELS_LAST ? hwc : chw;
          }
        }
      }
    }
    return perm;
  }

  /** Reorders the input axis of a dense parameter held in {@code layout}'s framework. */
  public static INDArray permuteDenseInputs(INDArray kernel, Framework layout, int[] perm) {
    // Keras kernels are (in, out): rows are inputs. PyTorch weights are (out, in): columns are.
    INDArray inOut = layout == Framework.KERAS ? kernel : kernel.transpose();
    INDArray permuted = inOut.getRows(perm);
    return (layout == Framework.KERAS ? permuted : permuted.transpose()).dup('c');
  }
}
